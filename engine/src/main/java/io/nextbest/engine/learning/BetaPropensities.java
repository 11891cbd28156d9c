package io.nextbest.engine.learning;

import io.nextbest.engine.PropensityModel;
import io.nextbest.engine.PropensityQuery;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Propensity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Propensities learned online per treatment (an action on a channel) and segment (G13), with a
 * fallback chain: the catalogue's prior, worth {@code priorStrength} pseudo-outcomes, is updated by
 * the action's outcomes on its other channels, and that by the treatment's own:
 *
 * <pre>
 *   p_action    = (p·N0 + s_action − s_treatment) / (N0 + n_action − n_treatment)
 *   treatment ~ Beta(p_action·N0 + s_treatment, (1 − p_action)·N0 + f_treatment)
 * </pre>
 *
 * <p>Exploring (Thompson sampling) draws from that posterior; the query says how far the draw may
 * stray from the mean (0: the mean, 1: the draw itself), times the cold-start boost while the
 * treatment has few outcomes. Every draw is seeded from the query's seed (the customer and the
 * situation) and the counts it read, so the same query on the same counts gives the same value on
 * every node and after every restart; the estimate records the seed, the counts, the mean and the
 * draw.
 *
 * <p>Thread-safe. The counts here are a local copy: {@link #observe} applies this node's feedback
 * at once and {@link #replaceAll} takes the store's totals (other nodes' feedback) when refreshed.
 */
public final class BetaPropensities implements PropensityModel {
  /** How many outcomes the catalogue prior is worth. */
  public static final double DEFAULT_PRIOR_STRENGTH = 20;

  private final double priorStrength;
  private final Map<OutcomeKey, Counts> counts = new ConcurrentHashMap<>();

  private BetaPropensities(double priorStrength) {
    if (!(priorStrength > 0)) {
      throw new IllegalArgumentException("prior strength must be positive, was " + priorStrength);
    }
    this.priorStrength = priorStrength;
  }

  /**
   * A model whose prior is worth {@code priorStrength} outcomes; how much it explores is each
   * query's.
   */
  public static BetaPropensities withPriorStrength(double priorStrength) {
    return new BetaPropensities(priorStrength);
  }

  @Override
  public Propensity estimate(PropensityQuery q) {
    OutcomeKey treatment = new OutcomeKey(q.action().id(), q.segment(), q.channel());
    Counts t = counts.getOrDefault(treatment, Counts.NONE);
    Counts a = counts.getOrDefault(treatment.action(), Counts.NONE);
    double prior = q.action().propensity();
    // The action's count includes the treatment's own outcomes (both are counted); old data has the
    // action's only, so never go below zero.
    long otherS = Math.max(0, a.successes() - t.successes());
    long otherF = Math.max(0, a.failures() - t.failures());
    double pAction = (prior * priorStrength + otherS) / (priorStrength + otherS + otherF);
    double alpha = pAction * priorStrength + t.successes();
    double beta = (1 - pAction) * priorStrength + t.failures();
    double mean = alpha / (alpha + beta);

    String level = t.total() > 0 ? "treatment" : a.total() > 0 ? "action" : "catalogue";
    Counts at = t.total() > 0 ? t : a;
    double amount = q.exploration();
    if (amount > 0 && t.total() < q.coldStart().outcomes()) {
      amount *= q.coldStart().boost();
    }
    if (amount == 0) {
      String source = level.equals("catalogue") ? "prior" : "learned";
      return new Propensity(
          round(mean),
          source,
          at.total(),
          level,
          q.segment(),
          prior,
          at.successes(),
          at.failures(),
          round(mean),
          0.0,
          null,
          null);
    }
    long seed =
        SeededDraws.hash(
            q.seed(),
            treatment.encoded(),
            t.successes(),
            t.failures(),
            a.successes(),
            a.failures());
    double draw = BetaSampler.beta(new SeededDraws(seed), alpha, beta);
    double value = mean + amount * (draw - mean);
    // Keep it strictly inside (0, 1): the arbiter multiplies by it and a zero would hide the
    // action.
    value = Math.min(0.9999, Math.max(0.0001, value));
    return new Propensity(
        round(value),
        "sampled",
        at.total(),
        level,
        q.segment(),
        prior,
        at.successes(),
        at.failures(),
        round(mean),
        round(amount),
        round(draw),
        String.format("%016x", seed));
  }

  /** The posterior mean of a treatment (no exploring), for reports and feedback answers. */
  public Propensity mean(CatalogueAction action, Channel channel, String segment) {
    return estimate(
        new PropensityQuery(
            action, channel, segment, 0, 0, io.nextbest.engine.LearningPolicy.DEFAULT.coldStart()));
  }

  /** Counts one outcome this node recorded, for the treatment and for its action. */
  public void observe(OutcomeKey key, boolean success) {
    counts.merge(key, Counts.NONE.plus(success), BetaPropensities::sum);
    if (key.channel() != null) {
      counts.merge(key.action(), Counts.NONE.plus(success), BetaPropensities::sum);
    }
  }

  /** Takes the store's totals, which include every node's outcomes. */
  public void replaceAll(Map<OutcomeKey, Counts> totals) {
    counts.putAll(totals);
    counts.keySet().retainAll(totals.keySet());
  }

  public Counts counts(OutcomeKey key) {
    return counts.getOrDefault(key, Counts.NONE);
  }

  private static Counts sum(Counts x, Counts y) {
    return new Counts(x.successes() + y.successes(), x.failures() + y.failures());
  }

  private static double round(double d) {
    return Math.round(d * 10_000) / 10_000.0;
  }
}
