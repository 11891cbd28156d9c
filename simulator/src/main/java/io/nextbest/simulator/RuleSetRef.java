package io.nextbest.simulator;

import io.nextbest.engine.RuleSetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One side of a what-if: the bundled rule set, a rule-set directory (dmn/, drl/,
 * catalogue.json...), or a source the host already holds (e.g. a version from the rule-set
 * registry).
 */
public record RuleSetRef(String name, Path directory, RuleSetSource source) {
  public static final String BUNDLED = "bundled";

  public RuleSetRef {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a rule set needs a name");
    }
    if (directory != null && source != null) {
      throw new IllegalArgumentException("a rule set comes from a directory or a source, not both");
    }
  }

  public static RuleSetRef bundled() {
    return new RuleSetRef(BUNDLED, null, null);
  }

  public static RuleSetRef directory(Path dir) {
    return new RuleSetRef(
        dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(), dir, null);
  }

  /** A rule set the caller already has, such as {@code registry.source(3)}. */
  public static RuleSetRef of(RuleSetSource source) {
    Objects.requireNonNull(source, "source");
    return new RuleSetRef(source.name(), null, source);
  }

  /** {@code bundled}, or a directory path. */
  public static RuleSetRef parse(String text) {
    return BUNDLED.equals(text) ? bundled() : directory(Path.of(text));
  }

  RuleSetSource load() {
    if (source != null) {
      return source;
    }
    if (directory == null) {
      return RuleSetSource.bundled();
    }
    if (!Files.isDirectory(directory)) {
      throw SimulationException.of(
          new Problem(
              directory.toString(),
              0,
              null,
              null,
              "not a rule-set directory (say 'bundled' for the rule set shipped with the engine)"));
    }
    return RuleSetSource.directory(directory, name);
  }

  @Override
  public String toString() {
    return directory != null ? directory.toString() : name;
  }
}
