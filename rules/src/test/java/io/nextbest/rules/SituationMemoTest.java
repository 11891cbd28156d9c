package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.DecisionObserver;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Decisions on equal customer-level facts share what the rules concluded: the rules fire once per
 * distinct situation. Sharing must never change a decision, nor what an observer hears.
 */
class SituationMemoTest {

  private static final DecisionEngine FIRED_EVERY_TIME =
      DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).rememberSituations(false).build();

  /** The decision as JSON, without what differs between two makings of it (id, timing). */
  private static ObjectNode content(Decision d) {
    ObjectNode n = Json.mapper().valueToTree(d);
    n.remove("decisionId");
    n.remove("evaluationMicros");
    return n;
  }

  @Test
  void aRememberedSituation_decidesExactlyAsFiringTheRulesDoes_overTheRandomPopulation() {
    DecisionEngine remembering = DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).build();
    List<CustomerContext> population = DecisionPropertiesTest.population();
    long[] before = remembering.situationCounts();
    for (int round = 0; round < 2; round++) {
      for (CustomerContext c : population) {
        assertThat(content(remembering.decide(c)))
            .as("%s, round %d", c.customerId(), round)
            .isEqualTo(content(FIRED_EVERY_TIME.decide(c)));
      }
    }
    long[] after = remembering.situationCounts();
    // The second round finds every situation of the first.
    assertThat(after[0] - before[0]).isGreaterThanOrEqualTo(population.size());
  }

  @Test
  void equalFactsAreFoundRemembered_andOneChangedFactIsNot() {
    DecisionEngine engine = DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).build();
    CustomerContext first = customer("memo-1", 4);
    CustomerContext same = customer("memo-2", 4);
    CustomerContext other = customer("memo-3", 2);

    long[] c0 = engine.situationCounts();
    engine.decide(first);
    long[] c1 = engine.situationCounts();
    // The same customer again, ninety minutes later the same day, and another customer in the same
    // situation: neither the customer id nor the instant is a fact the rules read.
    engine.decide(first.withAsOf(first.asOf().plusSeconds(90 * 60)));
    engine.decide(same);
    long[] c2 = engine.situationCounts();
    engine.decide(other);
    long[] c3 = engine.situationCounts();

    assertThat(c1[1] - c0[1]).as("first decision fires the rules").isEqualTo(1);
    assertThat(c2[0] - c1[0])
        .as("the same customer again, and another in the same situation, are remembered")
        .isEqualTo(2);
    assertThat(c2[1] - c1[1]).isZero();
    assertThat(c3[1] - c2[1]).as("a different CSAT is another situation").isEqualTo(1);
  }

  /** A broadband customer with one CSAT answer three days ago and e-mail consent. */
  private static CustomerContext customer(String id, int csat) {
    return Given.customer(id)
        .csat(csat, 3)
        .holds("BROADBAND", 400)
        .consents(io.nextbest.engine.model.Channel.EMAIL)
        .context();
  }

  @Test
  void anObserverHearsTheSameFirings_rememberedOrNot() {
    List<String> heardRemembering = new ArrayList<>();
    List<String> heardFiring = new ArrayList<>();
    DecisionEngine remembering =
        DecisionEngine.builder()
            .ruleSet(BundledRuleSet.RULES)
            .observer(observer(heardRemembering))
            .build();
    DecisionEngine firing =
        DecisionEngine.builder()
            .ruleSet(BundledRuleSet.RULES)
            .rememberSituations(false)
            .observer(observer(heardFiring))
            .build();
    List<CustomerContext> population = DecisionPropertiesTest.population().subList(0, 60);
    for (int round = 0; round < 3; round++) {
      for (CustomerContext c : population) {
        remembering.decide(c);
        firing.decide(c);
      }
    }
    assertThat(heardRemembering).isNotEmpty().isEqualTo(heardFiring);
  }

  private static DecisionObserver observer(List<String> heard) {
    return heard::add;
  }

  @Test
  void rulesThatMayReadAnythingButTheirFacts_areFiredForEveryDecision() {
    String drl = BundledRuleSet.SOURCE.text("drl/timing.drl");
    String withGlobal =
        drl.replaceFirst("(?m)^(import [^\\n]+;)", "$1\nglobal java.util.List seen;");
    Map<String, byte[]> files = new TreeMap<>();
    files.put("drl/timing.drl", withGlobal.getBytes(StandardCharsets.UTF_8));
    RuleSetSource changed = BundledRuleSet.SOURCE.with("with-a-global", files);
    DecisionEngine engine = DecisionEngine.builder().ruleSet(RuleSet.compile(changed)).build();
    CustomerContext c = Given.customer("memo-g").csat(5, 2).context();
    engine.decide(c);
    engine.decide(c);
    assertThat(engine.situationCounts()).containsExactly(0, 0);
    // The bundled rules conclude from their facts alone, so they are remembered.
    assertThat(
            BundledRuleSet.ENGINE.situationCounts()[0] + BundledRuleSet.ENGINE.situationCounts()[1])
        .isPositive();
  }

  @Test
  void versionsSharingTheRules_withDifferentCatalogues_eachApplyTheRememberedEffectsToTheirOwn()
      throws Exception {
    // The same DRL, so one compiled knowledge base and one memo for both; the second catalogue
    // lists the actions in reverse and lacks the first, so an effect's actions sit elsewhere.
    com.fasterxml.jackson.databind.node.ArrayNode actions =
        (com.fasterxml.jackson.databind.node.ArrayNode)
            Json.mapper().readTree(BundledRuleSet.SOURCE.text("catalogue.json"));
    com.fasterxml.jackson.databind.node.ArrayNode reversed = Json.mapper().createArrayNode();
    for (int i = actions.size() - 1; i >= 1; i--) {
      reversed.add(actions.get(i));
    }
    Map<String, byte[]> files = new TreeMap<>();
    files.put("catalogue.json", Json.mapper().writeValueAsBytes(reversed));
    RuleSet other = RuleSet.compile(BundledRuleSet.SOURCE.with("reversed-catalogue", files));
    DecisionEngine first = DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).build();
    DecisionEngine second = DecisionEngine.builder().ruleSet(other).build();
    DecisionEngine secondFiring =
        DecisionEngine.builder().ruleSet(other).rememberSituations(false).build();
    List<CustomerContext> population = DecisionPropertiesTest.population().subList(0, 40);
    long[] before = second.situationCounts();
    for (int round = 0; round < 2; round++) {
      for (CustomerContext c : population) {
        assertThat(content(first.decide(c)))
            .as("%s, round %d, bundled catalogue", c.customerId(), round)
            .isEqualTo(content(FIRED_EVERY_TIME.decide(c)));
        assertThat(content(second.decide(c)))
            .as("%s, round %d, reversed catalogue", c.customerId(), round)
            .isEqualTo(content(secondFiring.decide(c)));
      }
    }
    // The two versions did share what the rules concluded.
    assertThat(second.situationCounts()[0] - before[0]).isGreaterThanOrEqualTo(population.size());
  }
}
