package io.nextbest.simulator;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Rule sets compiled once per test JVM (by content hash), and small helpers. */
final class Fixtures {
  private static final Map<String, RuleSet> COMPILED = new ConcurrentHashMap<>();

  private Fixtures() {}

  static RuleSet compile(RuleSetSource source) {
    return COMPILED.computeIfAbsent(source.contentHash(), h -> RuleSet.compile(source));
  }

  static Simulator simulator() {
    return new Simulator(Fixtures::compile);
  }

  static Simulator.Finished run(SimulationSpec spec) {
    return simulator().execute(spec, p -> {});
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path p, String text) {
    try {
      Files.createDirectories(p.getParent());
      return Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
