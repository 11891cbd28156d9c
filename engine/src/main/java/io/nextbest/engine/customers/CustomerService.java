package io.nextbest.engine.customers;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.LearningPolicy;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.EventValidator;
import io.nextbest.engine.experiments.Experiments;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.ExperimentArm;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live customer context over a {@link CustomerStore}: ingests events, keeps hot profiles in a
 * cache, decides from a customer id (and whatever else the request carries), keeps the audit trail
 * and the contact ledger, and learns propensities from feedback. Thread-safe; one per process.
 * Every method may block on the store: call it off the event loop.
 */
public final class CustomerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CustomerService.class);

  /**
   * One event of a batch: its position, the path its fields are named by ({@code [3]}), the event.
   */
  public record Incoming(int index, String path, CustomerEvent event) {}

  private final CustomerStore store;
  private final DecisionEngine engine;
  private final BetaPropensities propensities;
  private final Clock clock;
  private final ProfileCache cache;
  private final LiveContext live;
  private final AuditWriter audit;
  private final ScheduledExecutorService refresher;
  private final Experiments experiments;

  private CustomerService(Builder b) {
    this.store = b.store;
    this.engine = b.engine;
    this.propensities = b.propensities;
    this.experiments = b.experiments;
    this.clock = b.engine.clock();
    this.cache = new ProfileCache(b.store, b.shared, b.cacheSize);
    this.live = new LiveContext(cache, clock);
    this.audit =
        new AuditWriter(
            b.store,
            clock,
            b.maxPendingAudit,
            b.shared ? AuditWriter.SHARED_LINGER_MS : AuditWriter.LINGER_MS);
    try {
      propensities.replaceAll(store.propensityCounts());
    } catch (StoreException e) {
      LOG.warn("learned propensities not loaded yet (store unavailable): {}", e.getMessage());
    }
    if (b.shared) {
      // Other nodes' feedback arrives through the store; this bounds how long they take to count
      // here.
      refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "nba-propensity-refresh");
                t.setDaemon(true);
                return t;
              });
      long ms = b.propensityRefresh.toMillis();
      refresher.scheduleWithFixedDelay(this::refreshPropensities, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      refresher = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Validates and stores events, each on its own: a valid event is stored (or found stored already,
   * a duplicate); an invalid one is rejected with every offending field. When this returns, every
   * stored event is durable and every later decision on this node sees it.
   *
   * @throws StoreException when the store is unavailable; events of the batch may or may not be
   *     stored, and sending the batch again is safe (duplicates change nothing)
   */
  public List<EventResult> ingest(List<Incoming> events) {
    Instant now = clock.instant();
    List<EventResult> results = new ArrayList<>(events.size());
    List<CustomerEvent> valid = new ArrayList<>(events.size());
    List<Incoming> validIncoming = new ArrayList<>(events.size());
    ComplaintDates complaints = new ComplaintDates();
    for (Incoming in : events) {
      List<FieldError> errors = EventValidator.validate(in.event(), now, in.path());
      if (errors.isEmpty()) {
        FieldError misordered = complaints.check(in);
        if (misordered != null) {
          errors = List.of(misordered);
        }
      }
      if (errors.isEmpty()) {
        valid.add(in.event());
        validIncoming.add(in);
      } else {
        results.add(
            EventResult.rejected(in.index(), in.event() == null ? null : in.event().id(), errors));
      }
    }
    List<CustomerStore.Appended> appended = store.append(valid);
    Set<String> touched = new LinkedHashSet<>();
    for (int i = 0; i < valid.size(); i++) {
      CustomerEvent e = valid.get(i);
      Incoming in = validIncoming.get(i);
      switch (appended.get(i)) {
        case STORED -> {
          results.add(new EventResult(in.index(), e.id(), EventResult.Status.STORED, List.of()));
          touched.add(e.customerId());
        }
        case DUPLICATE ->
            results.add(
                new EventResult(in.index(), e.id(), EventResult.Status.DUPLICATE, List.of()));
        case CONFLICT ->
            results.add(
                new EventResult(
                    in.index(),
                    e.id(),
                    EventResult.Status.CONFLICT,
                    List.of(
                        new FieldError(
                            field(in.path(), "id"),
                            "is the id of a different event customer "
                                + e.customerId()
                                + " sent before; that one stays stored, give this one an id of its own"))));
      }
    }
    touched.forEach(cache::invalidate);
    if (experiments != null) {
      for (int i = 0; i < valid.size(); i++) {
        if (appended.get(i) == CustomerStore.Appended.STORED) {
          experiments.event(valid.get(i));
        }
      }
    }
    for (int i = 0; i < valid.size(); i++) {
      if (appended.get(i) == CustomerStore.Appended.STORED
          && valid.get(i) instanceof CustomerEvent.OutreachResponse r) {
        learnFrom(r);
      }
    }
    results.sort(java.util.Comparator.comparingInt(EventResult::index));
    return results;
  }

  private static String field(String path, String name) {
    return path == null || path.isEmpty() ? name : path + "." + name;
  }

  /**
   * Refuses a complaint resolution dated before the complaint's opening, and an opening dated after
   * its resolution, whichever arrives second (the stored history and the batch's earlier events are
   * both looked at). Stored, such a pair would leave the complaint open for good and hold every
   * engagement offer (G3); it is a sender's mistake to correct, not something to reorder silently.
   */
  private final class ComplaintDates {
    /** Per customer and complaint: when it opened and when it was resolved, as far as known. */
    private final java.util.Map<String, java.util.Map<String, Instant[]>> known =
        new java.util.HashMap<>();

    FieldError check(Incoming in) {
      CustomerEvent e = in.event();
      String complaintId;
      boolean opening;
      if (e instanceof CustomerEvent.ComplaintOpened o) {
        complaintId = o.complaintId();
        opening = true;
      } else if (e instanceof CustomerEvent.ComplaintResolved r) {
        complaintId = r.complaintId();
        opening = false;
      } else {
        return null;
      }
      Instant[] dates = of(e.customerId()).computeIfAbsent(complaintId, k -> new Instant[2]);
      if (opening && dates[1] != null && e.at().isAfter(dates[1])) {
        return new FieldError(
            field(in.path(), "at"),
            "opens complaint "
                + complaintId
                + " after its resolution at "
                + dates[1]
                + "; a complaint opens before it is resolved");
      }
      if (!opening && dates[0] != null && e.at().isBefore(dates[0])) {
        return new FieldError(
            field(in.path(), "at"),
            "resolves complaint "
                + complaintId
                + " before it was opened at "
                + dates[0]
                + "; a resolution is dated at or after the opening");
      }
      int slot = opening ? 0 : 1;
      if (dates[slot] == null
          || (opening ? e.at().isBefore(dates[slot]) : e.at().isAfter(dates[slot]))) {
        dates[slot] = e.at();
      }
      return null;
    }

    private java.util.Map<String, Instant[]> of(String customerId) {
      return known.computeIfAbsent(
          customerId,
          id -> {
            java.util.Map<String, Instant[]> m = new java.util.HashMap<>();
            for (CustomerEvent stored : cache.get(id).events()) {
              if (stored instanceof CustomerEvent.ComplaintOpened o) {
                Instant[] d = m.computeIfAbsent(o.complaintId(), k -> new Instant[2]);
                d[0] = d[0] == null || o.at().isBefore(d[0]) ? o.at() : d[0];
              } else if (stored instanceof CustomerEvent.ComplaintResolved r) {
                Instant[] d = m.computeIfAbsent(r.complaintId(), k -> new Instant[2]);
                d[1] = d[1] == null || r.at().isAfter(d[1]) ? r.at() : d[1];
              }
            }
            return m;
          });
    }
  }

  /**
   * Decides for a request: the stored profile merged with what the request carries (see {@link
   * LiveContext}); the decision says where its profile came from and goes to the audit trail.
   *
   * @param requestFields the profile fields the request carried
   */
  public Decision decide(CustomerContext request, Set<String> requestFields) {
    return decide(request, requestFields, engine.newDecisionId());
  }

  /**
   * As {@link #decide(CustomerContext, Set)}, under an id taken beforehand from {@link
   * DecisionEngine#newDecisionId()} (so the caller can log with it while the decision is made).
   */
  public Decision decide(CustomerContext request, Set<String> requestFields, String decisionId) {
    Experiments.Route route =
        experiments == null || request.customerId() == null
            ? null
            : experiments.route(request.customerId());
    RuleSet deciding = route == null ? engine.ruleSet() : route.ruleSet();
    LiveContext.Resolved r = live.resolve(request, requestFields, deciding.problemContacts());
    // Degraded (the store unreadable): the engine holds outreach and offers, and feedback on the
    // decision teaches nothing (see feedback): it was made from the request alone.
    boolean degraded = r.source().degraded();
    DecisionEngine.Decided decided;
    if (route == null) {
      decided = engine.decide(r.context(), decisionId, degraded);
    } else {
      decided = engine.decide(r.context(), route.ruleSet(), decisionId, degraded);
    }
    Decision d = decided.decision().withProfileSource(r.source());
    if (route != null && route.arm() != null) {
      d = d.withExperiments(List.of(route.arm()));
    }
    audit.submit(d, decided.inputs());
    if (experiments != null) {
      experiments.decided(d);
    }
    return d;
  }

  /**
   * What {@code candidate} would have earned on the audit trail's decisions (see {@link
   * OfflineEvaluation}): each recorded decision decided again by the candidate from its recorded
   * inputs, ranking on the propensities known then, without exploring. Reads the store only (a
   * record the audit writer has not written yet, a few milliseconds old, is not in it); audits and
   * teaches nothing.
   *
   * @throws OfflineEvaluation.Invalid for a request naming something invalid
   */
  public OfflineEvaluation.Result offlineEvaluation(
      OfflineEvaluation.Request request, RuleSet candidate) {
    OfflineEvaluation evaluation =
        new OfflineEvaluation(
            store, clock, store instanceof SqliteCustomerStore ? "node" : "shared");
    return evaluation.evaluate(
        request,
        candidate.version(),
        rec ->
            engine
                .evaluate(rec.inputs(), candidate, rec.decisionId())
                .top()
                .map(RecommendedAction::actionId)
                .orElse(null));
  }

  /** What {@link #replay} found. */
  public record Replay(
      String decisionId,
      String ruleSetVersion,
      boolean inputsIntact,
      boolean matches,
      List<String> differences,
      Decision recorded,
      Decision replayed) {
    public Replay {
      differences = List.copyOf(differences);
    }
  }

  /**
   * Decides a recorded decision again from its recorded inputs on {@code ruleSet} (the version it
   * was made on, which the caller looks up by {@link DecisionRecord#ruleSetVersion()}), and
   * compares the two. Not audited as a decision and teaches nothing.
   *
   * @throws IllegalArgumentException when the record has no inputs (written before they were kept)
   */
  public Replay replay(DecisionRecord rec, io.nextbest.engine.RuleSet ruleSet) {
    if (rec.inputs() == null) {
      throw new IllegalArgumentException(
          "decision "
              + rec.decisionId()
              + " was recorded without its inputs and cannot be replayed");
    }
    boolean intact = AuditWriter.digest(rec.inputs().context()).equals(rec.inputsDigest());
    Decision again = engine.replay(rec.inputs(), ruleSet, rec.decisionId());
    // A live experiment's arm was the routing's, not the pipeline's: the replay carries the
    // recorded one.
    List<ExperimentArm> routed =
        rec.decision().experiments() == null
            ? List.of()
            : rec.decision().experiments().stream()
                .filter(
                    a ->
                        ExperimentArm.CHAMPION.equals(a.arm())
                            || ExperimentArm.CHALLENGER.equals(a.arm()))
                .toList();
    if (!routed.isEmpty()) {
      again = again.withExperiments(routed);
    }
    List<String> differences = Replays.differences(rec.decision(), again);
    return new Replay(
        rec.decisionId(),
        rec.ruleSetVersion(),
        intact,
        intact && differences.isEmpty(),
        differences,
        rec.decision(),
        again);
  }

  /** A fresh decision id from the engine, for {@link #decide(CustomerContext, Set, String)}. */
  /**
   * Whether a decision for {@code customerId} would read only memory, so it can be made on a thread
   * that must not wait: the store is this node's own and the customer's history is cached, and no
   * experiment is running (a challenger may need compiling). Never waits itself.
   */
  public boolean decidesFromMemory(String customerId) {
    return (experiments == null || !experiments.running()) && live.resolvesFromMemory(customerId);
  }

  public String newDecisionId() {
    return engine.newDecisionId();
  }

  /** Resolves without deciding (what a decision would be made from). */
  public LiveContext.Resolved resolve(CustomerContext request, Set<String> requestFields) {
    return live.resolve(request, requestFields, engine.ruleSet().problemContacts());
  }

  /**
   * The stored customer with aggregates, indices and quadrant, computed by the decision pipeline on
   * the active rule set from the stored profile alone (no interaction); not audited. Empty when
   * nothing is stored for the customer.
   */
  public Optional<ProfileView> profile(String customerId, Instant asOf) {
    Instant at = asOf == null ? clock.instant() : asOf;
    ProfileCache.Entry entry = cache.get(customerId);
    if (entry.empty()) {
      return Optional.empty();
    }
    CustomerProfile profile =
        LiveContext.storedProfile(entry, at, engine.ruleSet().problemContacts());
    Decision d = engine.decide(new CustomerContext(customerId, at, profile, null, null));
    return Optional.of(
        new ProfileView(
            customerId,
            at,
            entry.events().size(),
            entry.version(),
            d.ruleSetVersion(),
            Aggregates.of(entry, profile, at),
            d.indices(),
            d.segment(),
            d.contact(),
            d.criticalGaps(),
            profile));
  }

  /**
   * Records feedback in the contact ledger and, for what the customer did, updates the action's
   * propensity in the segment the decision recorded for it. The same feedback twice is recorded
   * once.
   *
   * @throws FeedbackException when the decision is unknown or did not recommend the action
   */
  public FeedbackResult feedback(Feedback f) {
    List<FieldError> errors = new ArrayList<>();
    text(errors, "decisionId", f.decisionId());
    text(errors, "actionId", f.actionId());
    if (f.outcome() == null) {
      errors.add(new FieldError("outcome", "is required"));
    } else if (f.outcome() == LedgerKind.RECOMMENDED) {
      errors.add(
          new FieldError(
              "outcome",
              "RECOMMENDED is recorded by the engine with every decision; give what happened next"));
    }
    if (f.reason() != null && f.reason().length() > 500) {
      errors.add(new FieldError("reason", "must be at most 500 characters"));
    }
    Instant now = clock.instant();
    if (f.at() != null && f.at().isAfter(now.plus(Duration.ofMinutes(5)))) {
      errors.add(new FieldError("at", "must not be in the future, was " + f.at()));
    }
    if (!errors.isEmpty()) {
      throw new FeedbackException(false, "invalid feedback", errors);
    }
    DecisionRecord rec =
        decision(f.decisionId())
            .orElseThrow(
                () ->
                    new FeedbackException(
                        true,
                        "no decision " + f.decisionId() + " is in the audit trail",
                        List.of(new FieldError("decisionId", "is not a known decision"))));
    RecommendedAction action =
        rec.decision().actions().stream()
            .filter(a -> a.actionId().equals(f.actionId()))
            .findFirst()
            .orElse(null);
    if (action == null) {
      List<String> offered =
          rec.decision().actions().stream().map(RecommendedAction::actionId).toList();
      throw new FeedbackException(
          false,
          "not recommended",
          List.of(
              new FieldError(
                  "actionId",
                  "was not recommended by decision "
                      + f.decisionId()
                      + ", which recommended "
                      + offered)));
    }
    LedgerEntry line =
        new LedgerEntry(
            LedgerEntry.idFor(f.decisionId(), f.actionId(), f.outcome()),
            rec.customerId(),
            f.decisionId(),
            f.actionId(),
            f.outcome(),
            f.channel() == null ? action.channel() : f.channel(),
            f.at() == null ? now : f.at(),
            f.reason());
    LearningPolicy learning = engine.ruleSet().learning();
    OutcomeKey key = treatment(learning, rec, f.actionId(), line.channel());
    // A degraded decision's quadrant came from the request alone, not the customer, and a control
    // group's outcomes are counted in its experiment only: both are recorded, never learned from.
    boolean noLearning = Boolean.TRUE.equals(rec.decision().degraded()) || rec.decision().heldOut();
    Boolean learn = noLearning ? null : f.outcome().customerOutcome();
    CustomerStore.Recorded done = store.record(line, key, learn, learning.perCustomerCap());
    if (done.added() && experiments != null && Boolean.TRUE.equals(f.outcome().customerOutcome())) {
      experiments.accepted(rec.decision(), line.at());
    }
    if (done.learned()) {
      propensities.observe(key, f.outcome().customerOutcome());
    }
    if (done.added()) {
      cache.invalidate(rec.customerId());
    }
    CatalogueAction catalogued =
        engine.ruleSet().catalogue().stream()
            .filter(a -> a.id().equals(f.actionId()))
            .findFirst()
            .orElse(null);
    return new FeedbackResult(
        line,
        done.added(),
        done.learned(),
        catalogued == null ? null : propensities.mean(catalogued, key.channel(), key.segment()));
  }

  /**
   * The bytes the caller answered decision {@code decisionId} with, when they are exactly what
   * {@link io.nextbest.engine.Json#mapper()} writes for the {@link Decision} {@link #decide}
   * returned: the audit trail stores them instead of encoding the decision a second time. Optional
   * (without it the audit writer encodes the decision itself) and cheap (no copy, no encoding).
   */
  public void answered(String decisionId, byte[] json) {
    audit.answered(decisionId, json);
  }

  /** A decision from the audit trail (including one made a moment ago and not yet written). */
  public Optional<DecisionRecord> decision(String decisionId) {
    Optional<DecisionRecord> p = audit.pending(decisionId);
    return p.isPresent() ? p : store.decision(decisionId);
  }

  /**
   * Up to {@code limit} ids of customers with stored events, starting with {@code prefix} (empty:
   * any), ascending: what an agent picks a customer from.
   */
  public List<String> customerIds(String prefix, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    return store.customerIds(prefix, limit);
  }

  /** Every ledger line of a customer, oldest first. */
  public List<LedgerEntry> ledger(String customerId) {
    return store.ledger(customerId);
  }

  /** Every stored event of a customer, in the order they were stored. */
  public List<CustomerEvent> events(String customerId) {
    return store.history(customerId, 0).events();
  }

  /** Everything stored about one customer, for a data-protection request (right of access). */
  public record Export(
      String customerId,
      Instant exportedAt,
      List<CustomerEvent> events,
      List<LedgerEntry> ledger,
      List<DecisionRecord> decisions) {
    public Export {
      events = List.copyOf(events);
      ledger = List.copyOf(ledger);
      decisions = List.copyOf(decisions);
    }
  }

  public Export export(String customerId) {
    return new Export(
        customerId,
        clock.instant(),
        events(customerId),
        ledger(customerId),
        store.decisions(customerId));
  }

  /**
   * Erases a customer (right to erasure): events, ledger, audit records of decisions about them.
   * Records still queued for the audit are written first, so none lands after the erasure.
   */
  public CustomerStore.Erased erase(String customerId) {
    audit.flush(customerId);
    CustomerStore.Erased erased = store.erase(customerId);
    cache.invalidate(customerId);
    return erased;
  }

  public BetaPropensities propensities() {
    return propensities;
  }

  public CustomerStore store() {
    return store;
  }

  /** The live experiments, or null when the service runs none. */
  public Experiments experiments() {
    return experiments;
  }

  /**
   * Takes the store's propensity counts now (other nodes' feedback); called periodically when
   * shared.
   */
  public void refreshPropensities() {
    try {
      propensities.replaceAll(store.propensityCounts());
    } catch (StoreException e) {
      LOG.debug("propensity refresh skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("propensity refresh failed", e);
    }
  }

  /**
   * Outreach responses tied to a decision are ledger lines, and teach propensities when they say
   * what the customer did.
   */
  private void learnFrom(CustomerEvent.OutreachResponse r) {
    if (r.decisionId() == null) {
      return;
    }
    try {
      Optional<DecisionRecord> rec = decision(r.decisionId());
      LedgerKind kind =
          switch (r.response()) {
            case ACCEPTED -> LedgerKind.ACCEPTED_BY_CUSTOMER;
            case DECLINED -> LedgerKind.DECLINED_BY_CUSTOMER;
            case DELIVERED, OPENED, CLICKED -> LedgerKind.RESPONDED;
          };
      Boolean learn =
          switch (r.response()) {
            case ACCEPTED, CLICKED -> Boolean.TRUE;
            case DECLINED -> Boolean.FALSE;
            case DELIVERED, OPENED -> null;
          };
      LedgerEntry line =
          new LedgerEntry(
              LedgerEntry.idForEvent(r.id()),
              r.customerId(),
              r.decisionId(),
              r.actionId(),
              kind,
              null,
              r.at(),
              r.response().name());
      LearningPolicy learning = engine.ruleSet().learning();
      // Unknown or degraded decisions teach nothing (a degraded one's quadrant is not the
      // customer's),
      // nor do held-out ones (their outcomes count in the experiment only).
      OutcomeKey key =
          rec.filter(d -> !Boolean.TRUE.equals(d.decision().degraded()))
              .map(d -> treatment(learning, d, r.actionId(), null))
              .orElse(null);
      boolean heldOut = rec.map(d -> d.decision().heldOut()).orElse(false);
      CustomerStore.Recorded done =
          store.record(line, key, key == null || heldOut ? null : learn, learning.perCustomerCap());
      if (done.added()
          && experiments != null
          && r.response() == CustomerEvent.Response.ACCEPTED
          && rec.isPresent()) {
        experiments.accepted(rec.get().decision(), r.at());
      }
      if (done.learned()) {
        propensities.observe(key, learn);
      }
    } catch (StoreException e) {
      // The event itself is stored and acknowledged; only its ledger line waits for a resend.
      LOG.warn(
          "outreach response {} stored, but its ledger line was not: {}", r.id(), e.getMessage());
    }
  }

  /**
   * The treatment an outcome teaches: the action on the channel it went out on ({@code channel},
   * else the one the decision recommended), in the segment the decision recorded for it (where its
   * propensity was learned, as the decision's rule set segmented then), never recomputed now. A
   * decision recorded before segments were kept (or whose propensity no learning model gave) is
   * counted as before: in its quadrant, or across every customer when the active rule set counts
   * {@code ALL}.
   */
  private static OutcomeKey treatment(
      LearningPolicy learning,
      DecisionRecord rec,
      String actionId,
      io.nextbest.engine.model.Channel channel) {
    RecommendedAction recommended =
        rec.decision().actions().stream()
            .filter(a -> a.actionId().equals(actionId))
            .findFirst()
            .orElse(null);
    io.nextbest.engine.model.Channel on =
        channel != null || recommended == null ? channel : recommended.channel();
    String segment =
        recommended == null
                || recommended.explanation() == null
                || recommended.explanation().priority() == null
                || recommended.explanation().priority().propensity() == null
            ? null
            : recommended.explanation().priority().propensity().segment();
    if (segment == null) {
      segment =
          learning.segment().equals(io.nextbest.engine.Segmentation.ALL)
              ? io.nextbest.engine.Segmentation.EVERY_CUSTOMER
              : rec.decision().segment().quadrant().name();
    }
    return new OutcomeKey(actionId, segment, on);
  }

  private static void text(List<FieldError> errors, String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "is required"));
    } else if (value.length() > 128) {
      errors.add(new FieldError(field, "must be at most 128 characters"));
    }
  }

  /** Writes the audit records still queued, stops background work and closes the store. */
  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    if (experiments != null) {
      experiments.close();
    }
    audit.close();
    store.close();
  }

  /** Builds a {@link CustomerService}: a store and the engine are required. */
  public static final class Builder {
    private CustomerStore store;
    private DecisionEngine engine;
    private BetaPropensities propensities =
        BetaPropensities.withPriorStrength(BetaPropensities.DEFAULT_PRIOR_STRENGTH);
    private boolean shared;
    private long cacheSize = 20_000;
    private int maxPendingAudit = 100_000;
    private Duration propensityRefresh = Duration.ofSeconds(1);
    private Experiments experiments;

    private Builder() {}

    /**
     * Live experiments decisions are routed through and counted in (none by default); closed with
     * the service.
     */
    public Builder experiments(Experiments experiments) {
      this.experiments = Objects.requireNonNull(experiments, "experiments");
      return this;
    }

    public Builder store(CustomerStore store, boolean shared) {
      this.store = Objects.requireNonNull(store, "store");
      this.shared = shared;
      return this;
    }

    /**
     * The engine decisions are made with; give it {@link #propensities} as its propensity model.
     */
    public Builder engine(DecisionEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    public Builder propensities(BetaPropensities propensities) {
      this.propensities = Objects.requireNonNull(propensities, "propensities");
      return this;
    }

    /** How many customers' histories stay cached. */
    public Builder cacheSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("cache size must not be negative, was " + size);
      }
      this.cacheSize = size;
      return this;
    }

    /** How often a shared store's propensity counts are read again (default 1 s). */
    public Builder propensityRefresh(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("propensity refresh must be positive, was " + every);
      }
      this.propensityRefresh = every;
      return this;
    }

    public CustomerService build() {
      if (store == null) {
        throw new IllegalStateException("a customer store is required: call store(...)");
      }
      if (engine == null) {
        throw new IllegalStateException("an engine is required: call engine(...)");
      }
      return new CustomerService(this);
    }
  }
}
