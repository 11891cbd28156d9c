package io.nextbest.engine.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.List;

/**
 * A 0–100 index with its component breakdown (G1) and its coverage: the share of the index's weight
 * that rests on observed evidence (0 = nothing observed, the value is the declared prior).
 *
 * <p>The agent's answer ({@link Views.Compact}) lists only the components that carry a score; those
 * with none (no evidence, so no weight) are said by {@code coverage}, and listed with their
 * sentences in the verbose answer.
 */
@JsonSerialize(using = Index.Writer.class)
public record Index(double value, double coverage, List<Component> components) {
  public Index {
    components = List.copyOf(components);
  }

  /** Writes an index as its record would, leaving unscored components out of the compact view. */
  static final class Writer extends StdSerializer<Index> {
    Writer() {
      super(Index.class);
    }

    @Override
    public void serialize(Index index, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      Class<?> view = provider.getActiveView();
      boolean all = view == null || Views.Verbose.class.isAssignableFrom(view);
      g.writeStartObject();
      g.writeNumberField("value", index.value());
      g.writeNumberField("coverage", index.coverage());
      g.writeArrayFieldStart("components");
      for (Component c : index.components()) {
        if (all || c.score() != null) {
          provider.defaultSerializeValue(c, g);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
