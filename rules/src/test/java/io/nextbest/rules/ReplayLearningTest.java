package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An audited decision replays to the same answer although learning has moved on: its inputs keep
 * every propensity the ranking used, per treatment, and the seeded draws of an exploring decision.
 */
class ReplayLearningTest {
  private static ObjectNode comparable(Decision d) {
    ObjectNode node = Json.mapper().valueToTree(d);
    node.remove("evaluationMicros");
    return node;
  }

  @Test
  void anExploringDecision_replaysExactly_afterTheCountsItReadHaveMoved() {
    Map<OutcomeKey, Counts> counts = ExplorationTest.oneOutcomeEverywhere();
    Given quiet = Given.satisfiedQuietCustomer("replay-1");
    DecisionEngine.Decided decided =
        ExplorationTest.engine(counts).decide(quiet.context(), "d-replay-1", false);
    Decision recorded = decided.decision();
    assertThat(recorded.exploration()).as("outbound channels explore in this rule set").isNotNull();
    RecommendedAction top = recorded.actions().get(0);
    String treatment =
        new OutcomeKey(top.actionId(), recorded.segment().quadrant(), top.channel()).encoded();
    assertThat(decided.inputs().propensities().keySet())
        .as("keyed as learning counts: by treatment, exploring estimates with their seed")
        .anySatisfy(k -> assertThat(k).startsWith(treatment))
        .anySatisfy(k -> assertThat(k).contains("@"));

    // Learning moves on: every treatment the decision read gets another failure.
    Map<OutcomeKey, Counts> later = new java.util.HashMap<>();
    counts.forEach((k, v) -> later.put(k, new Counts(v.successes(), v.failures() + 3)));
    DecisionEngine now = ExplorationTest.engine(later);
    Decision fresh = now.decide(quiet.context(), "d-replay-2", false).decision();
    assertThat(ExplorationTest.propensities(fresh))
        .as("a fresh decision reads the new counts")
        .isNotEqualTo(ExplorationTest.propensities(recorded));

    Decision replayed =
        now.replay(decided.inputs(), ExplorationTest.EXPLORING, recorded.decisionId());
    assertThat(comparable(replayed)).isEqualTo(comparable(recorded));
  }

  @Test
  void aDegradedDecision_holdsOutreach_andReplaysHoldingIt() {
    Given quiet = Given.satisfiedQuietCustomer("replay-2");
    DecisionEngine engine = ExplorationTest.engine(ExplorationTest.oneOutcomeEverywhere());
    assertThat(engine.decide(quiet.context()).actions())
        .as("outreach when the store answers")
        .anyMatch(RecommendedAction::outbound);

    DecisionEngine.Decided decided = engine.decide(quiet.context(), "d-replay-3", true);
    Decision d = decided.decision();
    assertThat(d.actions()).noneMatch(RecommendedAction::outbound);
    assertThat(d.suppressed())
        .anySatisfy(
            s ->
                assertThat(s.by())
                    .anySatisfy(
                        by -> assertThat(by.rule()).isEqualTo(DecisionEngine.DEGRADED_HOLD)));
    assertThat(decided.inputs().degraded()).isTrue();

    Decision replayed = engine.replay(decided.inputs(), ExplorationTest.EXPLORING, d.decisionId());
    assertThat(comparable(replayed)).isEqualTo(comparable(d));
    assertThat(replayed.suppressed().stream().map(SuppressedAction::actionId))
        .containsExactlyElementsOf(
            d.suppressed().stream().map(SuppressedAction::actionId).toList());
  }
}
