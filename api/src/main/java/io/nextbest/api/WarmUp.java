package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.PropensityModel;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.Scenarios;
import io.nextbest.simulator.SyntheticCustomers;
import io.nextbest.simulator.SyntheticKnobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes representative decisions that nobody asked for, so the JIT has compiled the decision path
 * before real ones arrive: at start, before {@code /health/ready} says UP, and on a rule set about
 * to be activated, before it becomes active (its rules and models are new code).
 *
 * <p>A warm-up decision has no side effect: it is made directly on an engine of its own (the same
 * rule set, the same learned propensities, read only), never through {@code CustomerService}, so
 * nothing is audited, put in the contact ledger, learned, counted in the decision or rule-firing
 * metrics (only in {@code nba_warmup_decisions_total}) or stored. Each one goes the way of a
 * request's body: the context is bound from a JSON tree as the handler binds it, decided with the
 * inputs recorded as for the audit, and the answer encoded as the handler encodes it (and dropped).
 *
 * <p>The contexts are varied: customers of the simulator's synthetic population (every quadrant,
 * complaints, failures, outreach history, live interactions on every channel) at the current time,
 * and, one decision in four, the contexts of the rule set's own scenarios when it carries any, so
 * an uploaded rule set is warmed on the paths its authors test.
 */
final class WarmUp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final ObjectReader CONTEXT = JsonBodies.reader(CustomerContext.class);
  private static final ObjectWriter WRITER = MAPPER.writer();

  /** The synthetic population's seed: the same people every warm-up. */
  static final long SEED = 0x77a2_3b11_5eedL;

  /**
   * One warm-up.
   *
   * @param version the rule set warmed
   * @param purpose {@code start} or {@code activation}
   * @param target decisions to make
   * @param made decisions made (fewer than {@code target} when the time bound or closing stopped
   *     it)
   * @param failed of those, how many the engine refused or failed (counted, never thrown)
   * @param took how long it took
   * @param bounded whether the time bound stopped it
   * @param activeAtEnd the version the service's engine had when it finished: on activation, still
   *     the previous one (the new version is warmed before it becomes active)
   */
  record Run(
      String version,
      String purpose,
      int target,
      int made,
      int failed,
      Duration took,
      boolean bounded,
      String activeAtEnd) {}

  private final WarmUpConfig config;
  private final DecisionEngine engine;
  private final Clock clock;
  private final Supplier<RuleSet> active;
  private final ServiceMetrics metrics;
  private final List<Run> runs = new CopyOnWriteArrayList<>();

  /** Decisions the start's warm-up has made so far. */
  private volatile int startMade;

  /** Set once the start's warm-up has finished (or stopped at its bound); true when it is off. */
  private volatile boolean startDone;

  private volatile boolean closed;
  private volatile Thread thread;

  /** Keeps the encoded answers' sizes, so the encoding is never optimised away. */
  private long sink;

  /**
   * @param propensities the service's learned propensities, read (never updated) by the warm-up
   * @param active the rule set the service's engine decides on now
   */
  WarmUp(
      WarmUpConfig config,
      RuleSet initial,
      PropensityModel propensities,
      Clock clock,
      Supplier<RuleSet> active,
      ServiceMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.active = active;
    this.metrics = metrics;
    // An observer that records nothing, but not NONE: the engine then listens to its sessions as
    // the service's engine does (which reports firings to the metrics), so the same code is warmed.
    this.engine =
        DecisionEngine.builder()
            .ruleSet(initial)
            .propensities(propensities)
            .clock(clock)
            .observer(rule -> {})
            // Fires the rules every time, so the JIT compiles them (a remembered situation would
            // skip them) and the warm-up's made-up customers fill no memo.
            .rememberSituations(false)
            .build();
    this.startDone = config.decisions() == 0;
  }

  WarmUpConfig config() {
    return config;
  }

  /**
   * Warms the active rule set on a thread of its own (never an event loop); readiness stays DOWN
   * until it has finished or reached {@link WarmUpConfig#maxSeconds()}. Nothing happens when the
   * start's warm-up is off.
   */
  void start() {
    if (startDone || thread != null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                Run r =
                    warm(
                        active.get(),
                        "start",
                        config.decisions(),
                        config.maxTime(),
                        n -> startMade = n);
                if (r.bounded()) {
                  LOG.warn(
                      "warm-up stopped at its bound of {} s ({}) after {} of {} decisions on rule set {}; ready anyway, the first decisions cost more than later ones",
                      config.maxSeconds(),
                      WarmUpConfig.MAX_SECONDS,
                      r.made(),
                      r.target(),
                      r.version());
                } else if (!closed) {
                  LOG.info(
                      "warm-up: {} decisions on rule set {} in {} s ({} failed), ready",
                      r.made(),
                      r.version(),
                      seconds(r.took()),
                      r.failed());
                }
              } catch (RuntimeException e) {
                LOG.error("warm-up failed; ready without it", e);
              } finally {
                startDone = true;
              }
            },
            "nba-warm-up");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Warms {@code next}, about to become active, on the activating thread (a worker), bounded by
   * {@link WarmUpConfig#activationMaxSeconds()}. Never throws: a warm-up that fails does not stop
   * the activation.
   */
  void beforeActivation(RuleSet next) {
    if (config.activationDecisions() == 0 || closed) {
      return;
    }
    try {
      Run r =
          warm(
              next,
              "activation",
              config.activationDecisions(),
              config.activationMaxTime(),
              n -> {});
      LOG.info(
          "warm-up: {} of {} decisions on rule set {} before its activation in {} s{}",
          r.made(),
          r.target(),
          r.version(),
          seconds(r.took()),
          r.bounded() ? " (stopped at " + WarmUpConfig.ACTIVATION_MAX_SECONDS + ")" : "");
    } catch (RuntimeException e) {
      LOG.error("warm-up of rule set {} failed; activating it unwarmed", next.version(), e);
    }
  }

  /**
   * Null when the start's warm-up is done or off; else why the node is not ready yet ({@code
   * warming up: 1200 of 200000 decisions}).
   */
  String pending() {
    if (startDone) {
      return null;
    }
    return "warming up: " + startMade + " of " + config.decisions() + " decisions";
  }

  /** Every warm-up so far, oldest first. */
  List<Run> runs() {
    return List.copyOf(runs);
  }

  /** Waits for the start's warm-up (tests, probes). */
  void awaitStart() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join();
    }
  }

  /** Stops a warm-up in progress at its next decision. */
  @Override
  public void close() {
    closed = true;
  }

  /** Makes up to {@code target} decisions on {@code ruleSet} within {@code bound}. */
  Run warm(
      RuleSet ruleSet,
      String purpose,
      int target,
      Duration bound,
      java.util.function.IntConsumer progress) {
    long t0 = System.nanoTime();
    long deadline = t0 + bound.toNanos();
    List<JsonNode> scenarios = scenarioContexts(ruleSet);
    SyntheticCustomers people = new SyntheticCustomers(knobs(clock.instant()), SEED);
    int made = 0;
    int failed = 0;
    boolean bounded = false;
    for (int i = 0; i < target && !closed; i++) {
      if (System.nanoTime() - deadline > 0) {
        bounded = true;
        break;
      }
      JsonNode body =
          scenarios.isEmpty() || i % 4 != 3
              ? MAPPER.valueToTree(people.customer(i))
              : scenarios.get((i / 4) % scenarios.size());
      try {
        CustomerContext ctx = JsonBodies.bind(body, CONTEXT, "a customer context");
        DecisionEngine.Decided d = engine.decide(ctx, ruleSet, engine.newDecisionId(), false);
        sink += WRITER.writeValueAsBytes(d.decision()).length;
      } catch (RuntimeException | JsonProcessingException e) {
        if (failed++ == 0) {
          LOG.debug(
              "a warm-up decision on rule set {} failed: {}", ruleSet.version(), e.toString());
        }
      }
      made++;
      progress.accept(made);
    }
    metrics.warmedUp(purpose, made);
    Run r =
        new Run(
            ruleSet.version(),
            purpose,
            target,
            made,
            failed,
            Duration.ofNanos(System.nanoTime() - t0),
            bounded,
            active.get().version());
    runs.add(r);
    return r;
  }

  /** The rule set's own scenarios' contexts, as JSON trees (none when it carries none). */
  private static List<JsonNode> scenarioContexts(RuleSet ruleSet) {
    List<JsonNode> out = new ArrayList<>();
    try {
      for (Scenario s : Scenarios.load(ruleSet.source())) {
        out.add(MAPPER.valueToTree(s.context()));
      }
    } catch (RuntimeException e) {
      LOG.debug("no scenarios to warm rule set {} with: {}", ruleSet.version(), e.toString());
    }
    return out;
  }

  /** The simulator's default mix, its history relative to {@code now}. */
  private static SyntheticKnobs knobs(Instant now) {
    SyntheticKnobs d = SyntheticKnobs.DEFAULTS;
    return new SyntheticKnobs(
        d.quadrantMix(),
        d.complaintRate(),
        d.channelMix(),
        d.outreachPerMonth(),
        d.liveShare(),
        now);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
  }
}
