package io.nextbest.api;

import io.nextbest.benchmarks.Corpus;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.slf4j.MDC;

/**
 * What the service's metrics add to a decision, in thread CPU time: the same contexts decided by an
 * engine without an observer and by one reporting every rule firing to {@link ServiceMetrics},
 * which then also records the decision's time, quadrant, top family and suppressions, with the
 * decision id put in and taken out of the MDC as the handler does; and, to split the cost, the
 * per-decision recording alone (an engine without observer). The paths alternate decision by
 * decision, rotating which goes first, so load from other work on the machine falls on all alike.
 * It lives in the API's package because the metrics class is package-private there.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.api.MetricsOverheadProbe [warmup] [blocks] [block size]
 * </pre>
 */
public final class MetricsOverheadProbe {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private MetricsOverheadProbe() {}

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    RuleSet ruleSet = RuleSet.compile(RuleSetSource.bundled());
    ServiceMetrics metrics = new ServiceMetrics();
    metrics.ruleSetActive(ruleSet.version());
    DecisionEngine plain = DecisionEngine.builder().ruleSet(ruleSet).build();
    DecisionEngine observed = DecisionEngine.builder().ruleSet(ruleSet).observer(metrics).build();
    CustomerContext[] contexts = Corpus.contexts().toArray(CustomerContext[]::new);

    for (int i = 0; i < warmup; i++) {
      plain.decide(contexts[i % contexts.length]);
      measured(observed, metrics, contexts[i % contexts.length]);
    }
    long[] bare = new long[blocks * size];
    long[] withMetrics = new long[blocks * size];
    long[] decisionOnly = new long[blocks * size];
    int n = 0;
    for (int b = 0; b < blocks; b++) {
      for (int i = 0; i < size; i++) {
        CustomerContext ctx = contexts[i % contexts.length];
        // A path deciding a context after another finds it warm in the caches: rotate who goes
        // first.
        switch (i % 3) {
          case 0 -> {
            bare[n] = plain(plain, ctx);
            withMetrics[n] = observed(observed, metrics, ctx);
            decisionOnly[n] = observed(plain, metrics, ctx);
          }
          case 1 -> {
            withMetrics[n] = observed(observed, metrics, ctx);
            decisionOnly[n] = observed(plain, metrics, ctx);
            bare[n] = plain(plain, ctx);
          }
          default -> {
            decisionOnly[n] = observed(plain, metrics, ctx);
            bare[n] = plain(plain, ctx);
            withMetrics[n] = observed(observed, metrics, ctx);
          }
        }
        n++;
      }
    }
    System.out.printf(
        "%-14s %10s %10s %10s   (CPU µs per decision, %d warm-up each, %d measured each)%n",
        "path", "median", "p99", "mean", warmup, n);
    print("engine", bare);
    print("engine+metrics", withMetrics);
    print("  w/o firings", decisionOnly);
    System.out.printf(
        "metrics add %.1f µs to the mean (%.1f %%), of which counting rule firings %.1f µs%n",
        (mean(withMetrics) - mean(bare)) / 1e3,
        100 * (mean(withMetrics) - mean(bare)) / mean(bare),
        (mean(withMetrics) - mean(decisionOnly)) / 1e3);
  }

  private static long plain(DecisionEngine engine, CustomerContext ctx) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    engine.decide(ctx);
    return THREADS.getCurrentThreadCpuTime() - t0;
  }

  private static long observed(DecisionEngine engine, ServiceMetrics metrics, CustomerContext ctx) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    measured(engine, metrics, ctx);
    return THREADS.getCurrentThreadCpuTime() - t0;
  }

  /** What the decision handler adds around the engine, minus parsing, the store and JSON. */
  private static Decision measured(
      DecisionEngine engine, ServiceMetrics metrics, CustomerContext ctx) {
    long started = System.nanoTime();
    String id = engine.newDecisionId();
    MDC.put(CustomerHandlers.DECISION_ID, id);
    try {
      Decision d = engine.decide(ctx, id);
      metrics.decided(d, System.nanoTime() - started);
      return d;
    } finally {
      MDC.remove(CustomerHandlers.DECISION_ID);
    }
  }

  private static double mean(long[] cpu) {
    return Arrays.stream(cpu).average().orElse(0);
  }

  private static void print(String name, long[] cpu) {
    long[] sorted = cpu.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-14s %10.1f %10.1f %10.1f%n",
        name,
        sorted[sorted.length / 2] / 1e3,
        sorted[(int) (sorted.length * 0.99)] / 1e3,
        mean(cpu) / 1e3);
  }
}
