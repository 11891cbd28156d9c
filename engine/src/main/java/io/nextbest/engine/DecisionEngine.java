package io.nextbest.engine;

import io.nextbest.engine.experiments.Arms;
import io.nextbest.engine.facts.Candidate;
import io.nextbest.engine.facts.Plan;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.ContactState;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.ExperimentArm;
import io.nextbest.engine.model.Exploration;
import io.nextbest.engine.model.Indices;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Segment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one decision pipeline: validate the context, derive signals, compute the indices (G1, G14),
 * classify the quadrant and look up strategy and contact limits in DMN, run the Drools rules over
 * the candidates, arbitrate and explain. Thread-safe; the API and the simulator share one instance.
 * The active rule set is swapped atomically: a decision runs entirely on the version it started
 * with.
 */
public final class DecisionEngine {
  /**
   * Further draws an exploring decision makes to estimate the chance of its top choice (see {@link
   * Exploration}).
   */
  static final int CHOICE_REPLICATES = 63;

  private final AtomicReference<RuleSet> active;
  private final Clock clock;
  private final PropensityModel propensities;
  private final Supplier<String> ids;

  /** Null when nobody observes: a session then fires without any listener. */
  private final org.kie.api.event.rule.AgendaEventListener firings;

  /** The same observer as a callback per fired rule name; null when nobody observes. */
  private final java.util.function.Consumer<String> fired;

  /** Whether decisions on equal customer-level facts share the rules' conclusions. */
  private final boolean rememberSituations;

  private DecisionEngine(Builder b) {
    this.active = new AtomicReference<>(b.ruleSet);
    this.clock = b.clock;
    this.propensities = b.propensities;
    this.ids = b.ids;
    this.firings = b.observer == DecisionObserver.NONE ? null : new Firings(b.observer);
    this.fired = b.observer == DecisionObserver.NONE ? null : b.observer::ruleFired;
    this.rememberSituations = b.rememberSituations;
  }

  /**
   * How often the active rule set's rules were spared, since its knowledge base was built:
   * situations found remembered ({@code [0]}) and fired anew ({@code [1]}).
   */
  public long[] situationCounts() {
    return active.get().drl().situationCounts();
  }

  /**
   * Passes each firing's rule name to the observer; stateless, so one serves every session and
   * thread.
   */
  private static final class Firings extends org.kie.api.event.rule.DefaultAgendaEventListener {
    private final DecisionObserver observer;

    Firings(DecisionObserver observer) {
      this.observer = observer;
    }

    @Override
    public void afterMatchFired(org.kie.api.event.rule.AfterMatchFiredEvent event) {
      observer.ruleFired(event.getMatch().getRule().getName());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides for one context.
   *
   * @throws InvalidContextException naming every offending field
   */
  public Decision decide(CustomerContext context) {
    return decideOn(context, active.get(), ids.get());
  }

  /**
   * Decides for one context under an id the caller took from {@link #newDecisionId()} beforehand,
   * so everything logged while the decision is made (and before it) can carry the id.
   *
   * @throws InvalidContextException naming every offending field
   */
  public Decision decide(CustomerContext context, String decisionId) {
    return decideOn(context, active.get(), Objects.requireNonNull(decisionId, "decisionId"));
  }

  /** Decides on a given rule set rather than the active one (what-if comparisons). */
  public Decision decide(CustomerContext context, RuleSet ruleSet) {
    return decideOn(context, ruleSet, ids.get());
  }

  /**
   * Decides on a given rule set under an id taken beforehand (a live experiment's challenger arm).
   */
  public Decision decide(CustomerContext context, RuleSet ruleSet, String decisionId) {
    return decideOn(
        context,
        Objects.requireNonNull(ruleSet, "ruleSet"),
        Objects.requireNonNull(decisionId, "decisionId"));
  }

  /** A fresh id from this engine's id supplier, for {@link #decide(CustomerContext, String)}. */
  public String newDecisionId() {
    return ids.get();
  }

  /**
   * What a decision was made from, enough to make it again: the context as resolved (with its
   * {@code asOf}), whether it was made in degraded mode, and every propensity the ranking used
   * (learning moves them on; a replay must use these). Propensities are keyed as learning counts
   * them, by treatment ({@code Q2|repair-resolve-now|PHONE}, see {@link OutcomeKey#encoded()}); an
   * exploring estimate's key also carries its seed ({@code …@9e3779b97f4a7c15}), so the draws of
   * the top choice's replicates are recorded too and a replay draws exactly what the decision drew.
   */
  public record Inputs(
      CustomerContext context, boolean degraded, Map<String, Propensity> propensities) {
    public Inputs {
      Objects.requireNonNull(context, "context");
      propensities = Map.copyOf(propensities);
    }
  }

  /** A decision and what it was made from. */
  public record Decided(Decision decision, Inputs inputs) {}

  /**
   * The pipeline's own hold while the customer store cannot be read: the profile is then only what
   * the request carried, so contact caps (G9), open complaints and gaps (G3) are unknown. Every
   * outbound action and every action that is not experience repair or proactive service is held;
   * what the agent can do for the customer on the line stays.
   */
  public static final String DEGRADED_HOLD = "HoldWhileCustomerStoreUnreachable";

  private static final List<String> DEGRADED_GUIDANCE = List.of("G3", "G9");

  /**
   * Decides under an id taken from {@link #newDecisionId()}; {@code degraded} says the customer's
   * stored profile could not be read, and then only inbound repair and service actions are
   * recommended (see {@link #DEGRADED_HOLD}). Returns the inputs with the decision, for the audit.
   *
   * @throws InvalidContextException naming every offending field
   */
  public Decided decide(CustomerContext context, String decisionId, boolean degraded) {
    CustomerContext ctx = context.asOf() == null ? context.withAsOf(clock.instant()) : context;
    return decide(ctx, active.get(), decisionId, degraded);
  }

  /**
   * As {@link #decide(CustomerContext, String, boolean)} on a given rule set (a live experiment's
   * challenger arm).
   */
  public Decided decide(
      CustomerContext context, RuleSet ruleSet, String decisionId, boolean degraded) {
    CustomerContext ctx = context.asOf() == null ? context.withAsOf(clock.instant()) : context;
    Map<String, Propensity> used = new java.util.concurrent.ConcurrentHashMap<>();
    Decision d =
        decideOn(
            ctx,
            Objects.requireNonNull(ruleSet, "ruleSet"),
            Objects.requireNonNull(decisionId, "decisionId"),
            degraded,
            propensities,
            used);
    return new Decided(d, new Inputs(ctx, degraded, used));
  }

  /** The key a propensity is recorded under in {@link Inputs#propensities()}. */
  static String inputKey(PropensityQuery q) {
    String treatment = new OutcomeKey(q.action().id(), q.segment(), q.channel()).encoded();
    return q.exploration() > 0 ? treatment + "@" + String.format("%016x", q.seed()) : treatment;
  }

  /**
   * Makes a recorded decision again on {@code ruleSet} (the version it was made on) from its
   * inputs, with the propensities it had then, under the same id: equal inputs and version give an
   * equal decision (its timing aside).
   */
  public Decision replay(Inputs inputs, RuleSet ruleSet, String decisionId) {
    PropensityModel recorded =
        q -> {
          Propensity p = inputs.propensities().get(inputKey(q));
          return p != null ? p : Propensity.prior(q.action().propensity());
        };
    return decideOn(inputs.context(), ruleSet, decisionId, inputs.degraded(), recorded, null);
  }

  /**
   * What {@code ruleSet} (a candidate, any version) would have decided from a recorded decision's
   * inputs, ranking on what was known then without exploring: each treatment's recorded posterior
   * mean (its drawn value when no mean was recorded), the catalogue prior for one the decision did
   * not ask about. Offline evaluation scores a candidate by this.
   */
  public Decision evaluate(Inputs inputs, RuleSet ruleSet, String decisionId) {
    // A treatment explored has one entry per seeded draw, all with the same mean; in key order the
    // unseeded entry, if any, comes first, so the choice never depends on a map's order.
    Map<String, Propensity> known = new java.util.HashMap<>();
    new java.util.TreeMap<>(inputs.propensities())
        .forEach(
            (key, p) -> {
              int seeded = key.indexOf('@');
              known.putIfAbsent(seeded < 0 ? key : key.substring(0, seeded), p);
            });
    PropensityModel means =
        q -> {
          Propensity p =
              known.get(new OutcomeKey(q.action().id(), q.segment(), q.channel()).encoded());
          if (p == null) {
            return Propensity.prior(q.action().propensity());
          }
          double mean = p.mean() != null ? p.mean() : p.value();
          return "prior".equals(p.source())
              ? p
              : new Propensity(
                  mean,
                  "learned",
                  p.outcomes(),
                  p.level(),
                  p.segment(),
                  p.prior(),
                  p.successes(),
                  p.failures(),
                  mean,
                  null,
                  null,
                  null);
        };
    return decideOn(inputs.context(), ruleSet, decisionId, inputs.degraded(), means, null);
  }

  private Decision decideOn(CustomerContext context, RuleSet ruleSet, String decisionId) {
    return decideOn(context, ruleSet, decisionId, false, propensities, null);
  }

  /** The pipeline; {@code used}, when given, receives every propensity the ranking asked for. */
  private Decision decideOn(
      CustomerContext context,
      RuleSet ruleSet,
      String decisionId,
      boolean degraded,
      PropensityModel propensities,
      Map<String, Propensity> used) {
    long started = System.nanoTime();
    CustomerContext ctx = context.asOf() == null ? context.withAsOf(clock.instant()) : context;
    Arbitration arbitration = ruleSet.arbitration();
    ContextValidator.validate(ctx, arbitration.maxLimit());

    IndexModel model = ruleSet.indexModel();
    DmnPolicies dmn = ruleSet.dmn();
    SignalExtractor.Extracted ex = SignalExtractor.extract(ctx, model.signals(), dmn.gapPolicy());
    Indices measured = IndexCalculator.compute(ctx, ex, model, dmn.gapPolicy());
    Segment segment = dmn.segment(measured.experience().value(), measured.engagement().value());
    Indices indices = IndexCalculator.withSegmentFlags(measured, segment, model.signals());
    Map<ActionFamily, Double> familyWeights = dmn.familyWeights(segment.quadrant());
    ContactState contact =
        contactState(ctx, dmn.limits(segment.quadrant(), indices.experience().value()));

    List<Candidate> candidates = new ArrayList<>(ruleSet.catalogue().size());
    for (CatalogueAction action : ruleSet.catalogue()) {
      Double weight = familyWeights.get(action.family());
      String source =
          weight == null
              ? "not in the " + segment.label() + " strategy table"
              : segment.label() + " strategy weighs " + action.family();
      candidates.add(
          new Candidate(
              action,
              Propensity.prior(action.propensity()),
              weight == null ? arbitration.unlistedFamilyWeight() : weight,
              source,
              arbitration.lever(action.family())));
    }

    List<Object> facts =
        new ArrayList<>(
            16 + candidates.size() + ex.openComplaints().size() + ex.recentFailures().size());
    facts.add(ex.signals());
    facts.add(dmn.gapPolicy());
    facts.add(indices);
    facts.add(segment);
    facts.add(contact);
    facts.add(ctx.profile());
    if (ctx.interaction() != null) {
      facts.add(ctx.interaction());
    }
    facts.addAll(ex.openComplaints());
    facts.addAll(ex.recentFailures());
    // The rules reason about the customer once and record effects on targets of actions; the
    // effects reach the candidates here, after matching, so no rule joins the catalogue. What they
    // conclude depends on these facts alone, so equal facts share one conclusion.
    DrlKnowledge drl = ruleSet.drl();
    Plan plan;
    List<CriticalGap> gaps;
    if (drl.matchesCandidates()) {
      plan = new Plan();
      facts.add(plan);
      facts.addAll(candidates);
      gaps = drl.fire(facts, firings);
    } else {
      DrlKnowledge.Conclusions concluded = drl.conclude(facts, rememberSituations, fired);
      plan = concluded.plan();
      gaps = new ArrayList<>(concluded.gaps());
    }
    plan.applyTo(candidates);
    gaps.sort(
        java.util.Comparator.comparing(CriticalGap::kind)
            .thenComparing(CriticalGap::ref)
            .thenComparing(CriticalGap::description));
    if (degraded) {
      holdWhileDegraded(candidates);
    }

    int limit = ctx.limit() == null ? arbitration.defaultLimit() : ctx.limit();
    LearningPolicy learning = ruleSet.learning();
    LearningPolicy.Holdout holdout = learning.holdout();
    boolean heldOut =
        holdout != null && Arms.inShare(ctx.customerId(), holdout.id(), holdout.share());
    if (heldOut && holdout.policy() == LearningPolicy.HoldoutPolicy.NO_OUTREACH) {
      candidates.stream()
          .filter(Candidate::isOutbound)
          .forEach(c -> c.holdOut(holdout.id(), holdout.share()));
    }
    PropensityModel estimates =
        heldOut && holdout.policy() == LearningPolicy.HoldoutPolicy.BASELINE
            ? PropensityModel.PRIORS
            : propensities;
    PropensityModel learned =
        used == null
            ? estimates
            : q -> {
              Propensity p = estimates.estimate(q);
              used.put(inputKey(q), p);
              return p;
            };
    boolean agentFacing = ctx.interaction() != null;
    long seed = explorationSeed(ctx, ruleSet.version(), segment);
    String learnedIn = learning.segment().label(segment, ctx.profile(), ex.signals());
    Arbiter.Ranked ranked =
        Arbiter.rank(
            candidates,
            limit,
            (c, channel) ->
                learned.estimate(
                    new PropensityQuery(
                        c.action(),
                        channel,
                        learnedIn,
                        learning.exploration().amount(agentFacing, channel),
                        seed,
                        learning.coldStart())));
    Exploration exploration = null;
    boolean explored =
        ranked.actions().stream()
            .anyMatch(a -> a.explanation().priority().propensity().draw() != null);
    if (explored) {
      double p =
          Arbiter.topChoiceProbability(
              ranked.eligible(),
              CHOICE_REPLICATES,
              (s, r) -> {
                Propensity was = s.candidate().propensity();
                if (was.draw() == null) {
                  return null;
                }
                PropensityQuery q =
                    new PropensityQuery(
                        s.candidate().action(),
                        s.channel(),
                        learnedIn,
                        learning.exploration().amount(agentFacing, s.channel()),
                        seed ^ (0x9E3779B97F4A7C15L * r),
                        learning.coldStart());
                return learned.estimate(q).value();
              });
      exploration = new Exploration(String.format("%016x", seed), p, CHOICE_REPLICATES);
    }
    return new Decision(
        decisionId,
        ruleSet.version(),
        ctx.customerId(),
        ctx.asOf(),
        indices,
        segment,
        contact,
        gaps,
        ranked.actions(),
        ranked.suppressed(),
        (System.nanoTime() - started) / 1_000,
        null,
        null,
        holdout == null
            ? null
            : List.of(
                new ExperimentArm(
                    holdout.id(),
                    heldOut ? ExperimentArm.HOLDOUT : ExperimentArm.TREATED,
                    ruleSet.version())),
        exploration);
  }

  /**
   * The seed every draw of a decision starts from: what the ranking may depend on (the customer,
   * the rule-set version, the segment and the live interaction's channel and reason), never the
   * decision id or the time, so refreshing the same situation draws the same. The model mixes in
   * the counts it reads, so a draw changes once an outcome is learned.
   */
  static long explorationSeed(CustomerContext ctx, String ruleSetVersion, Segment segment) {
    // One digest per thread: looking the algorithm up cost more than hashing these few bytes.
    java.security.MessageDigest sha = SHA_256.get();
    String interaction =
        ctx.interaction() == null
            ? ""
            : ctx.interaction().channel()
                + "\u0000"
                + Objects.toString(ctx.interaction().reason(), "");
    String basis =
        ctx.customerId()
            + "\u0000"
            + ruleSetVersion
            + "\u0000"
            + segment.quadrant()
            + "\u0000"
            + interaction;
    byte[] h = sha.digest(basis.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.nio.ByteBuffer.wrap(h, 0, 8).getLong();
  }

  private static final ThreadLocal<java.security.MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
          });

  private static void holdWhileDegraded(List<Candidate> candidates) {
    for (Candidate c : candidates) {
      boolean serves =
          c.getFamily() == ActionFamily.EXPERIENCE_REPAIR
              || c.getFamily() == ActionFamily.PROACTIVE_SERVICE;
      if (c.isOutbound() || !serves) {
        c.hold(
            DEGRADED_HOLD,
            DEGRADED_GUIDANCE,
            "the customer store is unreachable, so contact caps, open complaints and gaps are unknown: "
                + (c.isOutbound()
                    ? "no outreach is scheduled"
                    : "only repair and service are offered"),
            "the customer store answers again",
            Map.of("family", c.getFamily().name(), "outbound", c.isOutbound()));
      }
    }
  }

  /** Counts proactive outreach in the 7- and 30-day windows and when each window next has room. */
  static ContactState contactState(CustomerContext ctx, DmnPolicies.ContactLimits limits) {
    Instant now = ctx.asOf();
    List<OutreachSent> sent = ctx.profile().outreach();
    Instant[] recent = new Instant[sent.size()];
    int n = 0;
    for (OutreachSent o : sent) {
      if (o.at().isAfter(now.minus(Duration.ofDays(30)))) {
        recent[n++] = o.at();
      }
    }
    Instant[] window = Arrays.copyOf(recent, n);
    Arrays.sort(window, java.util.Comparator.reverseOrder());
    int in7 = 0;
    for (Instant t : window) {
      if (t.isAfter(now.minus(Duration.ofDays(7)))) {
        in7++;
      }
    }
    return new ContactState(
        in7,
        limits.max7Days(),
        n,
        limits.max30Days(),
        roomAt(window, limits.max7Days(), 7, in7),
        roomAt(window, limits.max30Days(), 30, n));
  }

  /** The window has room again once the cap-th most recent message is older than the window. */
  private static Instant roomAt(Instant[] newestFirst, int cap, int days, int count) {
    if (count < cap) {
      return null;
    }
    if (cap <= 0) {
      return null;
    }
    return newestFirst[cap - 1].plus(Duration.ofDays(days));
  }

  /** The rule set new decisions use. */
  public RuleSet ruleSet() {
    return active.get();
  }

  /**
   * Makes {@code next} the rule set for every decision that starts from now on; decisions already
   * running finish on the one they started with. Returns the previous rule set, which the caller
   * closes once nothing uses it.
   */
  public RuleSet activate(RuleSet next) {
    return active.getAndSet(Objects.requireNonNull(next, "rule set"));
  }

  public Clock clock() {
    return clock;
  }

  /** Builds a {@link DecisionEngine}; only the rule set is required. */
  public static final class Builder {
    private RuleSet ruleSet;
    private Clock clock = Clock.systemUTC();
    private PropensityModel propensities = PropensityModel.PRIORS;
    private Supplier<String> ids = Builder::randomId;
    private DecisionObserver observer = DecisionObserver.NONE;
    private boolean rememberSituations = true;

    private Builder() {}

    public Builder ruleSet(RuleSet ruleSet) {
      this.ruleSet = Objects.requireNonNull(ruleSet, "ruleSet");
      return this;
    }

    /** The clock that supplies {@code asOf} when a context has none. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder propensities(PropensityModel propensities) {
      this.propensities = Objects.requireNonNull(propensities, "propensities");
      return this;
    }

    /**
     * How decision ids are made (by default, unique ones that sort by when they were made;
     * deterministic ones for simulations).
     */
    public Builder decisionIds(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Who is told each rule firing (metrics); none by default, and then the rules run unobserved.
     */
    /**
     * Whether decisions on equal customer-level facts share what the rules concluded (default
     * true): the rules then fire once per distinct situation, not once per decision. Off, every
     * decision fires them; the decisions are the same.
     */
    public Builder rememberSituations(boolean remember) {
      this.rememberSituations = remember;
      return this;
    }

    public Builder observer(DecisionObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public DecisionEngine build() {
      if (ruleSet == null) {
        throw new IllegalStateException(
            "a rule set is required: call ruleSet(RuleSet.compile(RuleSetSource.bundled()))");
      }
      return new DecisionEngine(this);
    }

    /**
     * {@code d-}, the milliseconds since the epoch (11 hex digits), then 64 random bits (16 hex
     * digits). Ids made later sort later, so the embedded audit trail, indexed by id, adds to the
     * end of its index instead of rewriting a page of it anywhere for every decision; two ids of
     * one millisecond still differ but by chance once in 2^64.
     */
    private static String randomId() {
      char[] id = new char[29];
      id[0] = 'd';
      id[1] = '-';
      hex(System.currentTimeMillis(), id, 2, 11);
      hex(ThreadLocalRandom.current().nextLong(), id, 13, 16);
      return new String(id);
    }

    private static void hex(long value, char[] out, int at, int digits) {
      for (int i = at + digits - 1; i >= at; i--) {
        out[i] = Character.forDigit((int) (value & 15), 16);
        value >>>= 4;
      }
    }
  }
}
