package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Sentiment;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exploration is reproducible: the same situation on the same counts ranks the same, anywhere
 * (G13).
 */
class ExplorationTest {
  /**
   * One outcome per action and channel in every quadrant: enough for the old engine to start
   * sampling.
   */
  static Map<OutcomeKey, Counts> oneOutcomeEverywhere() {
    Map<OutcomeKey, Counts> counts = new HashMap<>();
    for (CatalogueAction a : BundledRuleSet.RULES.catalogue()) {
      for (Quadrant q : Quadrant.values()) {
        counts.put(new OutcomeKey(a.id(), q), new Counts(1, 0));
        counts.put(new OutcomeKey(a.id(), q, a.channels().get(0)), new Counts(1, 0));
      }
    }
    return counts;
  }

  /**
   * The bundled rule set with every outbound channel exploring fully (the bundled one explores
   * nothing).
   */
  static final io.nextbest.engine.RuleSet EXPLORING =
      io.nextbest.engine.RuleSet.compile(
          BundledRuleSet.SOURCE.with(
              "exploring",
              Map.of(
                  "learning.json",
                  BundledRuleSet.SOURCE
                      .text("learning.json")
                      .replaceAll("\"(EMAIL|SMS|PUSH|APP|WEB)\": 0.0", "\"$1\": 1.0")
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8))));

  static DecisionEngine engine(Map<OutcomeKey, Counts> counts) {
    return engine(counts, EXPLORING);
  }

  static DecisionEngine engine(Map<OutcomeKey, Counts> counts, io.nextbest.engine.RuleSet rules) {
    BetaPropensities model =
        BetaPropensities.withPriorStrength(BetaPropensities.DEFAULT_PRIOR_STRENGTH);
    model.replaceAll(counts);
    return DecisionEngine.builder().ruleSet(rules).propensities(model).build();
  }

  static List<String> order(Decision d) {
    return d.actions().stream().map(RecommendedAction::actionId).toList();
  }

  static List<Propensity> propensities(Decision d) {
    return d.actions().stream().map(a -> a.explanation().priority().propensity()).toList();
  }

  @Test
  void refreshingTheDesk_forTheSameSituation_neverReorders() {
    // Even with every outbound channel exploring: the desk (a live interaction) does not.
    DecisionEngine engine = engine(oneOutcomeEverywhere());
    Given agentCall =
        Given.satisfiedQuietCustomer("desk-1")
            .onTheLine(Channel.PHONE, "billing question", Sentiment.NEUTRAL);
    Decision first = engine.decide(agentCall.context());
    for (int i = 1; i < 20; i++) {
      // A refresh a few seconds later is a new decision with a new id: the ranking must not move.
      CustomerContext refresh = agentCall.at(Given.NOW.plus(Duration.ofSeconds(5L * i))).context();
      Decision again = engine.decide(refresh);
      assertThat(again.decisionId()).isNotEqualTo(first.decisionId());
      assertThat(order(again)).isEqualTo(order(first));
      assertThat(propensities(again)).isEqualTo(propensities(first));
    }
    assertThat(propensities(first))
        .allSatisfy(
            p -> {
              assertThat(p.source())
                  .as("the bundled rule set does not explore at the desk")
                  .isEqualTo("learned");
              assertThat(p.draw()).isNull();
              assertThat(p.outcomes()).isPositive();
            });
  }

  @Test
  void outboundDecisions_explore_reproduciblyAcrossRestartsAndNodes() {
    Map<OutcomeKey, Counts> counts = oneOutcomeEverywhere();
    Given quiet = Given.satisfiedQuietCustomer("batch-7");
    Decision first = engine(counts).decide(quiet.context());
    assertThat(propensities(first))
        .as("outbound channels explore in this rule set")
        .anySatisfy(
            p -> {
              assertThat(p.source()).isEqualTo("sampled");
              assertThat(p.draw()).isNotNull();
              assertThat(p.mean()).isNotNull();
              assertThat(p.seed()).hasSize(16);
            });
    assertThat(propensities(first))
        .noneSatisfy(p -> assertThat(p.draw() != null && p.source().equals("prior")).isTrue());
    for (int i = 0; i < 20; i++) {
      // A fresh engine and model on the same counts: another node, or this one after a restart.
      Decision again =
          engine(counts).decide(quiet.at(Given.NOW.plus(Duration.ofMinutes(i))).context());
      assertThat(order(again)).isEqualTo(order(first));
      assertThat(propensities(again)).isEqualTo(propensities(first));
    }
  }

  @Test
  void differentCustomers_drawDifferently_soExplorationHappens() {
    DecisionEngine engine = engine(oneOutcomeEverywhere());
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      orders.add(order(engine.decide(Given.satisfiedQuietCustomer("c-" + i).context())));
    }
    assertThat(orders).as("the same situation for 40 customers").hasSizeGreaterThan(1);
  }

  @Test
  void aLearnedOutcome_changesTheDrawsThatReadIt() {
    Map<OutcomeKey, Counts> counts = oneOutcomeEverywhere();
    Given quiet = Given.satisfiedQuietCustomer("batch-8");
    Decision before = engine(counts).decide(quiet.context());
    RecommendedAction top =
        before.actions().stream()
            .filter(a -> a.explanation().priority().propensity().draw() != null)
            .findFirst()
            .orElseThrow();
    OutcomeKey treatment =
        new OutcomeKey(top.actionId(), before.segment().quadrant(), top.channel());
    counts.merge(
        treatment,
        new Counts(0, 1),
        (x, y) -> new Counts(x.successes() + y.successes(), x.failures() + y.failures()));
    Decision after = engine(counts).decide(quiet.context());
    Propensity was = top.explanation().priority().propensity();
    Propensity now =
        after
            .outcomeOf(top.actionId())
            .filter(RecommendedAction.class::isInstance)
            .map(RecommendedAction.class::cast)
            .map(a -> a.explanation().priority().propensity())
            .orElse(null);
    assertThat(now)
        .as("the context asks for every eligible action, so it is still shown")
        .isNotNull();
    assertThat(now.seed()).isNotEqualTo(was.seed());
    assertThat(now.failures()).isEqualTo(was.failures() + 1);
  }

  @Test
  void aBadLearningFile_isRefusedNamingTheFileAndTheField() {
    String bad =
        BundledRuleSet.SOURCE
            .text("learning.json")
            .replace("\"perCustomerCap\": 3", "\"perCustomerCap\": 0");
    io.nextbest.engine.RuleSetSource source =
        BundledRuleSet.SOURCE.with(
            "bad", Map.of("learning.json", bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> io.nextbest.engine.RuleSet.compile(source))
        .isInstanceOfSatisfying(
            io.nextbest.engine.RuleSetException.class,
            e ->
                assertThat(e.messages())
                    .singleElement()
                    .satisfies(
                        m -> {
                          assertThat(m.file()).isEqualTo("learning.json");
                          assertThat(m.text()).contains("perCustomerCap");
                        }));
    String explore =
        BundledRuleSet.SOURCE.text("learning.json").replace("\"EMAIL\": 0.0", "\"EMAIL\": 7");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                io.nextbest.engine.RuleSet.compile(
                    BundledRuleSet.SOURCE.with(
                        "bad",
                        Map.of(
                            "learning.json",
                            explore.getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
        .hasMessageContaining("learning.json")
        .satisfies(
            e ->
                assertThat(((io.nextbest.engine.RuleSetException) e).messages().get(0).text())
                    .contains("exploration.channels.EMAIL"));
  }

  @Test
  void theBundledRuleSet_ranksOnThePosteriorMean_everywhere() {
    Decision d =
        engine(oneOutcomeEverywhere(), BundledRuleSet.RULES)
            .decide(Given.satisfiedQuietCustomer("batch-9").context());
    assertThat(propensities(d))
        .allSatisfy(
            p -> {
              assertThat(p.source()).isEqualTo("learned");
              assertThat(p.draw()).isNull();
            });
    assertThat(d.exploration()).isNull();
  }
}
