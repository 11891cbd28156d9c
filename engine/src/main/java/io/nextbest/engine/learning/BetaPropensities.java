package io.nextbest.engine.learning;

import io.nextbest.engine.PropensityModel;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Segment;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Propensities learned online per action and quadrant (G13): a Beta posterior that starts at the
 * catalogue's prior worth {@code priorStrength} pseudo-outcomes, Beta(p·N0 + successes,
 * (1 − p)·N0 + failures).
 *
 * <p>With Thompson sampling each decision draws from the posterior, so an action with few outcomes
 * (a new one) still wins now and then and is not starved. Sampling starts in a quadrant only once it
 * has any outcome: until then every action sits on its prior, and decisions stay reproducible (the
 * catalogue's prior ranking is all there is to go on). Without sampling, the posterior mean is used.
 * Explanations say "prior" (no outcome yet) or "learned" and how many outcomes.
 *
 * <p>Thread-safe. The counts here are a local copy: {@link #observe} applies this node's feedback at
 * once and {@link #replaceAll} takes the store's totals (other nodes' feedback) when refreshed.
 */
public final class BetaPropensities implements PropensityModel {
  /** How many outcomes the catalogue prior is worth. */
  public static final double DEFAULT_PRIOR_STRENGTH = 20;

  private final double priorStrength;
  private final RandomGenerator rng;
  private final Map<OutcomeKey, Counts> counts = new ConcurrentHashMap<>();
  private final Map<Quadrant, Long> perQuadrant = new ConcurrentHashMap<>();

  private BetaPropensities(double priorStrength, RandomGenerator rng) {
    if (!(priorStrength > 0)) {
      throw new IllegalArgumentException("prior strength must be positive, was " + priorStrength);
    }
    this.priorStrength = priorStrength;
    this.rng = rng;
  }

  /** Thompson sampling with {@code rng} (a seeded {@link java.util.Random} makes draws repeatable; it must be thread-safe). */
  public static BetaPropensities thompson(double priorStrength, RandomGenerator rng) {
    return new BetaPropensities(priorStrength, Objects.requireNonNull(rng, "rng"));
  }

  /** The posterior mean, no exploration. */
  public static BetaPropensities posteriorMean(double priorStrength) {
    return new BetaPropensities(priorStrength, null);
  }

  @Override
  public Propensity estimate(CatalogueAction action, Segment segment) {
    OutcomeKey key = new OutcomeKey(action.id(), segment.quadrant());
    Counts c = counts.getOrDefault(key, Counts.NONE);
    double prior = action.propensity();
    if (c.total() == 0 && (rng == null || quadrantOutcomes(segment.quadrant()) == 0)) {
      return Propensity.prior(prior);
    }
    double a = prior * priorStrength + c.successes();
    double b = (1 - prior) * priorStrength + c.failures();
    double value = rng == null ? a / (a + b) : BetaSampler.beta(rng, a, b);
    // Keep it strictly inside (0, 1): the arbiter multiplies by it and a zero would hide the action.
    value = Math.min(0.9999, Math.max(0.0001, value));
    return new Propensity(Math.round(value * 10_000) / 10_000.0, c.total() == 0 ? "prior" : "learned", c.total());
  }

  /** The posterior mean for an action in a quadrant, for reports (no sampling). */
  public Propensity mean(CatalogueAction action, Quadrant quadrant) {
    Counts c = counts.getOrDefault(new OutcomeKey(action.id(), quadrant), Counts.NONE);
    double a = action.propensity() * priorStrength + c.successes();
    double b = (1 - action.propensity()) * priorStrength + c.failures();
    return new Propensity(Math.round(a / (a + b) * 10_000) / 10_000.0, c.total() == 0 ? "prior" : "learned", c.total());
  }

  /** Counts one outcome this node recorded. */
  public void observe(OutcomeKey key, boolean success) {
    counts.merge(key, Counts.NONE.plus(success), (x, y) -> new Counts(x.successes() + y.successes(), x.failures() + y.failures()));
    perQuadrant.merge(key.quadrant(), 1L, Long::sum);
  }

  /** Takes the store's totals, which include every node's outcomes. */
  public void replaceAll(Map<OutcomeKey, Counts> totals) {
    Map<Quadrant, Long> q = new EnumMap<>(Quadrant.class);
    totals.forEach((k, c) -> q.merge(k.quadrant(), c.total(), Long::sum));
    counts.putAll(totals);
    counts.keySet().retainAll(totals.keySet());
    perQuadrant.putAll(q);
    perQuadrant.keySet().retainAll(q.keySet());
  }

  public Counts counts(OutcomeKey key) {
    return counts.getOrDefault(key, Counts.NONE);
  }

  private long quadrantOutcomes(Quadrant q) {
    return perQuadrant.getOrDefault(q, 0L);
  }
}
