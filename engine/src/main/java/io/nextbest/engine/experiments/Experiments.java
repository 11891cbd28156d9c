package io.nextbest.engine.experiments;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.LearningPolicy;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.ExperimentArm;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live experiments: the active rule set's control group (its {@code learning.json} holdout) and at
 * most one running champion/challenger, in which the challenger version decides for a declared
 * share of customers (by {@link Arms#bucket}, so the same customers on every node and every day).
 * Counts exposures in batches, attributes successes (an accepted recommendation, or an event the
 * analyst named within the declared days), reports uplift, and promotes through the registry's
 * gate. Thread-safe; one per process. Methods may block on the store.
 */
public final class Experiments implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Experiments.class);

  /** The request to start a champion/challenger. */
  public record Start(
      String id,
      Integer challenger,
      Double share,
      List<String> successEvents,
      Integer successWithinDays,
      Without successWithout) {
    /** A start declaring no success by absence. */
    public Start(
        String id,
        Integer challenger,
        Double share,
        List<String> successEvents,
        Integer successWithinDays) {
      this(id, challenger, share, successEvents, successWithinDays, null);
    }
  }

  /** A success by absence as requested (see {@link Experiment.Absence}). */
  public record Without(List<String> events, Integer withinDays) {}

  /**
   * Which rule set a decision is made with, and the challenger arm it is in (null: no experiment
   * running).
   */
  public record Route(RuleSet ruleSet, ExperimentArm arm) {}

  private final ExperimentStore store;
  private final RuleSetRegistry registry;
  private final Clock clock;
  private final ConcurrentLinkedQueue<ExperimentStore.Exposure> pending =
      new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService flusher;
  private final Object lifecycle = new Object();
  private volatile Experiment running;

  private static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("v([0-9]{1,9})(?:-([0-9a-f]{12}))?");

  /**
   * The sequence number of the version a label names: {@code v3}, or {@code v3-3f9a2c1b07de} as
   * decisions report it, whose hash must then be that version's.
   *
   * @throws ExperimentException (INVALID, field {@code challenger}) for a label of no stored
   *     version
   */
  public int sequenceOf(String label) {
    java.util.regex.Matcher m = LABEL.matcher(label == null ? "" : label.strip());
    if (!m.matches()) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          "invalid experiment",
          List.of(
              new FieldError(
                  "challenger",
                  "'" + label + "' is neither a version number nor a label like v3")));
    }
    int sequence = Integer.parseInt(m.group(1));
    io.nextbest.engine.registry.VersionInfo v;
    try {
      v = registry.version(sequence);
    } catch (RuntimeException e) {
      v = null;
    }
    if (v == null) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          "invalid experiment",
          List.of(new FieldError("challenger", "v" + sequence + " is not a known version")));
    }
    if (m.group(2) != null && !v.label().equals(label.strip())) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          "invalid experiment",
          List.of(
              new FieldError(
                  "challenger",
                  "names " + label.strip() + ", but v" + sequence + " is " + v.label())));
    }
    return sequence;
  }

  public Experiments(ExperimentStore store, RuleSetRegistry registry, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    Experiment found = null;
    try {
      found = loadRunning();
    } catch (StoreException e) {
      LOG.warn("running experiments not loaded yet (store unavailable): {}", e.getMessage());
    }
    this.running = found;
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nba-experiments");
              t.setDaemon(true);
              return t;
            });
    // Counts go to the store in batches; the same period bounds how long another node's start or
    // stop takes to show here.
    flusher.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * The rule set to decide for this customer with: the challenger's when the customer is in its
   * share.
   */
  /** Whether an experiment is running (decisions are then routed to its arms). */
  public boolean running() {
    return running != null;
  }

  public Route route(String customerId) {
    Experiment e = running;
    RuleSet active = registry.active();
    if (e == null || customerId == null) {
      return new Route(active, null);
    }
    if (Arms.inShare(customerId, e.id(), e.share())) {
      try {
        RuleSet challenger = registry.ruleSet(e.challenger());
        return new Route(
            challenger, new ExperimentArm(e.id(), ExperimentArm.CHALLENGER, challenger.version()));
      } catch (RuntimeException ex) {
        // It compiled when the experiment started; if it no longer does, the champion decides and
        // nothing is counted.
        LOG.warn(
            "experiment {}: challenger v{} cannot decide, the champion does: {}",
            e.id(),
            e.challenger(),
            ex.getMessage());
        return new Route(active, null);
      }
    }
    return new Route(active, new ExperimentArm(e.id(), ExperimentArm.CHAMPION, active.version()));
  }

  /** Counts a decision in each experiment it was made in (written with the next batch). */
  public void decided(Decision d) {
    if (d.experiments() == null) {
      return;
    }
    Instant at = clock.instant();
    for (ExperimentArm a : d.experiments()) {
      pending.add(new ExperimentStore.Exposure(a.experimentId(), a.arm(), d.customerId(), at));
    }
  }

  /** The customer accepted an action of this decision: a success in each of its experiments. */
  public void accepted(Decision d, Instant at) {
    if (d.experiments() == null) {
      return;
    }
    flush();
    for (ExperimentArm a : d.experiments()) {
      store.succeed(a.experimentId(), d.customerId(), at, -1);
    }
  }

  /** An event that an experiment counts as a success, when it names the event's type. */
  public void event(CustomerEvent e) {
    List<Experiment> watching = new ArrayList<>(2);
    Experiment r = running;
    if (r != null) {
      watching.add(r);
    }
    holdout().ifPresent(watching::add);
    String type = Experiment.typeOf(e);
    boolean flushed = false;
    for (Experiment x : watching) {
      boolean succeeds = x.successEvents().contains(type);
      boolean disqualifies =
          x.successWithout() != null && x.successWithout().events().contains(type);
      if ((succeeds || disqualifies) && !flushed) {
        flush();
        flushed = true;
      }
      if (succeeds) {
        store.succeed(x.id(), e.customerId(), e.at(), x.successWithinDays());
      }
      if (disqualifies) {
        store.disqualify(x.id(), e.customerId(), e.at(), x.successWithout().withinDays());
      }
    }
  }

  /**
   * Starts a champion/challenger: the challenger version must pass its gate (it will decide live),
   * and no other may be running.
   */
  public Experiment start(Start s, String actor) {
    List<FieldError> errors = new ArrayList<>();
    try {
      Experiment.checkId("id", s.id());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("id", e.getMessage().substring("id ".length())));
    }
    if (s.share() == null || !(s.share() > 0 && s.share() < 1)) {
      errors.add(new FieldError("share", "must be above 0 and below 1, was " + s.share()));
    }
    if (s.challenger() == null) {
      errors.add(new FieldError("challenger", "is required"));
    }
    int days = s.successWithinDays() == null ? 30 : s.successWithinDays();
    if (days < 0 || days > 365) {
      errors.add(new FieldError("successWithinDays", "must be between 0 and 365, was " + days));
    }
    List<String> events = List.of();
    try {
      events = Experiment.checkEvents("successEvents", s.successEvents());
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError("successEvents", e.getMessage().substring("successEvents: ".length())));
    }
    Experiment.Absence without = null;
    if (s.successWithout() != null) {
      try {
        without =
            new Experiment.Absence(
                s.successWithout().events(),
                s.successWithout().withinDays() == null ? 30 : s.successWithout().withinDays());
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        int colon = m.indexOf(": ");
        errors.add(new FieldError(m.substring(0, colon), m.substring(colon + 2)));
      }
    }
    if (!errors.isEmpty()) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID, "invalid experiment", errors);
    }
    Experiment.Absence absence = without;
    List<String> named = events;
    return changing(() -> started(s, actor, named, days, absence));
  }

  private Experiment started(
      Start s, String actor, List<String> events, int days, Experiment.Absence without) {
    if (store.find(s.id()).isPresent() || holdout().map(h -> h.id().equals(s.id())).orElse(false)) {
      throw new ExperimentException(
          ExperimentException.Reason.CONFLICT,
          "an experiment " + s.id() + " exists already",
          List.of(new FieldError("id", "is taken")));
    }
    Experiment other = loadRunning();
    if (other != null) {
      throw new ExperimentException(
          ExperimentException.Reason.CONFLICT,
          "experiment " + other.id() + " is running; stop or promote it first",
          List.of(new FieldError("id", "another experiment is running")));
    }
    if (s.challenger() == registry.activeSequence()) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          "the challenger is the active version",
          List.of(new FieldError("challenger", "is the active version v" + s.challenger())));
    }
    GateReport gate;
    try {
      gate = registry.gate(s.challenger());
    } catch (RegistryException e) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          e.getMessage(),
          List.of(new FieldError("challenger", "is not a known version")));
    }
    if (!gate.activatable()) {
      throw new ExperimentException(
          ExperimentException.Reason.INVALID,
          "v" + s.challenger() + " does not pass its gate",
          List.of(new FieldError("challenger", "does not pass its gate (validate it first)")));
    }
    RuleSet champion = registry.active();
    Experiment e =
        new Experiment(
            s.id(),
            Experiment.Kind.CHALLENGER,
            s.share(),
            champion.version(),
            s.challenger(),
            registry.ruleSet(s.challenger()).version(),
            events,
            days,
            Experiment.Status.RUNNING,
            clock.instant(),
            actor,
            null,
            null,
            without);
    store.save(e);
    running = e;
    return e;
  }

  /** Stops a running experiment: every customer is decided by the active version again. */
  public Experiment stop(String id, String actor) {
    return changing(
        () -> {
          Experiment e = runningOrThrow(id, "stopped");
          Experiment stopped = e.ended(Experiment.Status.STOPPED, clock.instant(), actor);
          flush();
          ended(stopped);
          return stopped;
        });
  }

  /**
   * Activates the challenger through the registry's gate (refused as the gate refuses), ending the
   * experiment.
   */
  public Experiment promote(String id, String actor) {
    return changing(
        () -> {
          Experiment e = runningOrThrow(id, "promoted");
          registry.activate(e.challenger(), actor);
          Experiment promoted = e.ended(Experiment.Status.PROMOTED, clock.instant(), actor);
          flush();
          ended(promoted);
          return promoted;
        });
  }

  /** How long a node waits for another to finish changing experiments before it answers 409. */
  static final Duration HOLD_WAIT = Duration.ofSeconds(2);

  /**
   * How long a hold lasts should its node die while holding it: longer than any promotion (the gate
   * and activation) takes.
   */
  static final Duration HOLD_LEASE = Duration.ofSeconds(60);

  /**
   * Runs a start, stop or promotion while no other node (with Redis) and no other thread changes
   * experiments: each reads the stored state afresh, so of two nodes ending the same experiment at
   * once one does and the other is told it is ended (409).
   */
  private <T> T changing(java.util.function.Supplier<T> work) {
    synchronized (lifecycle) {
      Optional<ExperimentStore.Hold> hold = store.hold(HOLD_WAIT, HOLD_LEASE);
      if (hold.isEmpty()) {
        throw new ExperimentException(
            ExperimentException.Reason.CONFLICT,
            "another node is starting, stopping or promoting an experiment; try again",
            List.of(new FieldError("id", "experiments are being changed on another node")));
      }
      try (ExperimentStore.Hold held = hold.get()) {
        return work.get();
      }
    }
  }

  /**
   * Saves the ended experiment unless another node ended it first (only possible once a hold has
   * lapsed), which is then a conflict.
   */
  private void ended(Experiment e) {
    if (!store.replaceRunning(e)) {
      Experiment now = store.find(e.id()).orElse(e);
      throw new ExperimentException(
          ExperimentException.Reason.CONFLICT,
          "experiment " + e.id() + " was " + now.status() + " by another node meanwhile",
          List.of(new FieldError("id", "is not running")));
    }
    running = null;
  }

  /** The experiment with its counts so far (this node's pending ones included). */
  public Optional<ExperimentReport> report(String id) {
    flush();
    Optional<Experiment> e = store.find(id).or(() -> holdout().filter(h -> h.id().equals(id)));
    return e.map(
        x -> {
          var counts = store.counts(x.id());
          List<String> arms = x.arms();
          Map<String, ExperimentStore.Absences> absences =
              x.successWithout() == null
                  ? null
                  : store.absences(
                      x.id(),
                      clock.instant().minus(Duration.ofDays(x.successWithout().withinDays())));
          return ExperimentReport.of(
              x,
              counts.getOrDefault(arms.get(0), ExperimentStore.ArmCounts.NONE),
              counts.getOrDefault(arms.get(1), ExperimentStore.ArmCounts.NONE),
              absences == null
                  ? null
                  : absences.getOrDefault(arms.get(0), ExperimentStore.Absences.NONE),
              absences == null
                  ? null
                  : absences.getOrDefault(arms.get(1), ExperimentStore.Absences.NONE));
        });
  }

  /** The active rule set's control group as an experiment. */
  public Optional<Experiment> holdout() {
    RuleSet active = registry.active();
    LearningPolicy.Holdout h = active.learning().holdout();
    if (h == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Experiment(
            h.id(),
            Experiment.Kind.HOLDOUT,
            h.share(),
            active.version(),
            null,
            null,
            h.successEvents(),
            h.successWithinDays(),
            Experiment.Status.RUNNING,
            null,
            null,
            null,
            null));
  }

  /** Writes the pending exposures now. */
  public void flush() {
    List<ExperimentStore.Exposure> batch = new ArrayList<>();
    ExperimentStore.Exposure x;
    while (batch.size() < 10_000 && (x = pending.poll()) != null) {
      batch.add(x);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.expose(batch);
    } catch (StoreException e) {
      // Kept for the next try: counts are late, never lost while the process lives.
      pending.addAll(batch);
      throw e;
    }
    if (!pending.isEmpty()) {
      flush();
    }
  }

  private void tick() {
    try {
      flush();
      running = loadRunning();
    } catch (StoreException e) {
      LOG.debug("experiment counts not written yet: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("experiment bookkeeping failed", e);
    }
  }

  private Experiment runningOrThrow(String id, String verb) {
    Experiment e =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new ExperimentException(
                        ExperimentException.Reason.NOT_FOUND,
                        "no experiment " + id,
                        List.of(new FieldError("id", "is not a known experiment"))));
    if (e.status() != Experiment.Status.RUNNING) {
      throw new ExperimentException(
          ExperimentException.Reason.CONFLICT,
          "experiment " + id + " is " + e.status() + " and cannot be " + verb,
          List.of(new FieldError("id", "is not running")));
    }
    return e;
  }

  private Experiment loadRunning() {
    return store.all().stream()
        .filter(
            e -> e.kind() == Experiment.Kind.CHALLENGER && e.status() == Experiment.Status.RUNNING)
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    try {
      flush();
    } catch (StoreException e) {
      LOG.warn("experiment counts of this node not written at shutdown: {}", e.getMessage());
    }
  }
}
