package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.experiments.Arms;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.learning.OffPolicyEvaluation;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inverse propensity scoring recovers a candidate's earnings from an exploring policy's log (G13).
 */
class OffPolicyEvaluationTest {
  /**
   * The simulated customer's answer: taken with a chance that depends on the action, fixed per
   * customer and action.
   */
  static double reward(String customerId, String actionId) {
    double rate = 0.1 + 0.6 * Arms.bucket(actionId, "true-rate");
    return Arms.bucket(customerId, "reward:" + actionId) < rate ? 1 : 0;
  }

  @Test
  void theEstimate_coversTheCandidatesTrueEarnings() {
    BetaPropensities model =
        BetaPropensities.withPriorStrength(BetaPropensities.DEFAULT_PRIOR_STRENGTH);
    model.replaceAll(ExplorationTest.oneOutcomeEverywhere());
    DecisionEngine logging =
        DecisionEngine.builder().ruleSet(ExplorationTest.EXPLORING).propensities(model).build();
    // The candidate: the bundled rules on catalogue priors, no exploring.
    DecisionEngine candidate = BundledRuleSet.ENGINE;

    List<OffPolicyEvaluation.Logged> log = new ArrayList<>();
    double truth = 0;
    int n = 1500;
    for (int i = 0; i < n; i++) {
      CustomerContext ctx = Given.satisfiedQuietCustomer("ope-" + i).context();
      Decision d = logging.decide(ctx);
      RecommendedAction top = d.top().orElseThrow();
      assertThat(d.exploration())
          .as("an exploring decision logs its top choice's chance")
          .isNotNull();
      assertThat(d.exploration().topChoiceProbability()).isBetween(1.0 / 64, 1.0);
      log.add(
          new OffPolicyEvaluation.Logged(
              ctx,
              top.actionId(),
              d.exploration().topChoiceProbability(),
              reward(ctx.customerId(), top.actionId())));
      truth += reward(ctx.customerId(), candidate.decide(ctx).top().orElseThrow().actionId());
    }
    truth /= n;

    OffPolicyEvaluation.Estimate e = OffPolicyEvaluation.ips(log, candidate::decide);
    assertThat(e.matched()).as("the logging policy explored the candidate's choice").isPositive();
    double se = Math.sqrt(e.variance());
    assertThat(truth)
        .as("IPS %s +- %s", e.value(), se)
        .isBetween(e.value() - 4 * se, e.value() + 4 * se);
    assertThat(e.low()).isLessThan(e.value());
  }
}
