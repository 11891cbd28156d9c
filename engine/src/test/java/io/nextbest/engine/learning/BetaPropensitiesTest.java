package io.nextbest.engine.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.engine.LearningPolicy;
import io.nextbest.engine.PropensityQuery;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BetaPropensitiesTest {
  static final LearningPolicy.ColdStart NO_BOOST = new LearningPolicy.ColdStart(0, 1.0);

  static CatalogueAction action(String id, double prior) {
    return new CatalogueAction(
        id,
        id,
        ActionFamily.values()[0],
        List.of(Channel.EMAIL, Channel.SMS),
        10,
        prior,
        false,
        false,
        false,
        null,
        false,
        null);
  }

  static PropensityQuery query(
      CatalogueAction a, Channel ch, Quadrant q, double explore, long seed) {
    return new PropensityQuery(a, ch, q.name(), explore, seed, NO_BOOST);
  }

  @Test
  void noOutcomes_noExploring_isTheCatalogPrior() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    Propensity e = p.estimate(query(action("a", 0.3), Channel.EMAIL, Quadrant.Q4, 0, 1));
    assertThat(e.value()).isEqualTo(0.3);
    assertThat(e.source()).isEqualTo("prior");
    assertThat(e.level()).isEqualTo("catalogue");
    assertThat(e.draw()).as("nothing drawn").isNull();
  }

  @Test
  void outcomes_moveThePosteriorMean_perTreatmentAndQuadrant() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    CatalogueAction a = action("a", 0.3);
    for (int i = 0; i < 10; i++) {
      p.observe(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), true);
    }
    // Beta(0.3*20 + 10, 0.7*20 + 0): mean 16/30.
    Propensity email = p.estimate(query(a, Channel.EMAIL, Quadrant.Q4, 0, 1));
    assertThat(email.value()).isEqualTo(0.5333);
    assertThat(email.source()).isEqualTo("learned");
    assertThat(email.level()).isEqualTo("treatment");
    assertThat(email.outcomes()).isEqualTo(10);
    assertThat(p.estimate(query(a, Channel.EMAIL, Quadrant.Q1, 0, 1)).source())
        .as("another quadrant learns on its own")
        .isEqualTo("prior");
    p.observe(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), false);
    assertThat(p.estimate(query(a, Channel.EMAIL, Quadrant.Q4, 0, 1)).value())
        .isEqualTo(Math.round(16.0 / 31 * 10_000) / 10_000.0);
  }

  @Test
  void aTreatmentWithoutOutcomes_fallsBackToTheActionsOtherChannels() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    CatalogueAction a = action("a", 0.3);
    for (int i = 0; i < 10; i++) {
      p.observe(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), true);
    }
    Propensity sms = p.estimate(query(a, Channel.SMS, Quadrant.Q4, 0, 1));
    assertThat(sms.level()).isEqualTo("action");
    assertThat(sms.outcomes()).isEqualTo(10);
    // The action's mean, 16/30, is the SMS treatment's prior, and it has nothing of its own.
    assertThat(sms.value()).isEqualTo(0.5333);
    assertThat(sms.prior()).as("the catalogue prior is still shown").isEqualTo(0.3);
  }

  @Test
  void aDeclaredSegment_fallsBackWithinItself_andOtherSegmentsLearnNothingFromIt() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    CatalogueAction a = action("a", 0.3);
    String gold = "Q4/loyaltyTier=GOLD";
    for (int i = 0; i < 10; i++) {
      p.observe(new OutcomeKey("a", gold, Channel.EMAIL), true);
    }
    PropensityQuery goldEmail = new PropensityQuery(a, Channel.EMAIL, gold, 0, 1, NO_BOOST);
    Propensity email = p.estimate(goldEmail);
    assertThat(email.level()).isEqualTo("treatment");
    assertThat(email.value()).isEqualTo(0.5333);
    assertThat(email.segment()).as("the explanation names the segment").isEqualTo(gold);
    Propensity sms = p.estimate(new PropensityQuery(a, Channel.SMS, gold, 0, 1, NO_BOOST));
    assertThat(sms.level()).as("treatment -> action, in the segment").isEqualTo("action");
    assertThat(sms.value()).isEqualTo(0.5333);
    for (String other : List.of("Q4/loyaltyTier=SILVER", "Q4", "*")) {
      Propensity e = p.estimate(new PropensityQuery(a, Channel.EMAIL, other, 0, 1, NO_BOOST));
      assertThat(e.level()).as(other).isEqualTo("catalogue");
      assertThat(e.value()).as(other).isEqualTo(0.3);
      assertThat(e.segment()).isEqualTo(other);
    }
  }

  @Test
  void countsStoredBeforeTreatments_areTheActionLevel() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    p.replaceAll(Map.of(OutcomeKey.decode("Q4|a"), new Counts(10, 0)));
    Propensity e = p.estimate(query(action("a", 0.3), Channel.EMAIL, Quadrant.Q4, 0, 1));
    assertThat(e.level()).isEqualTo("action");
    assertThat(e.value()).isEqualTo(0.5333);
  }

  @Test
  void sameQueryOnTheSameCounts_drawsTheSame_onAnyInstance() {
    Map<OutcomeKey, Counts> counts =
        Map.of(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), new Counts(3, 5));
    BetaPropensities nodeA = BetaPropensities.withPriorStrength(20);
    BetaPropensities nodeB = BetaPropensities.withPriorStrength(20);
    nodeA.replaceAll(counts);
    nodeB.replaceAll(counts);
    PropensityQuery q = query(action("a", 0.3), Channel.EMAIL, Quadrant.Q4, 1, 42);
    Propensity first = nodeA.estimate(q);
    assertThat(nodeA.estimate(q)).isEqualTo(first);
    assertThat(nodeB.estimate(q)).as("another node, or this one after a restart").isEqualTo(first);
    assertThat(first.source()).isEqualTo("sampled");
    assertThat(first.seed()).hasSize(16);
    assertThat(nodeA.estimate(query(action("a", 0.3), Channel.EMAIL, Quadrant.Q4, 1, 43)).value())
        .as("another customer draws on its own")
        .isNotEqualTo(first.value());
  }

  @Test
  void aDraw_changesOnceTheCountsItReadChange() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    p.replaceAll(Map.of(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), new Counts(3, 5)));
    PropensityQuery q = query(action("a", 0.3), Channel.EMAIL, Quadrant.Q4, 1, 42);
    Propensity before = p.estimate(q);
    p.observe(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), true);
    Propensity after = p.estimate(q);
    assertThat(after.seed()).isNotEqualTo(before.seed());
    assertThat(after.successes()).isEqualTo(4);
  }

  @Test
  void theValue_isTheMeanPlusTheExplorationShareOfTheDraw() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    p.replaceAll(Map.of(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), new Counts(30, 10)));
    Propensity half = p.estimate(query(action("a", 0.5), Channel.EMAIL, Quadrant.Q4, 0.5, 7));
    assertThat(half.exploration()).isEqualTo(0.5);
    assertThat(half.value())
        .isCloseTo(half.mean() + 0.5 * (half.draw() - half.mean()), within(0.0002));
  }

  @Test
  void drawsAverageThePosteriorMean_overCustomers() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    p.replaceAll(Map.of(new OutcomeKey("a", Quadrant.Q4, Channel.EMAIL), new Counts(30, 10)));
    double sum = 0;
    for (int seed = 0; seed < 4000; seed++) {
      sum += p.estimate(query(action("a", 0.5), Channel.EMAIL, Quadrant.Q4, 1, seed)).value();
    }
    assertThat(sum / 4000).isCloseTo(40.0 / 60, within(0.01));
  }

  @Test
  void coldStart_aNewActionExploresMore_andIsNeverLabelledThePrior() {
    BetaPropensities p = BetaPropensities.withPriorStrength(20);
    CatalogueAction learned = action("old", 0.30);
    CatalogueAction fresh = action("new", 0.25);
    p.replaceAll(Map.of(new OutcomeKey("old", Quadrant.Q4, Channel.EMAIL), new Counts(60, 140)));
    LearningPolicy.ColdStart boost = new LearningPolicy.ColdStart(20, 2.0);
    int freshWins = 0;
    Set<Double> values = new HashSet<>();
    for (int seed = 0; seed < 1000; seed++) {
      Propensity f = p.estimate(new PropensityQuery(fresh, Channel.EMAIL, "Q4", 0.5, seed, boost));
      assertThat(f.source()).isEqualTo("sampled");
      assertThat(f.level()).isEqualTo("catalogue");
      assertThat(f.exploration()).as("boosted while it has fewer than 20 outcomes").isEqualTo(1.0);
      values.add(f.value());
      if (f.value()
          > p.estimate(new PropensityQuery(learned, Channel.EMAIL, "Q4", 0.5, seed, boost))
              .value()) {
        freshWins++;
      }
    }
    assertThat(freshWins).as("explored, not starved").isBetween(100, 600);
    assertThat(values).hasSizeGreaterThan(500);
    assertThat(
            p.estimate(new PropensityQuery(learned, Channel.EMAIL, "Q4", 0.5, 1, boost))
                .exploration())
        .as("200 outcomes: no boost")
        .isEqualTo(0.5);
  }

  @Test
  void seededDraws_areFixedBySpecification() {
    // SplitMix64 from seed 0: the first outputs are published test vectors of the algorithm.
    SeededDraws r = new SeededDraws(0);
    List<Long> first = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      first.add(r.nextLong());
    }
    assertThat(first).containsExactly(0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L);
  }
}
