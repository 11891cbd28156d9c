package io.nextbest.engine.learning;

import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a candidate policy would have earned on logged decisions, by inverse propensity scoring:
 * each logged decision whose top action the candidate would also rank first counts its reward
 * divided by the chance the logging policy chose that action ({@link
 * io.nextbest.engine.model.Exploration}); the others count 0. Unbiased when the logged chances are
 * right and the candidate only chooses what the logging policy could have; its variance says how
 * far to trust it.
 */
public final class OffPolicyEvaluation {
  private OffPolicyEvaluation() {}

  /**
   * One logged decision.
   *
   * @param actionId the action the logging policy ranked first
   * @param probability the chance it did so, in (0, 1]
   * @param reward what it earned (1 taken, 0 not; any number works)
   */
  public record Logged(
      CustomerContext context, String actionId, double probability, double reward) {
    public Logged {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(actionId, "actionId");
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "a logged probability must be in (0, 1], was " + probability);
      }
    }
  }

  /**
   * @param matched logged decisions whose top action the candidate also ranks first
   * @param value the IPS estimate of the candidate's mean reward per decision
   * @param variance the variance of {@code value} (the sample variance of the weighted rewards over
   *     n)
   * @param low {@code value} minus 1.96 standard errors
   * @param high {@code value} plus 1.96 standard errors
   * @param selfNormalised the weighted rewards over the sum of the weights (SNIPS: a little biased,
   *     less variable)
   */
  public record Estimate(
      int decisions,
      int matched,
      double value,
      double variance,
      double low,
      double high,
      Double selfNormalised) {}

  public static Estimate ips(List<Logged> logs, Function<CustomerContext, Decision> candidate) {
    return ipsOfTop(
        logs,
        l -> candidate.apply(l.context()).top().map(RecommendedAction::actionId).orElse(null));
  }

  /**
   * As {@link #ips}, given the action the candidate ranks first for each logged decision (null: it
   * recommends nothing), for a candidate that needs more than the context (the propensities the
   * decision was made with, as the audit trail keeps them).
   */
  public static Estimate ipsOfTop(List<Logged> logs, Function<Logged, String> candidateTop) {
    int n = logs.size();
    if (n == 0) {
      throw new IllegalArgumentException("no logged decisions to evaluate on");
    }
    double[] terms = new double[n];
    double weights = 0;
    int matched = 0;
    for (int i = 0; i < n; i++) {
      Logged l = logs.get(i);
      String top = candidateTop.apply(l);
      if (l.actionId().equals(top)) {
        matched++;
        double w = 1 / l.probability();
        weights += w;
        terms[i] = w * l.reward();
      }
    }
    double mean = 0;
    for (double t : terms) {
      mean += t;
    }
    mean /= n;
    double ss = 0;
    for (double t : terms) {
      ss += (t - mean) * (t - mean);
    }
    double variance = n < 2 ? Double.NaN : ss / (n - 1) / n;
    double se = Math.sqrt(variance);
    return new Estimate(
        n,
        matched,
        mean,
        variance,
        mean - 1.96 * se,
        mean + 1.96 * se,
        weights == 0 ? null : mean * n / weights);
  }
}
