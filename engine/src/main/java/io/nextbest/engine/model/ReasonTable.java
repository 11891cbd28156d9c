package io.nextbest.engine.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision's reasons, each said once: the shown actions share most of theirs (the gate that lifts
 * every repair action, the channel of the conversation, the tone), so the JSON of a {@link
 * Decision} lists every distinct reason once, in its {@code reasons}, and each action's {@code
 * explanation.reasons} gives the positions of its own in that list, in its order. In Java an
 * explanation keeps its {@link Reason}s: only the JSON refers. A decision read back is resolved to
 * the same records again; an explanation written on its own, outside a decision, carries its
 * reasons in full.
 */
public final class ReasonTable {
  private ReasonTable() {}

  /** The per-call attribute holding the positions of the decision being written. */
  private static final Object POSITIONS = ReasonTable.class;

  /**
   * Where each reason of a decision's actions sits in its table: found by instance when written
   * (each reason is hashed once, when the table is built).
   */
  private static final class Positions {
    final Map<Reason, Integer> distinct = new LinkedHashMap<>();
    final Map<Reason, Integer> byInstance = new IdentityHashMap<>();

    Positions(List<RecommendedAction> actions) {
      for (RecommendedAction a : actions) {
        if (a.explanation() == null) {
          continue;
        }
        for (Reason r : a.explanation().reasons()) {
          byInstance.computeIfAbsent(r, k -> distinct.computeIfAbsent(k, j -> distinct.size()));
        }
      }
    }
  }

  /**
   * What a decision's JSON writes for its {@code reasons}: the table of the decision being written.
   */
  static final class Listed {
    static final Listed INSTANCE = new Listed();

    private Listed() {}
  }

  /** Writes the table {@link DecisionWriter} built for the decision being written. */
  static final class Table extends StdSerializer<Listed> {
    Table() {
      super(Listed.class);
    }

    @Override
    public void serialize(Listed listed, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      Positions at = (Positions) provider.getAttribute(POSITIONS);
      if (at == null) {
        throw JsonMappingException.from(gen, "a decision's reasons are written with the decision");
      }
      gen.writeStartArray(at, at.distinct.size());
      for (Reason r : at.distinct.keySet()) {
        provider.defaultSerializeValue(r, gen);
      }
      gen.writeEndArray();
    }
  }

  /** What the project's JSON mapper registers: decisions written and read with their table. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("reason-table");
    module.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          @SuppressWarnings("unchecked")
          public JsonSerializer<?> modifySerializer(
              SerializationConfig config, BeanDescription bean, JsonSerializer<?> serializer) {
            return bean.getBeanClass() == Decision.class
                ? new DecisionWriter((JsonSerializer<Object>) serializer)
                : serializer;
          }
        });
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription bean,
              JsonDeserializer<?> deserializer) {
            return bean.getBeanClass() == Decision.class
                ? new DecisionReader(deserializer)
                : deserializer;
          }
        });
    return module;
  }

  /** Writes a decision with the positions of its reasons known to its explanations. */
  private static final class DecisionWriter extends StdSerializer<Object>
      implements ResolvableSerializer {
    private final JsonSerializer<Object> bean;

    DecisionWriter(JsonSerializer<Object> bean) {
      super(Object.class);
      this.bean = bean;
    }

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
      if (bean instanceof ResolvableSerializer r) {
        r.resolve(provider);
      }
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      Object outer = provider.getAttribute(POSITIONS);
      provider.setAttribute(POSITIONS, new Positions(((Decision) value).actions()));
      try {
        bean.serialize(value, gen, provider);
      } finally {
        provider.setAttribute(POSITIONS, outer);
      }
    }
  }

  /**
   * An explanation's reasons: their positions in the decision's table while a decision is written,
   * the reasons themselves otherwise.
   */
  static final class Refs extends StdSerializer<List<Reason>> {
    @SuppressWarnings("unchecked")
    Refs() {
      super((Class<List<Reason>>) (Class<?>) List.class);
    }

    @Override
    public void serialize(List<Reason> reasons, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      Positions at = (Positions) provider.getAttribute(POSITIONS);
      gen.writeStartArray(reasons, reasons.size());
      for (Reason r : reasons) {
        Integer i = at == null ? null : at.byInstance.get(r);
        if (i != null) {
          gen.writeNumber(i);
        } else {
          provider.defaultSerializeValue(r, gen);
        }
      }
      gen.writeEndArray();
    }
  }

  /** Reads a decision, each explanation's positions replaced by the reasons they point to. */
  private static final class DecisionReader extends DelegatingDeserializer {
    DecisionReader(JsonDeserializer<?> bean) {
      super(bean);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegatee) {
      return new DecisionReader(delegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      if (tree instanceof ObjectNode decision
          && decision.get("reasons") instanceof ArrayNode table) {
        decision.remove("reasons");
        for (JsonNode action : decision.path("actions")) {
          if (action.get("explanation") instanceof ObjectNode explanation
              && explanation.get("reasons") instanceof ArrayNode refs) {
            explanation.set("reasons", resolve(refs, table, p, ctxt));
          }
        }
      }
      try (JsonParser tokens = tree.traverse(p.getCodec())) {
        tokens.nextToken();
        return _delegatee.deserialize(tokens, ctxt);
      }
    }

    private static ArrayNode resolve(
        ArrayNode refs, ArrayNode table, JsonParser p, DeserializationContext ctxt)
        throws JsonMappingException {
      ArrayNode reasons = refs.arrayNode(refs.size());
      for (JsonNode r : refs) {
        if (!r.isInt()) {
          reasons.add(r);
          continue;
        }
        int i = r.intValue();
        if (i < 0 || i >= table.size()) {
          throw JsonMappingException.from(
              p,
              "an explanation refers to reason "
                  + i
                  + ", but the decision's reasons number "
                  + table.size());
        }
        reasons.add(table.get(i));
      }
      return reasons;
    }
  }
}
