package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@link CatalogueScaleBenchmark}'s question on a machine shared with other work: the same grown
 * catalogues and contexts, timed in thread CPU time (being descheduled does not count), the sizes
 * interleaved decision by decision so that whatever else the machine does weighs on every size
 * alike. In a round, each size decides {@code largest / size} times (26 actions: 96 decisions, 250:
 * 10, 2,500: 1), on the round's context, so every size does about the same per-candidate work and
 * is warmed by about as much (each size's rule base is compiled separately, so each is warmed on
 * its own). After the warm-up rounds, each decision's CPU time is taken for {@code decide} and for
 * writing its answer as JSON.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.CatalogueScaleProbe \
 *   [warm-up rounds, 400] [measured rounds, 150] [sizes, 26,250,2500]
 * </pre>
 */
public final class CatalogueScaleProbe {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final ObjectWriter WRITER = Json.mapper().writer();

  private CatalogueScaleProbe() {}

  public static void main(String[] args) throws IOException {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 150;
    int[] sizes =
        Arrays.stream((args.length > 2 ? args[2] : "26,250,2500").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    RuleSetSource bundled = RuleSetSource.bundled();
    DecisionEngine[] engines = new DecisionEngine[sizes.length];
    for (int s = 0; s < sizes.length; s++) {
      byte[] catalogue =
          CatalogueScaleBenchmark.grownCatalogue(bundled.bytes("catalogue.json"), sizes[s]);
      long t0 = System.nanoTime();
      RuleSet ruleSet =
          RuleSet.compile(
              bundled.with(
                  bundled.name() + "-catalogue-" + sizes[s], Map.of("catalogue.json", catalogue)));
      if (ruleSet.catalogue().size() != sizes[s]) {
        throw new IllegalStateException(
            "catalogue has " + ruleSet.catalogue().size() + " actions, wanted " + sizes[s]);
      }
      engines[s] = DecisionEngine.builder().ruleSet(ruleSet).build();
      System.out.printf(
          Locale.ROOT,
          "%d actions: compiled in %.1f s%n",
          sizes[s],
          (System.nanoTime() - t0) / 1e9);
    }
    CustomerContext[] contexts = Corpus.contexts().toArray(CustomerContext[]::new);
    int largest = Arrays.stream(sizes).max().orElseThrow();
    int[] reps =
        Arrays.stream(sizes).map(size -> Math.max(1, Math.round(largest / (float) size))).toArray();

    long started = System.nanoTime();
    for (int r = 0; r < warm; r++) {
      for (int s = 0; s < sizes.length; s++) {
        for (int k = 0; k < reps[s]; k++) {
          WRITER.writeValueAsBytes(engines[s].decide(contexts[r % contexts.length]));
        }
      }
    }
    System.out.printf(
        Locale.ROOT, "warm-up: %d rounds in %.0f s%n", warm, (System.nanoTime() - started) / 1e9);

    long[][] decide = new long[sizes.length][];
    long[][] write = new long[sizes.length][];
    long[] bytes = new long[sizes.length];
    for (int s = 0; s < sizes.length; s++) {
      decide[s] = new long[measured * reps[s]];
      write[s] = new long[measured * reps[s]];
    }
    for (int r = 0; r < measured; r++) {
      CustomerContext ctx = contexts[r % contexts.length];
      for (int s = 0; s < sizes.length; s++) {
        for (int k = 0; k < reps[s]; k++) {
          long t0 = THREADS.getCurrentThreadCpuTime();
          Decision d = engines[s].decide(ctx);
          long t1 = THREADS.getCurrentThreadCpuTime();
          bytes[s] += WRITER.writeValueAsBytes(d).length;
          decide[s][r * reps[s] + k] = t1 - t0;
          write[s][r * reps[s] + k] = THREADS.getCurrentThreadCpuTime() - t1;
        }
      }
    }

    System.out.printf(
        Locale.ROOT,
        "%n| actions | decisions | decide median CPU µs | decide p99 | decide mean | JSON write mean |"
            + " decide + write mean | decide mean ÷ the %d's | answer KB |%n",
        sizes[0]);
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    double base = 0;
    for (int s = 0; s < sizes.length; s++) {
      long[] d = decide[s].clone();
      Arrays.sort(d);
      double decideMean = Arrays.stream(d).average().orElse(0) / 1e3;
      double writeMean = Arrays.stream(write[s]).average().orElse(0) / 1e3;
      if (s == 0) {
        base = decideMean;
      }
      System.out.printf(
          Locale.ROOT,
          "| %,d | %,d | %,.1f | %,.1f | %,.1f | %,.1f | %,.1f | %.1f | %.1f |%n",
          sizes[s],
          d.length,
          d[d.length / 2] / 1e3,
          d[(int) (d.length * 0.99)] / 1e3,
          decideMean,
          writeMean,
          decideMean + writeMean,
          decideMean / base,
          bytes[s] / 1024.0 / d.length);
    }
  }
}
