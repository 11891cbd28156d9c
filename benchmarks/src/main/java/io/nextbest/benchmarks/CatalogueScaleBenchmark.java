package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How a decision's cost grows with the catalogue (issue 16, item 6): the bundled rule set with its
 * {@code catalogue.json} grown to {@code actions} entries, deciding the eight {@link Corpus}
 * contexts in turn, single thread, as {@link DecisionBenchmark#engine} does, plus the answer
 * written as JSON ({@code engineJson}, since the answer grows with the catalogue too).
 *
 * <p>The larger catalogues keep the bundled 26 actions (so every rule that names an action id still
 * matches) and add copies of them, round robin, that differ only in their id ({@code
 * <id>-copy-<n>}): the same families, channels, flags, values and products, so the same rules apply
 * to each copy as to its original. Each size is compiled once with {@code
 * RuleSet.compile(RuleSetSource.bundled().with(...))}. Average time in µs per decision; one fork, 3
 * × 3 s warm-up, 5 × 3 s measurement per size: about 3 minutes in all. From the repository root:
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CatalogueScaleBenchmark -rf json -rff target/catalogue.json
 * </pre>
 *
 * <p>On a machine shared with other work, {@link CatalogueScaleProbe} answers the same question in
 * CPU time with the sizes interleaved. Figures: {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CatalogueScaleBenchmark {
  private static final ObjectWriter WRITER = Json.mapper().writer();

  /** The rule set with a catalogue of this many actions. */
  @State(Scope.Benchmark)
  public static class Engine {
    @Param({"26", "250", "2500"})
    int actions;

    DecisionEngine engine;

    @Setup(Level.Trial)
    public void compile() throws IOException {
      RuleSetSource bundled = RuleSetSource.bundled();
      byte[] catalogue = grownCatalogue(bundled.bytes("catalogue.json"), actions);
      RuleSet ruleSet =
          RuleSet.compile(
              bundled.with(
                  bundled.name() + "-catalogue-" + actions, Map.of("catalogue.json", catalogue)));
      if (ruleSet.catalogue().size() != actions) {
        throw new IllegalStateException(
            "catalogue has " + ruleSet.catalogue().size() + " actions, wanted " + actions);
      }
      engine = DecisionEngine.builder().ruleSet(ruleSet).build();
      // What one decision answers at this size, so the figures can be read against the answer.
      long bytes = 0;
      List<CustomerContext> contexts = Corpus.contexts();
      for (CustomerContext ctx : contexts) {
        bytes += WRITER.writeValueAsBytes(engine.decide(ctx)).length;
      }
      System.out.printf(
          Locale.ROOT,
          "%n%d actions: answer %.1f KB on average over the %d contexts%n",
          actions,
          bytes / 1024.0 / contexts.size(),
          contexts.size());
    }
  }

  /**
   * The bundled catalogue with copies of its actions appended, round robin, until it holds {@code
   * size} actions; each copy differs from its original only in its id.
   */
  static byte[] grownCatalogue(byte[] bundled, int size) {
    try {
      ArrayNode original = (ArrayNode) Json.mapper().readTree(bundled);
      if (size < original.size()) {
        throw new IllegalArgumentException(
            "cannot shrink the catalogue of " + original.size() + " to " + size);
      }
      ArrayNode grown = original.deepCopy();
      for (int n = 0; grown.size() < size; n++) {
        JsonNode source = original.get(n % original.size());
        ObjectNode copy = source.deepCopy();
        copy.put(
            "id", String.format(Locale.ROOT, "%s-copy-%04d", source.get("id").asText(), n + 1));
        grown.add(copy);
      }
      return Json.mapper().writeValueAsBytes(grown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contexts, each call the next one. */
  @State(Scope.Thread)
  public static class Inputs {
    CustomerContext[] contexts;
    int next;

    @Setup(Level.Trial)
    public void load() {
      contexts = Corpus.contexts().toArray(CustomerContext[]::new);
    }

    CustomerContext advance() {
      CustomerContext ctx = contexts[next];
      next = next + 1 == contexts.length ? 0 : next + 1;
      return ctx;
    }
  }

  @Benchmark
  public Decision engine(Engine e, Inputs in) {
    return e.engine.decide(in.advance());
  }

  @Benchmark
  public byte[] engineJson(Engine e, Inputs in) throws IOException {
    return WRITER.writeValueAsBytes(e.engine.decide(in.advance()));
  }
}
