package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A cross-check for {@link DecisionBenchmark} on a machine shared with other work: the same five
 * paths over the same contexts, timed in thread CPU time rather than wall-clock time, so being
 * descheduled does not count. Warms each path up by a fixed number of decisions, then prints the
 * CPU µs per decision at the median, p99 and p99.9, and the bytes allocated per decision. {@code
 * engine} remembers situations (the corpus repeats, so after warm-up every decision finds its
 * situation remembered); {@code engineFiring} fires the rules for every decision, as for a customer
 * whose situation is new.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.CpuTimeProbe [warmup] [measured]
 * </pre>
 *
 * Timing one call costs about a microsecond of its own; JMH's numbers stay the reference on an idle
 * machine.
 */
public final class CpuTimeProbe {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * The bytes this thread allocated (HotSpot's exact per-thread count, which also counts the timing
   * calls' few bytes), for the allocation per decision.
   */
  private static final com.sun.management.ThreadMXBean ALLOCATION =
      (com.sun.management.ThreadMXBean) THREADS;

  private CpuTimeProbe() {}

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    RuleSetSource source = RuleSetSource.bundled();
    DecisionEngine engine = DecisionEngine.builder().ruleSet(RuleSet.compile(source)).build();
    DecisionEngine noMemo =
        DecisionEngine.builder()
            .ruleSet(RuleSet.compile(source, source.name() + "-no-memo", false))
            .build();
    DecisionEngine firing =
        DecisionEngine.builder().ruleSet(RuleSet.compile(source)).rememberSituations(false).build();
    HandWrittenDecider baseline = HandWrittenDecider.of(source);
    ObjectReader reader = Json.mapper().readerFor(CustomerContext.class);
    ObjectWriter writer = Json.mapper().writer();
    CustomerContext[] contexts = Corpus.contexts().toArray(CustomerContext[]::new);
    List<byte[]> bodies = Corpus.json();

    Map<String, IntConsumer> paths = new LinkedHashMap<>();
    paths.put("engine", i -> engine.decide(contexts[i % contexts.length]));
    paths.put("engineJson", i -> json(reader, writer, bodies.get(i % contexts.length), engine));
    paths.put("baseline", i -> baseline.decide(contexts[i % contexts.length]));
    paths.put("baselineJson", i -> json(reader, writer, bodies.get(i % contexts.length), baseline));
    paths.put("engineNoDmnMemo", i -> noMemo.decide(contexts[i % contexts.length]));
    // Every decision fires the rules, as when each customer's situation is new.
    paths.put("engineFiring", i -> firing.decide(contexts[i % contexts.length]));

    System.out.printf(
        "%-16s %10s %10s %10s %10s %12s   (CPU µs per decision, allocated KB per decision,"
            + " %d warm-up, %d measured)%n",
        "path", "median", "p99", "p99.9", "mean", "alloc KB", warmup, measured);
    for (Map.Entry<String, IntConsumer> p : paths.entrySet()) {
      IntConsumer path = p.getValue();
      for (int i = 0; i < warmup; i++) {
        path.accept(i);
      }
      long[] cpu = new long[measured];
      long allocated = ALLOCATION.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < measured; i++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        path.accept(i);
        cpu[i] = THREADS.getCurrentThreadCpuTime() - t0;
      }
      allocated = ALLOCATION.getCurrentThreadAllocatedBytes() - allocated;
      Arrays.sort(cpu);
      double mean = Arrays.stream(cpu).average().orElse(0);
      System.out.printf(
          "%-16s %10.1f %10.1f %10.1f %10.1f %12.1f%n",
          p.getKey(),
          cpu[measured / 2] / 1e3,
          cpu[(int) (measured * 0.99)] / 1e3,
          cpu[(int) (measured * 0.999)] / 1e3,
          mean / 1e3,
          allocated / 1024.0 / measured);
    }
  }

  private static byte[] json(
      ObjectReader reader, ObjectWriter writer, byte[] body, Object decider) {
    try {
      CustomerContext ctx = reader.readValue(body);
      return writer.writeValueAsBytes(
          decider instanceof DecisionEngine e
              ? e.decide(ctx)
              : ((HandWrittenDecider) decider).decide(ctx));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
