package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Views;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The JSON work of one {@code POST /v1/decisions} outside the decision itself, in thread CPU time:
 * parsing the body to the tree the contract check reads, binding the tree to a {@link
 * CustomerContext}, and encoding the compact answer, each on the load test's context (default
 * {@code benchmarks/load/context.json}), next to the decision they surround.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.JsonPathProbe [warmup] [measured] [context.json]
 * </pre>
 */
public final class JsonPathProbe {
  private JsonPathProbe() {}

  public static void main(String[] args) throws IOException {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    byte[] body =
        Files.readAllBytes(Path.of(args.length > 2 ? args[2] : "benchmarks/load/context.json"));
    DecisionEngine engine =
        DecisionEngine.builder().ruleSet(RuleSet.compile(RuleSetSource.bundled())).build();
    ObjectReader tree = Json.mapper().readerFor(JsonNode.class);
    ObjectReader context =
        Json.mapper()
            .readerFor(CustomerContext.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    ObjectWriter compact = Json.mapper().writerFor(Decision.class).withView(Views.Compact.class);
    JsonNode parsed = tree.readValue(body);
    CustomerContext ctx = context.readValue(parsed);
    Decision decision = engine.decide(ctx);
    System.out.printf(
        "context %d bytes, compact answer %d bytes%n",
        body.length, compact.writeValueAsBytes(decision).length);

    Map<String, IntConsumer> paths = new LinkedHashMap<>();
    paths.put("parse", i -> unchecked(() -> tree.readValue(body)));
    paths.put("bind", i -> unchecked(() -> context.readValue(parsed)));
    paths.put("decide", i -> engine.decide(ctx));
    paths.put("encode", i -> unchecked(() -> compact.writeValueAsBytes(decision)));
    System.out.printf(
        "%-8s %8s %8s %8s   (CPU µs per call, %d warm-up, %d measured)%n",
        "step", "median", "p99", "mean", warmup, measured);
    var threads = ManagementFactory.getThreadMXBean();
    for (Map.Entry<String, IntConsumer> p : paths.entrySet()) {
      IntConsumer path = p.getValue();
      for (int i = 0; i < warmup; i++) {
        path.accept(i);
      }
      long[] cpu = new long[measured];
      for (int i = 0; i < measured; i++) {
        long t0 = threads.getCurrentThreadCpuTime();
        path.accept(i);
        cpu[i] = threads.getCurrentThreadCpuTime() - t0;
      }
      Arrays.sort(cpu);
      System.out.printf(
          "%-8s %8.1f %8.1f %8.1f%n",
          p.getKey(),
          cpu[measured / 2] / 1e3,
          cpu[(int) (measured * 0.99)] / 1e3,
          Arrays.stream(cpu).average().orElse(0) / 1e3);
    }
  }

  private interface Step {
    Object run() throws IOException;
  }

  private static void unchecked(Step step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
