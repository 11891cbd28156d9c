package io.nextbest.engine.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BetaPropensitiesTest {
  static final Segment Q4 = new Segment(Quadrant.Q4, "Relationship Champion", Level.HIGH, Level.HIGH);
  static final Segment Q1 = new Segment(Quadrant.Q1, "Transactional", Level.LOW, Level.LOW);

  static CatalogueAction action(String id, double prior) {
    return new CatalogueAction(id, id, ActionFamily.values()[0], List.of(Channel.EMAIL), 10, prior, false, false, false, null, false, null);
  }

  @Test
  void noOutcomes_isTheCatalogPrior() {
    BetaPropensities p = BetaPropensities.posteriorMean(20);
    assertThat(p.estimate(action("a", 0.3), Q4)).isEqualTo(Propensity.prior(0.3));
  }

  @Test
  void outcomes_moveThePosteriorMean_perQuadrant() {
    BetaPropensities p = BetaPropensities.posteriorMean(20);
    CatalogueAction a = action("a", 0.3);
    for (int i = 0; i < 10; i++) {
      p.observe(new OutcomeKey("a", Quadrant.Q4), true);
    }
    // Beta(0.3*20 + 10, 0.7*20 + 0): mean 16/30.
    assertThat(p.estimate(a, Q4)).isEqualTo(new Propensity(0.5333, "learned", 10));
    assertThat(p.estimate(a, Q1)).as("another quadrant learns on its own").isEqualTo(Propensity.prior(0.3));
    p.observe(new OutcomeKey("a", Quadrant.Q4), false);
    assertThat(p.estimate(a, Q4).value()).isEqualTo(Math.round(16.0 / 31 * 10_000) / 10_000.0);
  }

  @Test
  void thompson_sameSeed_sameDraws() {
    List<Double> first = draws(new Random(7));
    assertThat(draws(new Random(7))).isEqualTo(first);
    assertThat(draws(new Random(8))).isNotEqualTo(first);
  }

  private static List<Double> draws(Random rng) {
    BetaPropensities p = BetaPropensities.thompson(20, rng);
    p.replaceAll(Map.of(new OutcomeKey("a", Quadrant.Q4), new Counts(3, 5)));
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      out.add(p.estimate(action("a", 0.3), Q4).value());
    }
    return out;
  }

  @Test
  void thompson_drawsAverageThePosteriorMean() {
    BetaPropensities p = BetaPropensities.thompson(20, new Random(1));
    p.replaceAll(Map.of(new OutcomeKey("a", Quadrant.Q4), new Counts(30, 10)));
    double sum = 0;
    for (int i = 0; i < 4000; i++) {
      sum += p.estimate(action("a", 0.5), Q4).value();
    }
    assertThat(sum / 4000).isCloseTo(40.0 / 60, org.assertj.core.api.Assertions.within(0.01));
  }

  @Test
  void coldStart_aNewActionStillWinsSometimes_onceTheQuadrantLearns() {
    BetaPropensities p = BetaPropensities.thompson(20, new Random(42));
    CatalogueAction learned = action("old", 0.30);
    CatalogueAction fresh = action("new", 0.25);
    // Before any outcome in the quadrant: priors, reproducible, the new action always loses.
    assertThat(p.estimate(fresh, Q4)).isEqualTo(Propensity.prior(0.25));
    p.replaceAll(Map.of(new OutcomeKey("old", Quadrant.Q4), new Counts(60, 140)));
    int freshWins = 0;
    for (int i = 0; i < 1000; i++) {
      Propensity f = p.estimate(fresh, Q4);
      assertThat(f.source()).isEqualTo("prior");
      assertThat(f.outcomes()).isZero();
      if (f.value() > p.estimate(learned, Q4).value()) {
        freshWins++;
      }
    }
    assertThat(freshWins).as("explored, not starved").isBetween(100, 600);
  }
}
