package io.nextbest.benchmarks;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.Scenarios;
import io.nextbest.engine.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an analyst's change costs: the time to validate and activate a changed DMN table through the
 * registry's gate (compile, validate, every scenario), and decision latency on two threads while
 * versions are swapped under them, against the same load with no swaps.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar io.nextbest.benchmarks.SwapBenchmark [swaps] [seconds]}
 */
public final class SwapBenchmark {
  private SwapBenchmark() {}

  public static void main(String[] args) throws Exception {
    int swaps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("nba-swap");
    RuleSetSource bundled = RuleSetSource.bundled();
    try (Sqlite db = Sqlite.open(dir)) {
      long t0 = System.nanoTime();
      RuleSetRegistry registry =
          RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), bundled);
      System.out.printf(
          "cold start: registry opened and v1 gated and active in %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      DecisionEngine engine = DecisionEngine.builder().ruleSet(registry.active()).build();
      registry.onActivate(engine::activate);

      // Two variants of the contact table, so every activation is of a different version.
      String contact = bundled.text("dmn/contact-policy.dmn");
      List<Integer> versions = new ArrayList<>();
      long[] gateMs = new long[4];
      for (int i = 0; i < 4; i++) {
        String edited = contact.replace("<text>6</text>", "<text>" + (6 + i) + "</text>");
        long u0 = System.nanoTime();
        VersionInfo v =
            registry.upload(
                Map.of("dmn/contact-policy.dmn", edited.getBytes(StandardCharsets.UTF_8)),
                1,
                "bench",
                "variant " + i);
        GateReport gate = registry.gate(v.sequence());
        gateMs[i] = (System.nanoTime() - u0) / 1_000_000;
        if (!gate.activatable()) {
          throw new IllegalStateException("variant " + i + " does not pass: " + gate.messages());
        }
        versions.add(v.sequence());
      }
      System.out.printf(
          "upload + validate + %d scenarios of a changed DMN table: %s ms (first includes the DMN validator's warm-up)%n",
          Scenarios.load(bundled).size(), Arrays.toString(gateMs));
      long[] activateMs = new long[versions.size()];
      for (int i = 0; i < versions.size(); i++) {
        long a0 = System.nanoTime();
        registry.activate(versions.get(i), "bench");
        activateMs[i] = (System.nanoTime() - a0) / 1_000_000;
      }
      System.out.printf(
          "activate (re-runs the gate on the compiled version, then swaps): %s ms%n",
          Arrays.toString(activateMs));

      List<CustomerContext> contexts = new ArrayList<>();
      for (Scenario s : Scenarios.load(bundled)) {
        contexts.add(s.context());
      }
      System.out.println("steady (no swaps): " + load(engine, contexts, seconds, null));
      System.out.println(
          "during swaps:      "
              + load(
                  engine,
                  contexts,
                  seconds,
                  () -> {
                    for (int i = 0; i < swaps; i++) {
                      registry.activate(versions.get(i % versions.size()), "bench");
                      sleep(seconds * 1000L / swaps);
                    }
                  }));
      System.out.println(
          Json.mapper().writeValueAsString(Map.of("activeAfter", registry.activeSequence())));
    }
  }

  /**
   * Decides on two threads for {@code seconds}; returns percentiles in microseconds and the failure
   * count.
   */
  private static String load(
      DecisionEngine engine, List<CustomerContext> contexts, int seconds, Runnable alongside)
      throws InterruptedException {
    for (int i = 0; i < 20_000; i++) {
      engine.decide(contexts.get(i % contexts.size()));
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong failures = new AtomicLong();
    List<long[]> samples = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      long[] lat = new long[2_000_000];
      samples.add(lat);
      int offset = t;
      Thread th =
          new Thread(
              () -> {
                int n = 0;
                int i = offset;
                while (running.get() && n < lat.length) {
                  long s = System.nanoTime();
                  try {
                    engine.decide(contexts.get(i++ % contexts.size()));
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                  }
                  lat[n++] = System.nanoTime() - s;
                }
                lat[lat.length - 1] = n;
              });
      th.start();
      threads.add(th);
    }
    Thread side = null;
    if (alongside != null) {
      side = new Thread(alongside);
      side.start();
    }
    Thread.sleep(seconds * 1000L);
    running.set(false);
    for (Thread th : threads) {
      th.join();
    }
    if (side != null) {
      side.join();
    }
    long total = 0;
    for (long[] l : samples) {
      total += l[l.length - 1];
    }
    long[] all = new long[(int) total];
    int k = 0;
    for (long[] l : samples) {
      int n = (int) l[l.length - 1];
      System.arraycopy(l, 0, all, k, n);
      k += n;
    }
    Arrays.sort(all);
    return String.format(
        "%d decisions in %d s (%.0f/s), p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs, max %.0f µs, failed %d",
        all.length,
        seconds,
        all.length / (double) seconds,
        pct(all, 0.50),
        pct(all, 0.99),
        pct(all, 0.999),
        all[all.length - 1] / 1000.0,
        failures.get());
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
