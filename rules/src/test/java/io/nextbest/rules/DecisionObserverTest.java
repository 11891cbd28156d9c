package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.Scenarios;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** An observed engine hears every rule that acted, and decides exactly as an unobserved one. */
class DecisionObserverTest {
  private final Map<String, LongAdder> fired = new ConcurrentHashMap<>();
  private final DecisionEngine observed =
      DecisionEngine.builder()
          .ruleSet(BundledRuleSet.RULES)
          .observer(rule -> fired.computeIfAbsent(rule, r -> new LongAdder()).increment())
          .build();

  @Test
  void everyRuleNamedInADecision_wasReportedAsFired_andTheDecisionIsUnchanged() {
    for (Scenario s : Scenarios.load(BundledRuleSet.SOURCE)) {
      fired.clear();
      Decision seen = observed.decide(s.context());
      Decision plain = BundledRuleSet.ENGINE.decide(s.context());

      assertThat(seen.actions()).as(s.name()).isEqualTo(plain.actions());
      assertThat(seen.suppressed()).as(s.name()).isEqualTo(plain.suppressed());
      assertThat(seen.criticalGaps()).as(s.name()).isEqualTo(plain.criticalGaps());
      Set<String> named = new HashSet<>();
      seen.criticalGaps().forEach(g -> named.add(g.rule()));
      for (SuppressedAction a : seen.suppressed()) {
        a.by().stream().map(Suppression::rule).forEach(named::add);
      }
      for (RecommendedAction a : seen.actions()) {
        a.explanation().reasons().stream().map(Reason::rule).forEach(named::add);
      }
      named.remove(null);
      assertThat(named).as(s.name()).isNotEmpty();
      assertThat(fired.keySet()).as(s.name()).containsAll(named);
    }
  }

  @Test
  void aDecisionIdTakenBeforehand_isTheDecisionsId() {
    String id = observed.newDecisionId();
    Decision d = observed.decide(new CustomerContext("c-id", null, null, null, null), id);
    assertThat(d.decisionId()).isEqualTo(id).startsWith("d-");
  }
}
