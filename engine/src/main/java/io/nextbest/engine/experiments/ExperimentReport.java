package io.nextbest.engine.experiments;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * What an experiment shows so far: per arm the customers, decisions and customers who succeeded
 * (and, with a success by absence, those still pending), and the uplift of the treated arm's
 * success rate over the control arm's with its 95% confidence interval (normal approximation,
 * unpooled standard error) and a two-sided z-test of no difference (pooled).
 */
public record ExperimentReport(Experiment experiment, List<Arm> arms, Uplift uplift) {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** The significance level the test is read at. */
  public static final double ALPHA = 0.05;

  /**
   * @param successes customers who succeeded: by accepting, by a named event, or (with {@code
   *     successWithout}) by its events not happening in the days since their first decision
   * @param pending with {@code successWithout}: customers whose days are not over, who have not
   *     succeeded otherwise nor had one of its events; left out of the rate and the uplift until
   *     then (null without it)
   * @param rate successes over the customers decided (all but the pending)
   */
  public record Arm(
      String arm, long customers, long decisions, long successes, Long pending, double rate) {}

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
    return of(e, control, treated, null, null);
  }

  /**
   * With {@code successWithout}: the arms' {@link ExperimentStore.Absences} (null without it). The
   * retained customers count as successes; the pending ones are left out of the rate and the
   * uplift.
   */
  public static ExperimentReport of(
      Experiment e,
      ExperimentStore.ArmCounts control,
      ExperimentStore.ArmCounts treated,
      ExperimentStore.Absences controlAbsences,
      ExperimentStore.Absences treatedAbsences) {
    List<String> names = e.arms();
    Arm c = arm(names.get(0), control, controlAbsences);
    Arm t = arm(names.get(1), treated, treatedAbsences);
    return new ExperimentReport(
        e, List.of(c, t), uplift(decided(c), c.successes(), decided(t), t.successes()));
  }

  private static long decided(Arm a) {
    return a.customers() - (a.pending() == null ? 0 : a.pending());
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

  private static Arm arm(
      String name, ExperimentStore.ArmCounts n, ExperimentStore.Absences absences) {
    long successes = n.successes() + (absences == null ? 0 : absences.retained());
    Long pending = absences == null ? null : absences.pending();
    long decided = n.customers() - (pending == null ? 0 : pending);
    return new Arm(
        name,
        n.customers(),
        n.decisions(),
        successes,
        pending,
        decided <= 0 ? 0 : round((double) successes / decided));
  }

  private static double round(double d) {
    return Math.round(d * 1_000_000) / 1_000_000.0;
  }
}
