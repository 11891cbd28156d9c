package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.management.OperatingSystemMXBean;
import io.nextbest.benchmarks.Corpus;
import io.nextbest.engine.Json;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.registry.VersionInfo;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What warming before ready buys: opens the service as {@code Main} does (embedded store in a fresh
 * data directory, the bundled rule set, the start's warm-up as configured), then times the first
 * decisions after it would say ready, each the way {@code POST /v1/decisions} makes it but without
 * HTTP: the body bound from JSON, decided and audited by {@code CustomerService}, recorded in the
 * metrics, the answer encoded. Then it activates a changed rule set (the contact policy's cap) with
 * the activation's warm-up as configured and times the first decisions on it the same way, and
 * last, after {@code steady} more decisions, a window of warm decisions for reference.
 *
 * <p>The JIT's state belongs to the process, so each configuration needs a JVM of its own; {@code
 * benchmarks/warmup.sh} runs them alternately and prints one line each.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.api.WarmUpProbe \
 *     [start decisions] [activation decisions] [window] [steady]
 * </pre>
 *
 * Prints, per phase: wall time, CPU time of the deciding thread and of the whole process (the JIT's
 * compiler threads, GC and the audit writer included) and JIT compile time, per decision in µs.
 */
public final class WarmUpProbe {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static final ObjectReader TREE = Json.mapper().readerFor(JsonNode.class);
  private static final ObjectReader CONTEXT = JsonBodies.reader(CustomerContext.class);
  private static final ObjectWriter WRITER = Json.mapper().writer();

  private WarmUpProbe() {}

  /** Counters at one moment. */
  private record Mark(long wall, long thread, long process, long jit) {
    static Mark now() {
      return new Mark(
          System.nanoTime(),
          THREADS.getCurrentThreadCpuTime(),
          OS.getProcessCpuTime(),
          JIT.getTotalCompilationTime());
    }
  }

  public static void main(String[] args) throws Exception {
    int start = args.length > 0 ? Integer.parseInt(args[0]) : WarmUpConfig.DEFAULT_DECISIONS;
    int activation =
        args.length > 1 ? Integer.parseInt(args[1]) : WarmUpConfig.DEFAULT_ACTIVATION_DECISIONS;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int steady = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
    Path dir = Files.createTempDirectory("nba-warmup-probe-");
    ApiConfig config =
        new ApiConfig(
            0,
            dir,
            ApiConfig.DEFAULT_MAX_BODY_BYTES,
            ApiConfig.DEFAULT_MAX_UPLOAD_BYTES,
            1,
            Map.of("warm-up-probe-key-0123456789", Role.ADMIN),
            null,
            null);
    Vertx vertx = Vertx.vertx();
    ServiceMetrics metrics = new ServiceMetrics();
    WarmUpConfig warm =
        new WarmUpConfig(
            start,
            WarmUpConfig.DEFAULT_MAX_SECONDS,
            activation,
            WarmUpConfig.DEFAULT_ACTIVATION_MAX_SECONDS);
    Mark opened = Mark.now();
    Services services = Services.open(vertx, config, StoreConfig.EMBEDDED, metrics, warm);
    try {
      Mark t0 = Mark.now();
      services.warmUp().start();
      services.warmUp().awaitStart();
      Mark ready = Mark.now();
      List<JsonNode> bodies = Corpus.json().stream().map(WarmUpProbe::tree).toList();
      String v1 = services.engine().ruleSet().version();

      long[] first = new long[window];
      Mark a = Mark.now();
      decide(services, metrics, bodies, first, 0);
      Mark b = Mark.now();

      VersionInfo v2 =
          services
              .registry()
              .upload(
                  Map.of("dmn/contact-policy.dmn", editedContactPolicy()),
                  null,
                  "warm-up-probe",
                  "four a week");
      Mark c = Mark.now();
      services.registry().activate(v2.sequence(), "warm-up-probe");
      Mark d = Mark.now();
      long[] afterActivation = new long[window];
      decide(services, metrics, bodies, afterActivation, window);
      Mark e = Mark.now();

      long[] sink = new long[1];
      for (int i = 0; i < steady; i++) {
        sink[0] += one(services, metrics, bodies.get(i % bodies.size()));
      }
      long[] warmWindow = new long[window];
      Mark f = Mark.now();
      decide(services, metrics, bodies, warmWindow, 0);
      Mark g = Mark.now();

      System.out.printf(
          Locale.ROOT,
          "start warm-up %d, activation warm-up %d, window %d decisions, %d cores, load average %.2f%n",
          start,
          activation,
          window,
          Runtime.getRuntime().availableProcessors(),
          OS.getSystemLoadAverage());
      System.out.printf(
          Locale.ROOT,
          "  open (compile + gate) %.1f s; warm-up %.1f s wall, %.1f s process CPU, %.1f s JIT%n",
          (t0.wall() - opened.wall()) / 1e9,
          (ready.wall() - t0.wall()) / 1e9,
          (ready.process() - t0.process()) / 1e9,
          (ready.jit() - t0.jit()) / 1e3);
      print("first " + window + " after ready (" + v1 + ")", a, b, first);
      System.out.printf(
          Locale.ROOT,
          "  activation of %s took %.2f s (compile, gate, warm-up)%n",
          v2.label(),
          (d.wall() - c.wall()) / 1e9);
      print("first " + window + " after activation", d, e, afterActivation);
      print(window + " after " + steady + " more", f, g, warmWindow);
      if (sink[0] == 42) {
        System.out.println();
      }
    } finally {
      services.close();
      vertx.close().await();
    }
  }

  private static void decide(
      Services services, ServiceMetrics metrics, List<JsonNode> bodies, long[] cpu, int offset) {
    for (int i = 0; i < cpu.length; i++) {
      long t = THREADS.getCurrentThreadCpuTime();
      one(services, metrics, bodies.get((i + offset) % bodies.size()));
      cpu[i] = THREADS.getCurrentThreadCpuTime() - t;
    }
  }

  /** One decision the way the handler makes it, HTTP aside. */
  private static int one(Services services, ServiceMetrics metrics, JsonNode body) {
    long started = System.nanoTime();
    CustomerContext request = JsonBodies.bind(body, CONTEXT, "a customer context");
    Set<String> fields = CustomerHandlers.profileFields(body);
    Decision decision =
        services.customers().decide(request, fields, services.engine().newDecisionId());
    metrics.decided(decision, System.nanoTime() - started);
    try {
      return WRITER.writeValueAsBytes(decision).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(String phase, Mark from, Mark to, long[] cpu) {
    long[] sorted = cpu.clone();
    Arrays.sort(sorted);
    int n = cpu.length;
    System.out.printf(
        Locale.ROOT,
        "  %-34s wall %6.0f µs, thread CPU %6.0f µs (median %5.0f, p99 %6.0f), process CPU %6.0f µs, JIT %5.0f ms in all%n",
        phase + ":",
        (to.wall() - from.wall()) / 1e3 / n,
        (to.thread() - from.thread()) / 1e3 / n,
        sorted[n / 2] / 1e3,
        sorted[(int) (n * 0.99)] / 1e3,
        (to.process() - from.process()) / 1e3 / n,
        (double) (to.jit() - from.jit()));
  }

  private static JsonNode tree(byte[] body) {
    try {
      return TREE.readValue(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundled contact policy with the weekly cap of one row raised from 3 to 4. */
  private static byte[] editedContactPolicy() {
    String dmn = io.nextbest.engine.RuleSetSource.bundled().text("dmn/contact-policy.dmn");
    String edited =
        dmn.replaceFirst("(?s)(&gt;= 80</text>.*?<outputEntry[^>]*>\\s*<text>)3(</text>)", "$14$2");
    if (edited.equals(dmn)) {
      throw new IllegalStateException("the contact policy's cap row was not found");
    }
    return edited.getBytes(StandardCharsets.UTF_8);
  }
}
