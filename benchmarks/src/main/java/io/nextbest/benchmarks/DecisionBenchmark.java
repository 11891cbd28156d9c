package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One in-process decision, single thread, rotating through the eight {@link Corpus} contexts:
 *
 * <ul>
 *   <li>{@code engine}: {@code DecisionEngine.decide} on a parsed context (validation, indices,
 *       DMN, Drools, arbitration, explanations);
 *   <li>{@code engineJson}: bytes in, bytes out, parsed and written as the API does;
 *   <li>{@code baseline} and {@code baselineJson}: the same with {@link HandWrittenDecider}, the
 *       same logic in plain Java;
 *   <li>{@code engineNoDmnMemo}: the engine with DMN results not memoised, so all three DMN models
 *       are evaluated on every decision.
 * </ul>
 *
 * <p>Each runs in {@code SampleTime} mode (median, p99, p99.9) and {@code Throughput} mode, in µs
 * (throughput in ops/µs: multiply by 10⁶ for ops/s). One fork, 3 × 3 s warm-up, 5 × 4 s
 * measurement: a full run takes about six minutes on two cores. From the repository root:
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar DecisionBenchmark -rf json -rff target/jmh.json
 * </pre>
 *
 * <p>Where the engine's time goes: add {@code -prof jfr} to one benchmark and read the recording
 * with {@link JfrStageSplit}. Results, machine and date: {@code docs/benchmarks.md}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecisionBenchmark {
  private static final ObjectReader READER = Json.mapper().readerFor(CustomerContext.class);
  private static final ObjectWriter WRITER = Json.mapper().writer();

  /** The bundled rule set compiled as the API runs it: DMN memoised. */
  @State(Scope.Benchmark)
  public static class Engine {
    RuleSet ruleSet;
    DecisionEngine engine;

    @Setup(Level.Trial)
    public void compile() {
      ruleSet = RuleSet.compile(RuleSetSource.bundled());
      engine = DecisionEngine.builder().ruleSet(ruleSet).build();
    }
  }

  /** The same rule set with every DMN decision evaluated per request. */
  @State(Scope.Benchmark)
  public static class EngineNoDmnMemo {
    RuleSet ruleSet;
    DecisionEngine engine;

    @Setup(Level.Trial)
    public void compile() {
      RuleSetSource source = RuleSetSource.bundled();
      ruleSet = RuleSet.compile(source, source.name() + "-no-memo", false);
      engine = DecisionEngine.builder().ruleSet(ruleSet).build();
    }
  }

  @State(Scope.Benchmark)
  public static class Baseline {
    HandWrittenDecider decider;

    @Setup(Level.Trial)
    public void read() {
      decider = HandWrittenDecider.of(RuleSetSource.bundled());
    }
  }

  /** The contexts, parsed and as bytes; each call takes the next one. */
  @State(Scope.Thread)
  public static class Inputs {
    CustomerContext[] contexts;
    byte[][] bodies;
    int next;

    @Setup(Level.Trial)
    public void load() {
      List<CustomerContext> parsed = Corpus.contexts();
      contexts = parsed.toArray(CustomerContext[]::new);
      bodies = Corpus.json().toArray(byte[][]::new);
    }

    int advance() {
      int i = next;
      next = i + 1 == contexts.length ? 0 : i + 1;
      return i;
    }
  }

  @Benchmark
  public Decision engine(Engine e, Inputs in) {
    return e.engine.decide(in.contexts[in.advance()]);
  }

  @Benchmark
  public byte[] engineJson(Engine e, Inputs in) throws IOException {
    CustomerContext ctx = READER.readValue(in.bodies[in.advance()]);
    return WRITER.writeValueAsBytes(e.engine.decide(ctx));
  }

  @Benchmark
  public Decision baseline(Baseline b, Inputs in) {
    return b.decider.decide(in.contexts[in.advance()]);
  }

  @Benchmark
  public byte[] baselineJson(Baseline b, Inputs in) throws IOException {
    CustomerContext ctx = READER.readValue(in.bodies[in.advance()]);
    return WRITER.writeValueAsBytes(b.decider.decide(ctx));
  }

  @Benchmark
  public Decision engineNoDmnMemo(EngineNoDmnMemo e, Inputs in) {
    return e.engine.decide(in.contexts[in.advance()]);
  }
}
