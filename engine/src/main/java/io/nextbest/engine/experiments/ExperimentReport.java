package io.nextbest.engine.experiments;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * What an experiment shows so far: per arm the customers, decisions and customers who succeeded,
 * and the uplift of the treated arm's success rate over the control arm's with its 95% confidence
 * interval (normal approximation, unpooled standard error) and a two-sided z-test of no difference
 * (pooled).
 */
public record ExperimentReport(Experiment experiment, List<Arm> arms, Uplift uplift) {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** The significance level the test is read at. */
  public static final double ALPHA = 0.05;

  public record Arm(String arm, long customers, long decisions, long successes, double rate) {}

  /**
   * @param absolute treated rate minus control rate
   * @param relative {@code absolute} over the control rate (null when the control rate is 0)
   * @param low lower bound of the 95% interval of {@code absolute}
   * @param high upper bound
   * @param z the z statistic; {@code pValue} its two-sided tail
   * @param significant whether {@code pValue} is below {@link #ALPHA}
   */
  public record Uplift(
      double absolute,
      Double relative,
      double low,
      double high,
      double z,
      double pValue,
      boolean significant) {}

  public static ExperimentReport of(
      Experiment e, ExperimentStore.ArmCounts control, ExperimentStore.ArmCounts treated) {
    List<String> names = e.arms();
    Arm c = arm(names.get(0), control);
    Arm t = arm(names.get(1), treated);
    return new ExperimentReport(
        e,
        List.of(c, t),
        uplift(control.customers(), control.successes(), treated.customers(), treated.successes()));
  }

  /** Null until both arms have a customer. */
  static Uplift uplift(long nc, long sc, long nt, long st) {
    if (nc == 0 || nt == 0) {
      return null;
    }
    double pc = (double) sc / nc;
    double pt = (double) st / nt;
    double diff = pt - pc;
    double se = Math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
    double zCrit = NORMAL.inverseCumulativeProbability(1 - ALPHA / 2);
    double pooled = (double) (sc + st) / (nc + nt);
    double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / nc + 1.0 / nt));
    double z = sePooled == 0 ? 0 : diff / sePooled;
    double p = sePooled == 0 ? 1 : 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z)));
    return new Uplift(
        round(diff),
        pc == 0 ? null : round(diff / pc),
        round(diff - zCrit * se),
        round(diff + zCrit * se),
        round(z),
        round(p),
        p < ALPHA);
  }

  private static Arm arm(String name, ExperimentStore.ArmCounts n) {
    return new Arm(
        name,
        n.customers(),
        n.decisions(),
        n.successes(),
        n.customers() == 0 ? 0 : round((double) n.successes() / n.customers()));
  }

  private static double round(double d) {
    return Math.round(d * 1_000_000) / 1_000_000.0;
  }
}
