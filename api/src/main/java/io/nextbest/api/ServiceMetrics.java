package io.nextbest.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nextbest.engine.DecisionObserver;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's Prometheus meters, one registry per process: Vert.x's own (HTTP server, worker
 * pools), the JVM's, the event loops' backlog, and the decisions'. Every label takes values from a
 * closed set (outcomes, quadrants, action families, the rule names of the compiled DRL, problem
 * types, rule-set versions), never customer or decision ids, so the number of series is bounded.
 * Recording is a map lookup and an adder increment: about 10 µs of CPU per decision with its
 * 100–150 rule firings ({@code MetricsOverheadProbe}, docs/benchmarks.md).
 */
final class ServiceMetrics implements DecisionObserver {
  /** What {@code GET /metrics} answers: the Prometheus text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * How a {@code POST /v1/decisions} ended: the {@code outcome} label of {@code
   * nba_decision_seconds}.
   */
  enum Outcome {
    /** Decided with the store's profile. */
    OK,
    /** Decided from the request alone because the store could not be reached. */
    DEGRADED,
    /** Refused: the request was the client's mistake (4xx). */
    REJECTED,
    /** Failed on our side (5xx). */
    FAILED;

    final String label = name().toLowerCase(Locale.ROOT);
  }

  private final PrometheusMeterRegistry registry;
  private final Map<Outcome, Timer> decisionTimes = new java.util.EnumMap<>(Outcome.class);
  private final Map<Outcome, Timer> decisionQuantiles = new java.util.EnumMap<>(Outcome.class);

  /** Decisions by quadrant and top family; the last column is "no action recommended". */
  private final Counter[][] decisions =
      new Counter[Quadrant.values().length][ActionFamily.values().length + 1];

  private final Map<String, Counter> firings = new ConcurrentHashMap<>();
  private final Map<String, Counter> suppressions = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private Gauge ruleSet;

  ServiceMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    // Its GC notification listener lives as long as the process, as does the registry.
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (Outcome o : Outcome.values()) {
      // Prometheus cannot carry buckets and quantiles in one family: buckets (aggregable across
      // nodes,
      // histogram_quantile) on nba_decision_seconds, this node's p50/p95/p99 of the last minutes on
      // nba_decision_quantiles_seconds.
      decisionTimes.put(
          o,
          Timer.builder("nba.decision")
              .description(
                  "Time to answer POST /v1/decisions on its worker: parse, resolve the profile, decide, encode")
              .tag("outcome", o.label)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(10))
              .register(registry));
      decisionQuantiles.put(
          o,
          Timer.builder("nba.decision.quantiles")
              .description(
                  "The same times as nba_decision_seconds, as this node's p50, p95 and p99 over a sliding window")
              .tag("outcome", o.label)
              .publishPercentiles(0.5, 0.95, 0.99)
              .register(registry));
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  /**
   * A Vert.x whose HTTP server, client and pool metrics go to this registry (the metrics SPI must
   * be given when Vert.x is created), with the event loops' pending tasks bound as well.
   */
  Vertx newVertx(VertxOptions options) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            // Routes, not paths: /v1/decisions/:id stays one series however many ids are asked for.
            .setLabels(
                EnumSet.of(
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.HTTP_ROUTE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME));
    Vertx vertx =
        Vertx.builder()
            .with(options.setMetricsOptions(metrics))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    bindEventLoops(vertx);
    return vertx;
  }

  /**
   * Pending tasks per event loop ({@code netty_eventexecutor_tasks_pending}): a loop falling behind
   * shows here first.
   */
  void bindEventLoops(Vertx vertx) {
    new NettyEventExecutorMetrics(((VertxInternal) vertx).nettyEventLoopGroup()).bindTo(registry);
  }

  @Override
  public void ruleFired(String rule) {
    counter(firings, rule, "nba.rule.firings", "rule", "Rule consequences run, by rule")
        .increment();
  }

  /**
   * Counts a decision that was answered: its time, quadrant, top action family and every
   * suppression.
   */
  void decided(Decision d, long nanos) {
    time(Boolean.TRUE.equals(d.degraded()) ? Outcome.DEGRADED : Outcome.OK, nanos);
    Quadrant q = d.segment().quadrant();
    ActionFamily top = d.top().map(io.nextbest.engine.model.RecommendedAction::family).orElse(null);
    int column = top == null ? ActionFamily.values().length : top.ordinal();
    Counter c = decisions[q.ordinal()][column];
    if (c == null) {
      // Registering is idempotent, so two threads racing here end up with the same counter.
      c =
          Counter.builder("nba.decisions")
              .description(
                  "Decisions answered, by quadrant and by the family of the top action (none: nothing recommended)")
              .tag("quadrant", q.name())
              .tag("top_family", top == null ? "none" : top.name())
              .register(registry);
      decisions[q.ordinal()][column] = c;
    }
    c.increment();
    for (SuppressedAction s : d.suppressed()) {
      for (Suppression by : s.by()) {
        counter(
                suppressions,
                by.rule() == null ? "unknown" : by.rule(),
                "nba.suppressions",
                "rule",
                "Candidate actions held back, by the rule that held them")
            .increment();
      }
    }
  }

  /**
   * Counts decisions made to warm the JIT up ({@code start} or {@code activation}), which no client
   * asked for and no other meter counts.
   */
  void warmedUp(String purpose, int decisions) {
    Counter.builder("nba.warmup.decisions")
        .description("Decisions made to warm up, before readiness or an activation; never served")
        .tag("purpose", purpose)
        .register(registry)
        .increment(decisions);
  }

  /** Counts a decision request that ended in a problem. */
  void decisionFailed(int status, long nanos) {
    time(status < 500 ? Outcome.REJECTED : Outcome.FAILED, nanos);
  }

  private void time(Outcome o, long nanos) {
    decisionTimes.get(o).record(nanos, TimeUnit.NANOSECONDS);
    decisionQuantiles.get(o).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a problem answer by its type and status class (every route, 4xx and 5xx). */
  void problem(Problem p) {
    String type =
        p.type().equals(Problem.BLANK)
            ? p.title().toLowerCase(Locale.ROOT).replace(' ', '-')
            : p.type().substring(p.type().lastIndexOf('/') + 1);
    String key = type + ' ' + p.status();
    Counter c = errors.get(key);
    if (c == null) {
      c =
          errors.computeIfAbsent(
              key,
              k ->
                  Counter.builder("nba.errors")
                      .description("Problem answers, by problem type and HTTP status class")
                      .tag("type", type)
                      .tag("status_class", (p.status() / 100) + "xx")
                      .register(registry));
    }
    c.increment();
  }

  /**
   * Makes {@code version} the one {@code nba_ruleset_active_info} reports (1 for it, and no other
   * series).
   */
  synchronized void ruleSetActive(String version) {
    if (ruleSet != null && version.equals(ruleSet.getId().getTag("version"))) {
      return;
    }
    Gauge next =
        Gauge.builder("nba.ruleset.active.info", () -> 1)
            .description("The active rule-set version (value always 1)")
            .tag("version", version)
            .register(registry);
    if (ruleSet != null) {
      registry.remove(ruleSet);
    }
    ruleSet = next;
  }

  /**
   * {@code nba_rules_situations_total}: decisions whose customer-level situation was found
   * remembered ({@code result="remembered"}, the rules not fired) or was new ({@code
   * result="fired"}), on the active rule set's knowledge base since it was built (a new DRL starts
   * from zero, as a counter reset).
   */
  void situations(io.nextbest.engine.DecisionEngine engine) {
    String[] results = {"remembered", "fired"};
    for (int i = 0; i < results.length; i++) {
      int at = i;
      io.micrometer.core.instrument.FunctionCounter.builder(
              "nba.rules.situations", engine, e -> e.situationCounts()[at])
          .description(
              "Decisions by whether the rules' conclusions for the situation were remembered")
          .tag("result", results[i])
          .register(registry);
    }
  }

  /**
   * {@code nba_events_kafka_lag}: records on this node's partitions of the events topic not yet
   * stored (0 when it holds none), read when scraped.
   */
  void kafkaLag(java.util.function.Supplier<Number> lag) {
    Gauge.builder("nba.events.kafka.lag", lag)
        .description(
            "Records of the events topic on this node's partitions not yet read and stored")
        .register(registry);
  }

  /** {@code nba_events_kafka_partitions}: partitions of the events topic this node consumes. */
  void kafkaPartitions(java.util.function.Supplier<Number> partitions) {
    Gauge.builder("nba.events.kafka.partitions", partitions)
        .description("Partitions of the events topic assigned to this node")
        .register(registry);
  }

  /**
   * {@code nba_events_kafka_consumer_up}: 1 while the consumer runs and hears from its brokers, 0
   * while readiness has its {@code kafka} check DOWN; registers {@code
   * nba_events_kafka_consumer_failures_total} too, from 0.
   */
  void kafkaConsumerUp(java.util.function.Supplier<Number> up) {
    Gauge.builder("nba.events.kafka.consumer.up", up)
        .description(
            "1 while the Kafka consumer runs and its brokers answer; 0 when its poll loop failed or no broker answered within events.kafka.unreachableSeconds")
        .register(registry);
    kafkaConsumerFailures();
  }

  /** {@code nba_events_kafka_consumer_failures_total}: poll loops that failed (each restarted). */
  void kafkaConsumerFailure() {
    kafkaConsumerFailures().increment();
  }

  private Counter kafkaConsumerFailures() {
    return Counter.builder("nba.events.kafka.consumer.failures")
        .description("Kafka poll loops that failed and were started again on a new consumer")
        .register(registry);
  }

  /** {@code nba_events_kafka_records_total}: records of the events topic handled, by outcome. */
  void kafkaRecords(long stored, long duplicates, long deadLettered) {
    kafkaCounter("stored").increment(stored);
    kafkaCounter("duplicate").increment(duplicates);
    kafkaCounter("dead_lettered").increment(deadLettered);
  }

  private Counter kafkaCounter(String outcome) {
    return Counter.builder("nba.events.kafka.records")
        .description(
            "Records of the events topic handled: stored, duplicate (stored before), dead_lettered (could not be stored; sent on with the reason)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Every meter in the Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }

  private Counter counter(
      Map<String, Counter> byName, String name, String meter, String tag, String description) {
    Counter c = byName.get(name);
    if (c == null) {
      c =
          byName.computeIfAbsent(
              name,
              n -> Counter.builder(meter).description(description).tag(tag, n).register(registry));
    }
    return c;
  }
}
