package io.nextbest.engine.customers;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.experiments.Experiment;
import io.nextbest.engine.learning.OffPolicyEvaluation;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.model.RecommendedAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a candidate rule-set version would have earned on the decisions the audit trail holds, by
 * inverse propensity scoring ({@link OffPolicyEvaluation}): each logged decision's top action, the
 * chance its policy ranked it first ({@code exploration.topChoiceProbability}; 1 for a decision
 * that did not explore) and what it earned, against the action the candidate ranks first on the
 * decision's recorded inputs.
 *
 * <p>A decision earned 1 when the customer accepted its top action (feedback {@code
 * ACCEPTED_BY_CUSTOMER} or an accepted outreach response), when {@code feedback} is asked for, or
 * when one of the named events happened to the customer within {@code successWithinDays} of the
 * decision; else 0. With named events, a decision whose window has not closed yet is pending: left
 * out, since it could still succeed.
 */
public final class OfflineEvaluation {
  /** At most this many decisions are evaluated at once. */
  public static final int MAX_DECISIONS = 10_000;

  /** How many when the request does not say. */
  public static final int DEFAULT_DECISIONS = 1_000;

  /** The longest success window that may be named (as for experiments). */
  public static final int MAX_DAYS = 365;

  /** The request as sent; null fields take their defaults. */
  public record Request(
      Instant from,
      Instant to,
      Integer limit,
      Boolean feedback,
      List<String> successEvents,
      Integer successWithinDays) {}

  /** What a logged decision counts as a success. */
  public record Reward(boolean feedback, List<String> successEvents, int successWithinDays) {}

  /**
   * @param notReplayable records kept without their inputs (written before they were), left out
   * @param noAction decisions that recommended nothing, left out
   * @param pending decisions whose success window has not closed yet, left out
   * @param candidateRefused decisions the candidate could not decide (it refuses the recorded
   *     context): counted, as choosing nothing
   */
  public record Skipped(int notReplayable, int noAction, int pending, int candidateRefused) {}

  /**
   * @param read audit records found in the window (at most {@code limit}: the latest)
   * @param truncated whether the window held more than {@code limit}
   * @param decisions logged decisions the estimate is over
   * @param matched of them, those whose top action the candidate also ranks first
   * @param loggedValue what the logged decisions earned on average (the policies that made them)
   * @param value the IPS estimate of the candidate's mean reward per decision (null: no decision)
   * @param variance its variance (null below two decisions)
   * @param low {@code value} minus 1.96 standard errors
   * @param high {@code value} plus 1.96 standard errors
   * @param selfNormalised the self-normalised estimate (null when nothing matched)
   * @param scope {@code node}: the embedded store, this node's audit trail only; {@code shared}:
   *     every node's (Redis)
   */
  public record Result(
      String candidate,
      Instant from,
      Instant to,
      Reward reward,
      int read,
      boolean truncated,
      int decisions,
      int matched,
      Skipped skipped,
      Double loggedValue,
      Double value,
      Double variance,
      Double low,
      Double high,
      Double selfNormalised,
      String scope) {}

  /** A request that cannot be evaluated, naming every offending field. */
  public static final class Invalid extends RuntimeException {
    private final transient List<FieldError> errors;

    Invalid(List<FieldError> errors) {
      super("invalid offline evaluation", null, false, false);
      this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  private final CustomerStore store;
  private final Clock clock;
  private final String scope;

  public OfflineEvaluation(CustomerStore store, Clock clock, String scope) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scope = Objects.requireNonNull(scope, "scope");
  }

  /** The window and reward a request names, its defaults filled in. */
  record Checked(Instant from, Instant to, int limit, Reward reward) {}

  /**
   * @throws Invalid naming every offending field
   */
  Checked check(Request r) {
    List<FieldError> errors = new ArrayList<>();
    Instant now = clock.instant();
    Instant to = r.to() == null ? now : r.to();
    Instant from = r.from() == null ? to.minus(Duration.ofDays(30)) : r.from();
    if (!from.isBefore(to)) {
      errors.add(new FieldError("from", "must be before to (" + to + "), was " + from));
    }
    int limit = r.limit() == null ? DEFAULT_DECISIONS : r.limit();
    if (limit < 1 || limit > MAX_DECISIONS) {
      errors.add(
          new FieldError("limit", "must be between 1 and " + MAX_DECISIONS + ", was " + limit));
    }
    List<String> events = List.of();
    try {
      events = Experiment.checkEvents("successEvents", r.successEvents());
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError("successEvents", e.getMessage().substring("successEvents: ".length())));
    }
    int days = r.successWithinDays() == null ? 30 : r.successWithinDays();
    if (days < 0 || days > MAX_DAYS) {
      errors.add(
          new FieldError(
              "successWithinDays", "must be between 0 and " + MAX_DAYS + ", was " + days));
    }
    boolean feedback = r.feedback() == null || r.feedback();
    if (!feedback && (r.successEvents() == null || r.successEvents().isEmpty())) {
      errors.add(
          new FieldError(
              "successEvents", "must name an event when feedback does not count as a success"));
    }
    if (!errors.isEmpty()) {
      throw new Invalid(errors);
    }
    return new Checked(from, to, limit, new Reward(feedback, events, days));
  }

  /**
   * Evaluates {@code candidateTop} (the action a candidate ranks first for a recorded decision, or
   * null for none; it may throw when the candidate refuses the decision's context).
   *
   * @throws Invalid for a request naming something invalid
   */
  public Result evaluate(
      Request request, String candidate, Function<DecisionRecord, String> candidateTop) {
    Checked c = check(request);
    List<DecisionRecord> records = store.decisionsBetween(c.from(), c.to(), c.limit() + 1);
    boolean truncated = records.size() > c.limit();
    if (truncated) {
      records = records.subList(records.size() - c.limit(), records.size());
    }
    Instant now = clock.instant();
    Duration window = Duration.ofDays(c.reward().successWithinDays());
    boolean events = !c.reward().successEvents().isEmpty();
    int notReplayable = 0;
    int noAction = 0;
    int pending = 0;
    Map<OffPolicyEvaluation.Logged, DecisionRecord> of = new IdentityHashMap<>();
    List<OffPolicyEvaluation.Logged> logs = new ArrayList<>();
    Map<String, List<LedgerEntry>> ledgers = new HashMap<>();
    Map<String, List<CustomerEvent>> histories = new HashMap<>();
    double earned = 0;
    for (DecisionRecord rec : records) {
      if (rec.inputs() == null) {
        notReplayable++;
        continue;
      }
      String top = rec.decision().top().map(RecommendedAction::actionId).orElse(null);
      if (top == null) {
        noAction++;
        continue;
      }
      double reward = reward(rec, top, c.reward(), window, ledgers, histories);
      if (reward == 0 && events && rec.decidedAt().plus(window).isAfter(now)) {
        pending++;
        continue;
      }
      double p =
          rec.decision().exploration() == null
              ? 1
              : rec.decision().exploration().topChoiceProbability();
      OffPolicyEvaluation.Logged l =
          new OffPolicyEvaluation.Logged(rec.inputs().context(), top, p, reward);
      of.put(l, rec);
      logs.add(l);
      earned += reward;
    }
    int[] refused = {0};
    OffPolicyEvaluation.Estimate e =
        logs.isEmpty()
            ? null
            : OffPolicyEvaluation.ipsOfTop(
                logs,
                l -> {
                  try {
                    return candidateTop.apply(of.get(l));
                  } catch (RuntimeException ex) {
                    refused[0]++;
                    return null;
                  }
                });
    return new Result(
        candidate,
        c.from(),
        c.to(),
        c.reward(),
        records.size(),
        truncated,
        e == null ? 0 : e.decisions(),
        e == null ? 0 : e.matched(),
        new Skipped(notReplayable, noAction, pending, refused[0]),
        e == null ? null : round(earned / logs.size()),
        e == null ? null : round(e.value()),
        e == null ? null : finite(e.variance()),
        e == null ? null : finite(e.low()),
        e == null ? null : finite(e.high()),
        e == null || e.selfNormalised() == null ? null : round(e.selfNormalised()),
        scope);
  }

  /**
   * 1 when the decision's top action was accepted (with {@code feedback}), or a named event
   * happened to the customer within the window from the decision; else 0.
   */
  private double reward(
      DecisionRecord rec,
      String top,
      Reward reward,
      Duration window,
      Map<String, List<LedgerEntry>> ledgers,
      Map<String, List<CustomerEvent>> histories) {
    if (reward.feedback()) {
      for (LedgerEntry line : ledgers.computeIfAbsent(rec.customerId(), store::ledger)) {
        if (rec.decisionId().equals(line.decisionId())
            && top.equals(line.actionId())
            && Boolean.TRUE.equals(line.kind().customerOutcome())) {
          return 1;
        }
      }
    }
    if (!reward.successEvents().isEmpty()) {
      Instant last = rec.decidedAt().plus(window);
      for (CustomerEvent e :
          histories.computeIfAbsent(rec.customerId(), id -> store.history(id, 0).events())) {
        if (reward.successEvents().contains(Experiment.typeOf(e))
            && !e.at().isBefore(rec.decidedAt())
            && !e.at().isAfter(last)) {
          return 1;
        }
      }
    }
    return 0;
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? round(d) : null;
  }

  private static double round(double d) {
    return Math.round(d * 1_000_000) / 1_000_000.0;
  }
}
