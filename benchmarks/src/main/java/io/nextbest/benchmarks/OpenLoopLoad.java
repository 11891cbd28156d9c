package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.engine.Json;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load client for {@code POST /v1/decisions}: a closed-loop warm-up of a fixed number of decisions,
 * then open-loop phases at fixed rates, then a closed-loop maximum, all in one JVM (so the client
 * itself is warm for every measured phase).
 *
 * <p><b>Open loop</b>: request {@code i} of a phase is due at {@code t0 + i / rate}. Each of {@code
 * --connections} connections carries one request at a time; a 1 ms timer on the client's single
 * event loop hands every due request to a free connection, and a connection that comes free takes
 * the next request at once if it is already due. A request due while every connection is busy
 * waits, as a caller's would, and its latency is still taken from its <em>intended</em> send time
 * to the end of the response body, so time spent queued behind a slow server counts (no coordinated
 * omission). After the phase's last due time, the client waits up to {@code --drain} seconds for
 * the answers still outstanding; those still missing then are counted as {@code unfinished} and
 * recorded at their age at that moment, a lower bound. Each phase also reports how late the 1 ms
 * timer fired (the client's own stalls: with the cores shared, a stalled client delays requests,
 * which then count as slow, never as missing).
 *
 * <p><b>Closed loop</b>: each of {@code --closed-connections} connections keeps one request in
 * flight; latency is from the actual send. The warm-up is a closed loop that stops after {@code
 * --warm} decisions.
 *
 * <p>With {@code --server-pid}, each phase also reports the server's CPU time per completed
 * decision (user + system from {@code /proc/<pid>/stat}, read before and after the phase including
 * its drain) and the CPU its C1 and C2 JIT compiler threads used. Every phase prints the machine's
 * load average ({@code /proc/loadavg}) at its start and end. Latency is recorded in an HdrHistogram
 * (µs, 3 significant digits). Usage: see {@code benchmarks/load/run-open-loop.sh}.
 */
@Command(
    name = "OpenLoopLoad",
    mixinStandardHelpOptions = true,
    description = "Open- and closed-loop load for POST /v1/decisions (see docs/benchmarks.md).")
public final class OpenLoopLoad implements Callable<Integer> {
  @Option(names = "--url", description = "decision endpoint", required = true)
  URI url;

  @Option(
      names = "--key",
      description = "agent API key (default: $NBA_KEY)",
      defaultValue = "${env:NBA_KEY}")
  String key;

  @Option(
      names = "--body",
      description = "request body file (default: ${DEFAULT-VALUE})",
      defaultValue = "benchmarks/load/context.json")
  Path body;

  @Option(
      names = "--warm",
      description = "closed-loop warm-up decisions before measuring (default: ${DEFAULT-VALUE})",
      defaultValue = "250000")
  long warm;

  @Option(
      names = "--rates",
      split = ",",
      description = "open-loop rates, decisions/s (default: ${DEFAULT-VALUE})",
      defaultValue = "1000,3000,5000")
  int[] rates;

  @Option(
      names = "--duration",
      description = "seconds per open-loop rate (default: ${DEFAULT-VALUE})",
      defaultValue = "20")
  int duration;

  @Option(
      names = "--connections",
      description = "connections the open loop may open (default: ${DEFAULT-VALUE})",
      defaultValue = "64")
  int connections;

  @Option(
      names = "--preconnect",
      negatable = true,
      description =
          "open the open loop's connections before its first due request, as a desk that keeps"
              + " its connections does (default: ${DEFAULT-VALUE})",
      defaultValue = "true",
      fallbackValue = "true")
  boolean preconnect;

  @Option(
      names = "--drain",
      description =
          "seconds to wait for outstanding answers after an open-loop phase (default: ${DEFAULT-VALUE})",
      defaultValue = "15")
  int drain;

  @Option(
      names = "--closed",
      description =
          "seconds of closed loop after the open loop, 0 for none (default: ${DEFAULT-VALUE})",
      defaultValue = "20")
  int closed;

  @Option(
      names = "--closed-connections",
      description = "connections of the warm-up and closed loop (default: ${DEFAULT-VALUE})",
      defaultValue = "16")
  int closedConnections;

  @Option(
      names = "--pause",
      description = "seconds of rest between phases (default: ${DEFAULT-VALUE})",
      defaultValue = "3")
  int pause;

  @Option(names = "--server-pid", description = "server process, for CPU from /proc")
  Long serverPid;

  @Option(names = "--label", description = "first column of the table rows", defaultValue = "")
  String label;

  @Option(names = "--json", description = "write the results here as JSON")
  Path json;

  private static final long DUE_TICK_MS = 1;

  private Vertx vertx;
  private Context context;
  private Buffer payload;
  private ProcCpu server;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OpenLoopLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (key == null || key.isBlank()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "an agent key is needed: --key or $NBA_KEY");
    }
    payload = Buffer.buffer(Files.readAllBytes(body));
    server = serverPid == null ? null : new ProcCpu(serverPid);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    context = vertx.getOrCreateContext();
    List<Map<String, Object>> results = new ArrayList<>();
    try {
      System.out.printf(
          Locale.ROOT,
          "%s  %s  load average %s  server pid %s%n",
          Instant.now(),
          url,
          ProcCpu.loadavg(),
          serverPid == null ? "(not given: no server CPU)" : serverPid);
      if (warm > 0) {
        results.add(report(closedLoop("warm-up", warm, Long.MAX_VALUE)));
      }
      for (int rate : rates) {
        rest();
        results.add(report(openLoop(rate)));
      }
      if (closed > 0) {
        rest();
        results.add(report(closedLoop("closed", Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(closed))));
      }
    } finally {
      vertx.close().await();
    }
    System.out.println();
    System.out.println(
        "| run | phase | offered/s | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |"
            + " errors | unfinished | server CPU µs/decision | JIT C1+C2 CPU s | load avg |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Map<String, Object> r : results) {
      System.out.println(row(r));
    }
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("label", label);
      doc.put("url", url.toString());
      doc.put("serverPid", serverPid);
      doc.put("phases", results);
      Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
    }
    return 0;
  }

  private void rest() throws InterruptedException {
    Thread.sleep(TimeUnit.SECONDS.toMillis(pause));
  }

  /** One phase's counts and latencies, touched only on the client's event loop. */
  private final class Phase {
    final String name;
    final String mode;
    final double offeredRate;
    final int conns;
    final Histogram latency = new Histogram(TimeUnit.HOURS.toMicros(1), 3);

    /**
     * Open loop: how long after its intended time each request went out (waiting for a free
     * connection included).
     */
    final Histogram sendDelay = new Histogram(TimeUnit.HOURS.toMicros(1), 3);

    /** Open loop: how late the client's 1 ms timer fired, i.e. the client's own stalls. */
    final Histogram timerLag = new Histogram(TimeUnit.HOURS.toMicros(1), 3);

    /**
     * Open loop, per second of due time: latency from the due time, and the answer time alone (from
     * the request going out to its answer), so that a backlog waiting for connections and a slow
     * server can be told apart.
     */
    final List<Histogram> latencyBySecond = new ArrayList<>();

    final List<Histogram> answerBySecond = new ArrayList<>();

    long sent;
    long completed;
    long completedInWindow;
    long non2xx;
    long failures;
    long unfinished;
    String firstError;
    long startNanos;
    long windowEndNanos;
    long endNanos;
    boolean over;
    final Promise<Void> done = Promise.promise();

    ProcCpu.Sample serverBefore;
    ProcCpu.Sample serverAfter;
    String loadBefore;
    String loadAfter;
    long clientCpuBefore;
    long clientCpuAfter;

    Phase(String name, String mode, double offeredRate, int conns) {
      this.name = name;
      this.mode = mode;
      this.offeredRate = offeredRate;
      this.conns = conns;
    }

    void begin() {
      loadBefore = ProcCpu.loadavg();
      serverBefore = server == null ? null : server.sample();
      clientCpuBefore = clientCpuNanos();
      startNanos = System.nanoTime();
    }

    void end() {
      endNanos = System.nanoTime();
      clientCpuAfter = clientCpuNanos();
      serverAfter = server == null ? null : server.sample();
      loadAfter = ProcCpu.loadavg();
    }

    /**
     * An answer (or failure) to a request meant to go out at {@code fromNanos} and sent at {@code
     * sentNanos}.
     */
    void answered(long fromNanos, long sentNanos, int status, Throwable failure) {
      if (over) {
        return;
      }
      long now = System.nanoTime();
      if ("open".equals(mode) && failure == null) {
        int second = (int) Math.max(0, (fromNanos - startNanos) / 1_000_000_000L);
        while (latencyBySecond.size() <= second) {
          latencyBySecond.add(new Histogram(TimeUnit.HOURS.toMicros(1), 2));
          answerBySecond.add(new Histogram(TimeUnit.HOURS.toMicros(1), 2));
        }
        latencyBySecond.get(second).recordValue(Math.max(0, (now - fromNanos) / 1_000));
        answerBySecond.get(second).recordValue(Math.max(0, (now - sentNanos) / 1_000));
      }
      if (failure != null) {
        failures++;
        if (firstError == null) {
          firstError = failure.toString();
        }
      } else {
        if (status < 200 || status > 299) {
          non2xx++;
          if (firstError == null) {
            firstError = "HTTP " + status;
          }
        }
        latency.recordValue(Math.max(0, (now - fromNanos) / 1_000));
      }
      completed++;
      if (now <= windowEndNanos) {
        completedInWindow++;
      }
    }
  }

  private HttpClient client(int conns) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setDefaultHost(url.getHost())
            .setDefaultPort(url.getPort() < 0 ? 80 : url.getPort())
            .setKeepAlive(true)
            .setTcpNoDelay(true);
    return vertx
        .httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1))
        .build();
  }

  /** Sends one decision request; {@code then} runs on the event loop once it is answered. */
  private void send(HttpClient http, Phase phase, long fromNanos, Runnable then) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(url.getRawPath())
            .putHeader("Content-Type", "application/json")
            .putHeader("X-API-Key", key);
    phase.sent++;
    long sentNanos = System.nanoTime();
    http.request(request)
        .compose(req -> req.send(payload))
        .compose((HttpClientResponse resp) -> resp.body().map(ignored -> resp.statusCode()))
        .onComplete(
            ar -> {
              phase.answered(fromNanos, sentNanos, ar.succeeded() ? ar.result() : 0, ar.cause());
              then.run();
            });
  }

  private Phase openLoop(int rate) {
    Phase phase = new Phase("open " + rate + "/s", "open", rate, connections);
    HttpClient http = client(connections);
    if (preconnect) {
      preconnect(http);
    }
    context.runOnContext(v -> new OpenRun(phase, http, rate).start());
    phase.done.future().await();
    http.close().await();
    return phase;
  }

  /**
   * Opens every connection of the pool: as many liveness requests at once as the pool may hold, so
   * that the phase measures decisions, not TCP and HTTP connection set-up.
   */
  private void preconnect(HttpClient http) {
    List<io.vertx.core.Future<Integer>> probes = new ArrayList<>();
    RequestOptions live = new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/live");
    for (int c = 0; c < connections; c++) {
      probes.add(
          http.request(live)
              .compose(req -> req.send())
              .compose(resp -> resp.body().map(ignored -> resp.statusCode())));
    }
    io.vertx.core.Future.all(probes).await();
  }

  /**
   * One open-loop phase, on the event loop. Request {@code i} is due at {@code t0 + i / rate}; each
   * of the {@code --connections} connections carries one request at a time and, when free, takes
   * the next request that is due (the 1 ms timer hands due requests to free connections). A request
   * that is due while every connection is busy waits for one, and its latency still counts from
   * when it was due. The client never queues requests inside the HTTP client's pool.
   */
  private final class OpenRun {
    final Phase phase;
    final HttpClient http;
    final long total;
    final double intervalNanos;
    final long drainNanos = TimeUnit.SECONDS.toNanos(drain);

    /** Per connection slot, the due time of the request it carries, or -1 when free. */
    final long[] busyDue;

    final int[] free;
    int freeCount;
    long t0;
    long next;
    long lastTick;

    OpenRun(Phase phase, HttpClient http, int rate) {
      this.phase = phase;
      this.http = http;
      this.total = (long) rate * duration;
      this.intervalNanos = 1e9 / rate;
      this.busyDue = new long[connections];
      this.free = new int[connections];
      for (int c = 0; c < connections; c++) {
        busyDue[c] = -1;
        free[freeCount++] = c;
      }
    }

    long due(long i) {
      return t0 + (long) (i * intervalNanos);
    }

    void start() {
      phase.begin();
      t0 = phase.startNanos;
      lastTick = t0;
      phase.windowEndNanos = t0 + TimeUnit.SECONDS.toNanos(duration);
      vertx.setPeriodic(DUE_TICK_MS, this::tick);
    }

    void tick(long timer) {
      long now = System.nanoTime();
      phase.timerLag.recordValue(
          Math.max(0, (now - lastTick - TimeUnit.MILLISECONDS.toNanos(DUE_TICK_MS)) / 1_000));
      lastTick = now;
      while (freeCount > 0 && next < total && due(next) <= now) {
        send(free[--freeCount], now);
      }
      // Done when every request is answered, or at the drain deadline whether or not every
      // request could be sent: those still waiting for a connection count as unfinished too.
      if (phase.completed == total || now > phase.windowEndNanos + drainNanos) {
        vertx.cancelTimer(timer);
        finish(now);
      }
    }

    void send(int slot, long now) {
      long due = due(next++);
      busyDue[slot] = due;
      phase.sendDelay.recordValue(Math.max(0, (now - due) / 1_000));
      OpenLoopLoad.this.send(http, phase, due, () -> answered(slot));
    }

    void answered(int slot) {
      busyDue[slot] = -1;
      if (phase.over) {
        return;
      }
      long now = System.nanoTime();
      if (next < total && due(next) <= now) {
        send(slot, now);
      } else {
        free[freeCount++] = slot;
      }
    }

    /** Records the requests still unanswered at the drain deadline at their age then; closes. */
    void finish(long now) {
      phase.unfinished = total - phase.completed;
      for (long i = next; i < total; i++) {
        phase.latency.recordValue(Math.max(0, (now - due(i)) / 1_000));
      }
      for (long due : busyDue) {
        if (due >= 0) {
          phase.latency.recordValue(Math.max(0, (now - due) / 1_000));
        }
      }
      phase.over = true;
      phase.end();
      phase.done.complete();
    }
  }

  private Phase closedLoop(String name, long count, long durationNanos) {
    Phase phase = new Phase(name, "closed", Double.NaN, closedConnections);
    HttpClient http = client(closedConnections);
    long[] inFlight = {0};
    context.runOnContext(
        v -> {
          phase.begin();
          long deadline =
              durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : phase.startNanos + durationNanos;
          phase.windowEndNanos = deadline;
          Runnable[] loop = new Runnable[1];
          loop[0] =
              () -> {
                if (phase.sent >= count || System.nanoTime() >= deadline) {
                  if (--inFlight[0] == 0) {
                    phase.over = true;
                    phase.end();
                    phase.done.complete();
                  }
                  return;
                }
                send(http, phase, System.nanoTime(), loop[0]);
              };
          for (int c = 0; c < closedConnections; c++) {
            inFlight[0]++;
            loop[0].run();
          }
        });
    // A line every 30 s while it runs, so that a long warm-up shows its pace.
    long progress =
        vertx.setPeriodic(
            30_000,
            new io.vertx.core.Handler<Long>() {
              long lastCompleted;
              ProcCpu.Sample lastSample = phase.serverBefore;

              @Override
              public void handle(Long timer) {
                ProcCpu.Sample now = server == null ? null : server.sample();
                System.out.printf(
                    Locale.ROOT,
                    "  %s: %,d decisions, %.0f/s in the last 30 s%s, load average %s%n",
                    phase.name,
                    phase.completed,
                    (phase.completed - lastCompleted) / 30.0,
                    now == null || lastSample == null
                        ? ""
                        : String.format(
                            Locale.ROOT,
                            ", JIT CPU %.1f s of them",
                            now.c1SecondsSince(lastSample) + now.c2SecondsSince(lastSample)),
                    ProcCpu.loadavg());
                lastCompleted = phase.completed;
                lastSample = now;
              }
            });
    phase.done.future().await();
    vertx.cancelTimer(progress);
    http.close().await();
    return phase;
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private Map<String, Object> report(Phase p) {
    double windowSeconds = (Math.min(p.windowEndNanos, p.endNanos) - p.startNanos) / 1e9;
    double wallSeconds = (p.endNanos - p.startNanos) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("label", label);
    r.put("phase", p.name);
    r.put("mode", p.mode);
    r.put("offeredPerSecond", Double.isNaN(p.offeredRate) ? null : p.offeredRate);
    r.put("connections", p.conns);
    r.put("windowSeconds", round(windowSeconds, 2));
    r.put("wallSeconds", round(wallSeconds, 2));
    r.put("sent", p.sent);
    r.put("completed", p.completed);
    r.put("achievedPerSecond", round(p.completedInWindow / windowSeconds, 0));
    r.put("non2xx", p.non2xx);
    r.put("failures", p.failures);
    r.put("unfinished", p.unfinished);
    r.put("firstError", p.firstError);
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("p50", round(ms(p.latency, 50), 3));
    lat.put("p90", round(ms(p.latency, 90), 3));
    lat.put("p99", round(ms(p.latency, 99), 3));
    lat.put("p99.9", round(ms(p.latency, 99.9), 3));
    lat.put("max", round(p.latency.getMaxValue() / 1000.0, 3));
    lat.put("mean", round(p.latency.getMean() / 1000.0, 3));
    r.put("latencyMs", lat);
    if ("open".equals(p.mode)) {
      Map<String, Object> delay = new LinkedHashMap<>();
      delay.put("p50", round(ms(p.sendDelay, 50), 3));
      delay.put("p99", round(ms(p.sendDelay, 99), 3));
      delay.put("max", round(p.sendDelay.getMaxValue() / 1000.0, 3));
      r.put("sendDelayMs", delay);
      Map<String, Object> lag = new LinkedHashMap<>();
      lag.put("p99", round(ms(p.timerLag, 99), 3));
      lag.put("max", round(p.timerLag.getMaxValue() / 1000.0, 3));
      r.put("clientTimerLagMs", lag);
      r.put("bySecond", bySecond(p));
    }
    if (p.serverBefore != null) {
      double cpu = p.serverAfter.processSecondsSince(p.serverBefore);
      r.put("serverCpuSeconds", round(cpu, 2));
      r.put(
          "serverCpuMicrosPerDecision",
          p.completed == 0 ? null : round(cpu * 1e6 / p.completed, 0));
      r.put("jitC1CpuSeconds", round(p.serverAfter.c1SecondsSince(p.serverBefore), 2));
      r.put("jitC2CpuSeconds", round(p.serverAfter.c2SecondsSince(p.serverBefore), 2));
    }
    r.put("clientCpuSeconds", round((p.clientCpuAfter - p.clientCpuBefore) / 1e9, 2));
    r.put("loadAverageBefore", p.loadBefore);
    r.put("loadAverageAfter", p.loadAfter);

    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%n%s: %s, %d connections, %.1f s (%.1f s with drain)%n"
                + "  sent %d, completed %d, achieved %.0f/s, non-2xx %d, failures %d, unfinished %d%s%n"
                + "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
            p.name,
            p.mode,
            p.conns,
            windowSeconds,
            wallSeconds,
            p.sent,
            p.completed,
            p.completedInWindow / windowSeconds,
            p.non2xx,
            p.failures,
            p.unfinished,
            p.firstError == null ? "" : " (first: " + p.firstError + ")",
            ms(p.latency, 50),
            ms(p.latency, 90),
            ms(p.latency, 99),
            ms(p.latency, 99.9),
            p.latency.getMaxValue() / 1000.0));
    if ("open".equals(p.mode)) {
      text.append(
          String.format(
              Locale.ROOT,
              "  sent after its due time ms: p50 %.2f  p99 %.2f  max %.2f;"
                  + " client timer late ms: p99 %.2f  max %.2f%n",
              ms(p.sendDelay, 50),
              ms(p.sendDelay, 99),
              p.sendDelay.getMaxValue() / 1000.0,
              ms(p.timerLag, 99),
              p.timerLag.getMaxValue() / 1000.0));
      StringBuilder latency = new StringBuilder("  p99 ms by second, from due time:");
      StringBuilder answer = new StringBuilder("  p99 ms by second, answer alone:  ");
      for (int i = 0; i < p.latencyBySecond.size(); i++) {
        latency.append(' ').append(ms(ms(p.latencyBySecond.get(i), 99)));
        answer.append(' ').append(ms(ms(p.answerBySecond.get(i), 99)));
      }
      text.append(latency).append('\n').append(answer).append('\n');
    }
    if (p.serverBefore != null) {
      text.append(
          String.format(
              Locale.ROOT,
              "  server CPU %.1f s = %s µs per decision; JIT C1 %.1f s, C2 %.1f s%n",
              r.get("serverCpuSeconds"),
              r.get("serverCpuMicrosPerDecision"),
              r.get("jitC1CpuSeconds"),
              r.get("jitC2CpuSeconds")));
    }
    text.append(
        String.format(
            Locale.ROOT,
            "  client CPU %.1f s; load average %s -> %s%n",
            r.get("clientCpuSeconds"),
            p.loadBefore,
            p.loadAfter));
    System.out.print(text);
    System.out.flush();
    return r;
  }

  /** Per second of due time: requests answered, p99 and max from the due time, p99 answer alone. */
  private static List<Map<String, Object>> bySecond(Phase p) {
    List<Map<String, Object>> seconds = new ArrayList<>();
    for (int i = 0; i < p.latencyBySecond.size(); i++) {
      Histogram latency = p.latencyBySecond.get(i);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("second", i);
      s.put("answered", latency.getTotalCount());
      s.put("p99Ms", round(ms(latency, 99), 3));
      s.put("maxMs", round(latency.getMaxValue() / 1000.0, 3));
      s.put("answerP99Ms", round(ms(p.answerBySecond.get(i), 99), 3));
      seconds.add(s);
    }
    return seconds;
  }

  private static String row(Map<String, Object> r) {
    @SuppressWarnings("unchecked")
    Map<String, Object> lat = (Map<String, Object>) r.get("latencyMs");
    Object offered = r.get("offeredPerSecond");
    Object jit =
        r.containsKey("jitC1CpuSeconds")
            ? String.format(
                Locale.ROOT,
                "%.1f",
                (Double) r.get("jitC1CpuSeconds") + (Double) r.get("jitC2CpuSeconds"))
            : "–";
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s | %s | %s → %s |",
        r.get("label"),
        r.get("phase"),
        offered == null ? "closed, " + r.get("connections") + " conns" : fmt((Double) offered),
        fmt((Double) r.get("achievedPerSecond")),
        ms(lat.get("p50")),
        ms(lat.get("p90")),
        ms(lat.get("p99")),
        ms(lat.get("p99.9")),
        ms(lat.get("max")),
        (Long) r.get("non2xx") + (Long) r.get("failures"),
        (Long) r.get("unfinished"),
        r.get("serverCpuMicrosPerDecision") == null
            ? "–"
            : fmt((Double) r.get("serverCpuMicrosPerDecision")),
        jit,
        first(r.get("loadAverageBefore")),
        first(r.get("loadAverageAfter")));
  }

  /** Three significant figures or so: 0.85, 12.3, 456. */
  private static String ms(Object value) {
    double v = ((Number) value).doubleValue();
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%,.0f", v);
  }

  private static String first(Object loadavg) {
    return String.valueOf(loadavg).split(" ")[0];
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
