package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.learning.OffPolicyEvaluation;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Exploration;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Segment;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inverse propensity scoring over the audit trail: which logged decisions count, what they earned
 * (feedback, a named event within the window, pending until the window closes), and the estimate
 * against a hand-computed example and {@link OffPolicyEvaluation} itself.
 */
class OfflineEvaluationTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;
  Sqlite db;
  SqliteCustomerStore store;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
    store = new SqliteCustomerStore(db);
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  static Instant daysAgo(double days) {
    return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
  }

  static RecommendedAction action(String id) {
    return new RecommendedAction(
        1, id, id, null, Channel.EMAIL, true, null, null, null, null, 1.0, null);
  }

  /**
   * A logged decision: its top action (null: none) and the chance it was chosen (null: no
   * exploring).
   */
  static DecisionRecord logged(
      String id, String customer, Instant at, String top, Double p, boolean withInputs) {
    Decision d =
        new Decision(
            id,
            "v1-abc",
            customer,
            at,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            top == null ? List.of() : List.of(action(top)),
            List.of(),
            7,
            null,
            null,
            null,
            p == null ? null : new Exploration("00000000000000ff", p, 63));
    DecisionEngine.Inputs inputs =
        new DecisionEngine.Inputs(
            new CustomerContext(customer, at, null, null, 3),
            false,
            Map.of("Q2|" + (top == null ? "x" : top) + "|EMAIL", new Propensity(0.3, "prior", 0)));
    return new DecisionRecord(id, customer, at, "v1-abc", "ab12", d, withInputs ? inputs : null);
  }

  static LedgerEntry accepted(String decision, String customer, String action, Instant at) {
    return new LedgerEntry(
        LedgerEntry.idFor(decision, action, LedgerKind.ACCEPTED_BY_CUSTOMER),
        customer,
        decision,
        action,
        LedgerKind.ACCEPTED_BY_CUSTOMER,
        Channel.EMAIL,
        at,
        null);
  }

  /**
   * The worked example of docs/experiments.md: four decisions count, the candidate agrees with two
   * of them.
   */
  void logTheExample() {
    store.saveDecisions(
        List.of(
            logged("d0", "z", daysAgo(40), "offer-a", 0.5, true), // before the window
            logged("d1", "a", daysAgo(20), "offer-a", 0.5, true),
            logged("d2", "b", daysAgo(19), "offer-b", 0.25, true),
            logged("d3", "c", daysAgo(18), "offer-a", null, true),
            logged("d4", "d", daysAgo(17), "offer-a", 0.8, true),
            logged("d5", "e", daysAgo(16), "offer-a", 0.5, false),
            logged("d6", "f", daysAgo(15), null, null, true),
            logged("d7", "g", daysAgo(2), "offer-a", 0.5, true)));
    // d1: the customer accepted its top action; d4 too.
    store.record(accepted("d1", "a", "offer-a", daysAgo(19.5)), null, null);
    store.record(accepted("d4", "d", "offer-a", daysAgo(16)), null, null);
    // d2: a purchase three days after the decision; d3: one fifteen days after, too late.
    store.append(
        List.of(
            new CustomerEvent.Purchase("p-b", "b", daysAgo(16), "phone", 100.0),
            new CustomerEvent.Purchase("p-c", "c", daysAgo(3), "phone", 100.0),
            // Before its decision: no success of d7.
            new CustomerEvent.Purchase("p-g", "g", daysAgo(3), "phone", 100.0)));
  }

  /** The candidate agrees with d1, d2 and d7, not with d3 or d4. */
  static String candidate(DecisionRecord rec) {
    return switch (rec.decisionId()) {
      case "d1" -> "offer-a";
      case "d2" -> "offer-b";
      case "d3" -> "offer-b";
      case "d4" -> "offer-c";
      default -> "offer-a";
    };
  }

  static OfflineEvaluation.Request window(Integer limit) {
    return new OfflineEvaluation.Request(daysAgo(30), NOW, limit, true, List.of("PURCHASE"), 14);
  }

  @Test
  void theEstimate_isTheHandComputedExample() {
    logTheExample();
    OfflineEvaluation.Result r =
        new OfflineEvaluation(store, CLOCK, "node")
            .evaluate(window(null), "v2-x", OfflineEvaluationTest::candidate);

    assertThat(r.read()).as("d1 to d7: d0 is before the window").isEqualTo(7);
    assertThat(r.truncated()).isFalse();
    assertThat(r.skipped())
        .as("d5 has no inputs, d6 no action, d7's fourteen days are not over")
        .isEqualTo(new OfflineEvaluation.Skipped(1, 1, 1, 0));
    assertThat(r.decisions()).isEqualTo(4);
    assertThat(r.matched()).isEqualTo(2);
    // Rewards d1..d4: 1 (accepted), 1 (purchase in 3 days), 0 (purchase after 15), 1 (accepted).
    assertThat(r.loggedValue()).isEqualTo(0.75);
    // Terms: d1 1/0.5 = 2, d2 1/0.25 = 4, d3 and d4 unmatched 0: mean 6/4 = 1.5.
    assertThat(r.value()).isEqualTo(1.5);
    // Sample variance of (2, 4, 0, 0) around 1.5 is 11/3; over n = 4: 0.916667.
    assertThat(r.variance()).isEqualTo(0.916667);
    assertThat(r.low()).isEqualTo(-0.376557);
    assertThat(r.high()).isEqualTo(3.376557);
    // Self-normalised: (2 + 4) over the weights of the matched (2 + 4).
    assertThat(r.selfNormalised()).isEqualTo(1.0);
    assertThat(r.scope()).isEqualTo("node");

    // The library's own estimator on the same logged decisions gives the same figures.
    List<OffPolicyEvaluation.Logged> logs = new ArrayList<>();
    double[][] given = {{0.5, 1}, {0.25, 1}, {1, 0}, {0.8, 1}};
    String[] tops = {"offer-a", "offer-b", "offer-a", "offer-a"};
    String[] candidates = {"offer-a", "offer-b", "offer-b", "offer-c"};
    for (int i = 0; i < 4; i++) {
      logs.add(
          new OffPolicyEvaluation.Logged(
              new CustomerContext("c" + i, NOW, null, null, 3), tops[i], given[i][0], given[i][1]));
    }
    OffPolicyEvaluation.Estimate e =
        OffPolicyEvaluation.ipsOfTop(logs, l -> candidates[logs.indexOf(l)]);
    assertThat(r.value()).isCloseTo(e.value(), within(1e-6));
    assertThat(r.variance()).isCloseTo(e.variance(), within(1e-6));
    assertThat(r.selfNormalised()).isCloseTo(e.selfNormalised(), within(1e-6));
    assertThat(r.matched()).isEqualTo(e.matched());
  }

  @Test
  void feedbackAlone_countsNoEvent_andNeedsNoWindowToClose() {
    logTheExample();
    OfflineEvaluation.Result r =
        new OfflineEvaluation(store, CLOCK, "node")
            .evaluate(
                new OfflineEvaluation.Request(daysAgo(30), NOW, null, true, null, null),
                "v2-x",
                OfflineEvaluationTest::candidate);
    // d1..d4 and d7 (not pending without events); rewards 1, 0 (a purchase is not feedback), 0,
    // 1, 0.
    assertThat(r.skipped()).isEqualTo(new OfflineEvaluation.Skipped(1, 1, 0, 0));
    assertThat(r.decisions()).isEqualTo(5);
    assertThat(r.matched()).as("d1, d2, d7").isEqualTo(3);
    assertThat(r.value()).as("(1/0.5) / 5").isEqualTo(0.4);
  }

  @Test
  void theLimit_keepsTheLatestOfTheWindow_andSaysSo() {
    logTheExample();
    OfflineEvaluation.Result r =
        new OfflineEvaluation(store, CLOCK, "node")
            .evaluate(window(2), "v2-x", OfflineEvaluationTest::candidate);
    assertThat(r.read()).isEqualTo(2);
    assertThat(r.truncated()).isTrue();
    assertThat(r.skipped()).as("d6 and d7").isEqualTo(new OfflineEvaluation.Skipped(0, 1, 1, 0));
    assertThat(r.decisions()).isZero();
    assertThat(r.value()).isNull();
  }

  @Test
  void aCandidateThatRefusesAContext_choosesNothingThere() {
    logTheExample();
    OfflineEvaluation.Result r =
        new OfflineEvaluation(store, CLOCK, "node")
            .evaluate(
                window(null),
                "v2-x",
                rec -> {
                  if (rec.decisionId().equals("d2")) {
                    throw new IllegalArgumentException("limit above the candidate's maximum");
                  }
                  return candidate(rec);
                });
    assertThat(r.skipped().candidateRefused()).isEqualTo(1);
    assertThat(r.matched()).isEqualTo(1);
    assertThat(r.value()).as("only d1's 2, over four").isEqualTo(0.5);
  }

  @Test
  void aBadRequest_namesEveryField() {
    OfflineEvaluation ev = new OfflineEvaluation(store, CLOCK, "node");
    assertThatThrownBy(
            () ->
                ev.evaluate(
                    new OfflineEvaluation.Request(NOW, daysAgo(1), 0, false, List.of(), 400),
                    "v2-x",
                    OfflineEvaluationTest::candidate))
        .isInstanceOfSatisfying(
            OfflineEvaluation.Invalid.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "from", "limit", "successWithinDays", "successEvents"));
    assertThatThrownBy(
            () ->
                ev.evaluate(
                    new OfflineEvaluation.Request(
                        null,
                        null,
                        OfflineEvaluation.MAX_DECISIONS + 1,
                        null,
                        List.of("CHURN"),
                        null),
                    "v2-x",
                    OfflineEvaluationTest::candidate))
        .isInstanceOfSatisfying(
            OfflineEvaluation.Invalid.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder("limit", "successEvents"));
  }
}
