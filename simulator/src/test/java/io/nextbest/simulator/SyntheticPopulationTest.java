package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Quadrant;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticPopulationTest {
  private static final DecisionEngine ENGINE =
      DecisionEngine.builder().ruleSet(Fixtures.compile(RuleSetSource.bundled())).build();

  private static SyntheticPopulation population(SyntheticKnobs knobs, long seed) {
    return new SyntheticPopulation(1_000_000_000L, knobs, seed);
  }

  @Test
  void sameSeed_sameCustomers_inAnyOrder_anotherSeed_otherCustomers() {
    SyntheticPopulation a = population(SyntheticKnobs.DEFAULTS, 3);
    SyntheticPopulation b = population(SyntheticKnobs.DEFAULTS, 3);
    SyntheticPopulation c = population(SyntheticKnobs.DEFAULTS, 4);
    for (long i = 99; i >= 0; i--) {
      assertThat(a.customer(i)).isEqualTo(b.customer(i));
    }
    assertThat(a.customer(999_999_999L)).isEqualTo(b.customer(999_999_999L));
    assertThat(a.customer(5)).isNotEqualTo(c.customer(5));
    assertThat(a.customer(5).customerId()).isEqualTo("S00000006");
  }

  @Test
  void streams_withoutEnd_untilItsSize() throws Exception {
    SyntheticPopulation p = new SyntheticPopulation(3, SyntheticKnobs.DEFAULTS, 1);
    assertThat(p.next()).isNotNull();
    assertThat(p.next()).isNotNull();
    assertThat(p.progress()).isBetween(0.6, 0.7);
    assertThat(p.next().materialise().customerId()).isEqualTo("S00000003");
    assertThat(p.next()).isNull();
  }

  @Test
  void quadrantMix_steersWhereTheEngineClassifiesCustomers() {
    assertThat(
            share(
                SyntheticKnobs.DEFAULTS.withQuadrantMix(0, 0, 0, 1).withComplaintRate(0),
                Quadrant.Q4))
        .isGreaterThan(0.7);
    assertThat(share(SyntheticKnobs.DEFAULTS.withQuadrantMix(1, 0, 0, 0), Quadrant.Q1))
        .isGreaterThan(0.7);
    assertThat(
            share(
                SyntheticKnobs.DEFAULTS.withQuadrantMix(0, 1, 0, 0).withComplaintRate(0),
                Quadrant.Q2))
        .isGreaterThan(0.6);
  }

  private static double share(SyntheticKnobs knobs, Quadrant q) {
    SyntheticPopulation p = population(knobs, 1);
    int hits = 0;
    for (int i = 0; i < 200; i++) {
      if (ENGINE.decide(p.customer(i)).segment().quadrant() == q) {
        hits++;
      }
    }
    return hits / 200.0;
  }

  @Test
  void complaintRate_setsTheShareWithAnOpenComplaint() {
    assertThat(openComplaintShare(0)).isZero();
    assertThat(openComplaintShare(0.5)).isBetween(0.43, 0.57);
    assertThat(openComplaintShare(1)).isEqualTo(1.0);
  }

  private static double openComplaintShare(double rate) {
    SyntheticPopulation p = population(SyntheticKnobs.DEFAULTS.withComplaintRate(rate), 9);
    int open = 0;
    for (int i = 0; i < 1000; i++) {
      if (p.customer(i).profile().complaints().stream().anyMatch(Complaint::open)) {
        open++;
      }
    }
    return open / 1000.0;
  }

  @Test
  void channelMix_andOutreachHistory_followTheirKnobs() {
    SyntheticPopulation appOnly =
        population(
            SyntheticKnobs.DEFAULTS
                .withChannelMix(Map.of(Channel.APP, 1.0))
                .withOutreachPerMonth(0),
            2);
    SyntheticPopulation busy = population(SyntheticKnobs.DEFAULTS.withOutreachPerMonth(4), 2);
    double recent = 0;
    for (int i = 0; i < 500; i++) {
      CustomerContext c = appOnly.customer(i);
      assertThat(c.profile().preferredChannel()).isEqualTo(Channel.APP);
      assertThat(c.profile().outreach())
          .noneMatch(o -> o.at().isAfter(c.asOf().minus(Duration.ofDays(30))));
      CustomerContext b = busy.customer(i);
      recent +=
          b.profile().outreach().stream()
              .filter(o -> o.at().isAfter(b.asOf().minus(Duration.ofDays(30))))
              .count();
    }
    assertThat(recent / 500).isBetween(3.6, 4.4);
  }
}
