package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.Feedback;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes are learned per (action, channel, segment), in the segment {@code learning.json}
 * declares, and counted where the decision recorded its segment (G13).
 */
class LearningSegmentsTest {
  static final Set<String> FIELDS =
      Set.of("csat", "ces", "products", "channels", "consent", "digitalProficiency");

  /** The bundled rule set, segmenting by quadrant and digital proficiency. */
  static final RuleSet BY_PROFICIENCY =
      RuleSet.compile(
          ExperimentsTest.withLearning(
              BundledRuleSet.SOURCE
                  .text("learning.json")
                  .replace(
                      "\"segment\": \"QUADRANT\"",
                      "\"segment\": {\"by\": [\"digitalProficiency\", \"quadrant\"]}")));

  /** A service on an embedded store in {@code dir}, deciding with {@code rules}. */
  record Service(CustomerService customers, DecisionEngine engine, Sqlite db)
      implements AutoCloseable {
    static Service open(Path dir, RuleSet rules) {
      Sqlite db = Sqlite.open(dir);
      BetaPropensities model = BetaPropensities.withPriorStrength(20);
      DecisionEngine engine = DecisionEngine.builder().ruleSet(rules).propensities(model).build();
      CustomerService customers =
          CustomerService.builder()
              .store(new SqliteCustomerStore(db), false)
              .engine(engine)
              .propensities(model)
              .build();
      return new Service(customers, engine, db);
    }

    Decision decide(String id, Proficiency proficiency) {
      return customers.decide(
          Given.satisfiedQuietCustomer(id).proficiency(proficiency).context(), FIELDS);
    }

    void accept(Decision d, RecommendedAction a) {
      customers.feedback(
          new Feedback(
              d.decisionId(),
              a.actionId(),
              LedgerKind.ACCEPTED_BY_CUSTOMER,
              null,
              null,
              Given.NOW));
    }

    Map<OutcomeKey, Counts> counts() {
      return customers.store().propensityCounts();
    }

    @Override
    public void close() {
      customers.close();
      db.close();
    }
  }

  static RecommendedAction outbound(Decision d) {
    return d.actions().stream().filter(RecommendedAction::outbound).findFirst().orElseThrow();
  }

  static Propensity propensityOf(Decision d, RecommendedAction like) {
    return d.actions().stream()
        .filter(a -> a.actionId().equals(like.actionId()) && a.channel() == like.channel())
        .findFirst()
        .orElseThrow(() -> new AssertionError(like.actionId() + " not recommended"))
        .explanation()
        .priority()
        .propensity();
  }

  @Test
  void customersInDifferentDeclaredSegments_learnSeparately_andTheSameSegmentShares(
      @TempDir Path dir) {
    try (Service s = Service.open(dir, BY_PROFICIENCY)) {
      Decision first = s.decide("seg-a", Proficiency.HIGH);
      String quadrant = first.segment().quadrant().name();
      String high = quadrant + "/digitalProficiency=HIGH";
      String low = quadrant + "/digitalProficiency=LOW";
      RecommendedAction offered = outbound(first);
      assertThat(offered.explanation().priority().propensity().segment())
          .as("the explanation names the segment, dimensions in their documented order")
          .isEqualTo(high);
      s.accept(first, offered);

      Propensity same = propensityOf(s.decide("seg-c", Proficiency.HIGH), offered);
      assertThat(same.segment()).isEqualTo(high);
      assertThat(same.outcomes()).as("the same segment shares what was learned").isEqualTo(1);
      assertThat(same.level()).isEqualTo("treatment");
      assertThat(same.source()).isEqualTo("learned");

      Propensity other = propensityOf(s.decide("seg-b", Proficiency.LOW), offered);
      assertThat(other.segment()).isEqualTo(low);
      assertThat(other.outcomes()).as("another segment learns on its own").isZero();
      assertThat(other.level()).isEqualTo("catalogue");
      assertThat(other.source()).isEqualTo("prior");

      assertThat(s.counts())
          .containsEntry(
              new OutcomeKey(offered.actionId(), high, offered.channel()), new Counts(1, 0))
          .containsEntry(new OutcomeKey(offered.actionId(), high, null), new Counts(1, 0))
          .doesNotContainKey(new OutcomeKey(offered.actionId(), low, offered.channel()))
          .doesNotContainKey(new OutcomeKey(offered.actionId(), quadrant, offered.channel()));
    }
  }

  @Test
  void theQuadrantDefault_learnsPerQuadrant_asBefore(@TempDir Path dir) {
    try (Service s = Service.open(dir, BundledRuleSet.RULES)) {
      Decision first = s.decide("quad-a", Proficiency.HIGH);
      String quadrant = first.segment().quadrant().name();
      RecommendedAction offered = outbound(first);
      assertThat(offered.explanation().priority().propensity().segment()).isEqualTo(quadrant);
      s.accept(first, offered);

      Propensity other = propensityOf(s.decide("quad-b", Proficiency.LOW), offered);
      assertThat(other.segment()).isEqualTo(quadrant);
      assertThat(other.outcomes())
          .as("proficiency is not a segment of the bundled rule set")
          .isEqualTo(1);
      assertThat(s.counts())
          .containsOnlyKeys(
              OutcomeKey.decode(quadrant + "|" + offered.actionId() + "|" + offered.channel()),
              OutcomeKey.decode(quadrant + "|" + offered.actionId()));
    }
  }

  @Test
  void feedback_countsInTheSegmentTheDecisionRecorded_notOneRecomputedLater(@TempDir Path dir) {
    Decision d;
    try (Service s = Service.open(dir, BY_PROFICIENCY)) {
      d = s.decide("seg-rec", Proficiency.HIGH);
    }
    RecommendedAction offered = outbound(d);
    String recorded = offered.explanation().priority().propensity().segment();
    assertThat(recorded).endsWith("/digitalProficiency=HIGH");
    // The analyst went back to per-quadrant learning, and the node restarted, before the customer
    // answered: the decision is read back from the audit trail.
    try (Service s = Service.open(dir, BundledRuleSet.RULES)) {
      s.accept(d, offered);
      assertThat(s.counts())
          .containsEntry(
              new OutcomeKey(offered.actionId(), recorded, offered.channel()), new Counts(1, 0))
          .doesNotContainKey(
              new OutcomeKey(offered.actionId(), d.segment().quadrant(), offered.channel()));
    }
  }

  @Test
  void oneCustomersOutcomes_areCappedPerSegment(@TempDir Path dir) {
    try (Service s = Service.open(dir, BY_PROFICIENCY)) {
      RecommendedAction offered = null;
      for (int i = 0; i < 5; i++) {
        Decision d = s.decide("seg-cap", Proficiency.HIGH);
        offered = offered == null ? outbound(d) : offered;
        RecommendedAction again = offered;
        assertThat(d.actions())
            .anyMatch(a -> a.actionId().equals(again.actionId()) && a.channel() == again.channel());
        s.accept(d, offered);
      }
      Decision low = s.decide("seg-cap-low", Proficiency.LOW);
      s.accept(low, offered);
      String quadrant = low.segment().quadrant().name();
      assertThat(s.counts())
          .as("bundled perCustomerCap 3: five accepts count three, in the customer's segment")
          .containsEntry(
              new OutcomeKey(
                  offered.actionId(), quadrant + "/digitalProficiency=HIGH", offered.channel()),
              new Counts(3, 0))
          .containsEntry(
              new OutcomeKey(
                  offered.actionId(), quadrant + "/digitalProficiency=LOW", offered.channel()),
              new Counts(1, 0));
      Propensity capped = propensityOf(s.decide("seg-other", Proficiency.HIGH), offered);
      assertThat(capped.outcomes()).isEqualTo(3);
      // Beta(p·20 + 3, (1 − p)·20): the capped count, not five.
      double prior = capped.prior();
      assertThat(capped.value()).isEqualTo(Math.round((prior * 20 + 3) / 23 * 10_000) / 10_000.0);
    }
  }

  @Test
  void anUnknownDimensionOrAMalformedSegment_isRefusedNamingLearningJson() {
    for (String bad :
        List.of(
            "{\"by\": [\"quadrant\", \"shoeSize\"]}",
            "{\"by\": []}",
            "{\"by\": \"quadrant\"}",
            "{\"by\": [\"quadrant\", \"quadrant\"]}",
            "{\"on\": [\"quadrant\"]}",
            "{\"by\": [3]}",
            "\"quadrant\"",
            "\"LOYALTY\"",
            "7")) {
      String json =
          BundledRuleSet.SOURCE
              .text("learning.json")
              .replace("\"segment\": \"QUADRANT\"", "\"segment\": " + bad);
      assertThatThrownBy(() -> RuleSet.compile(ExperimentsTest.withLearning(json)))
          .as(bad)
          .isInstanceOfSatisfying(
              RuleSetException.class,
              e ->
                  assertThat(e.messages())
                      .singleElement()
                      .satisfies(
                          m -> {
                            assertThat(m.file()).isEqualTo("learning.json");
                            assertThat(m.text()).startsWith("learning.json: segment");
                          }));
    }
    assertThatThrownBy(
            () ->
                RuleSet.compile(
                    ExperimentsTest.withLearning(
                        BundledRuleSet.SOURCE
                            .text("learning.json")
                            .replace(
                                "\"segment\": \"QUADRANT\"",
                                "\"segment\": {\"by\": [\"shoeSize\"]}"))))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.messages().get(0).text())
                    .contains("\"shoeSize\"")
                    .contains(
                        "quadrant, loyaltyMember, loyaltyTier, preferredChannel, highValue,"
                            + " digitalProficiency"));
  }

  @Test
  void everyDimension_isLabelledFromTheDecisionsOwnFacts_inTheDocumentedOrder() {
    RuleSet every =
        RuleSet.compile(
            ExperimentsTest.withLearning(
                BundledRuleSet.SOURCE
                    .text("learning.json")
                    .replace(
                        "\"segment\": \"QUADRANT\"",
                        "\"segment\": {\"by\": [\"highValue\", \"digitalProficiency\","
                            + " \"preferredChannel\", \"loyaltyTier\", \"loyaltyMember\","
                            + " \"quadrant\"]}")));
    DecisionEngine engine =
        DecisionEngine.builder()
            .ruleSet(every)
            .propensities(BetaPropensities.withPriorStrength(20))
            .build();
    Decision member =
        engine.decide(
            Given.satisfiedQuietCustomer("dims-1")
                .loyaltyMember(900)
                .prefers(io.nextbest.engine.model.Channel.EMAIL)
                .annualValue(2000)
                .proficiency(Proficiency.LOW)
                .context());
    assertThat(member.actions().get(0).explanation().priority().propensity().segment())
        .isEqualTo(
            member.segment().quadrant()
                + "/loyaltyMember=true/loyaltyTier=GOLD/preferredChannel=EMAIL/highValue=true"
                + "/digitalProficiency=LOW");
    Decision plain = engine.decide(Given.satisfiedQuietCustomer("dims-2").context());
    assertThat(plain.actions().get(0).explanation().priority().propensity().segment())
        .isEqualTo(
            plain.segment().quadrant()
                + "/loyaltyMember=false/loyaltyTier=NONE/preferredChannel=NONE/highValue=false"
                + "/digitalProficiency=MEDIUM");
  }

  @Test
  void quadrantAndAll_stillMeanWhatTheyMeant() {
    for (String form : List.of("\"QUADRANT\"", "{\"by\": [\"quadrant\"]}", "\"ALL\"")) {
      RuleSet rules =
          RuleSet.compile(
              ExperimentsTest.withLearning(
                  BundledRuleSet.SOURCE
                      .text("learning.json")
                      .replace("\"segment\": \"QUADRANT\"", "\"segment\": " + form)));
      Decision d =
          DecisionEngine.builder()
              .ruleSet(rules)
              .propensities(BetaPropensities.withPriorStrength(20))
              .build()
              .decide(Given.satisfiedQuietCustomer("forms").context());
      String expected = form.equals("\"ALL\"") ? "*" : d.segment().quadrant().name();
      assertThat(d.actions())
          .as(form)
          .allSatisfy(
              a ->
                  assertThat(a.explanation().priority().propensity().segment())
                      .isEqualTo(expected));
    }
  }
}
