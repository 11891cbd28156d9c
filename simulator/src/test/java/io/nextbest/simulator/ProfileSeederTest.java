package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.ProductHolding;
import org.junit.jupiter.api.Test;

class ProfileSeederTest {
  private static final DecisionEngine ENGINE =
      DecisionEngine.builder().ruleSet(Fixtures.compile(RuleSetSource.bundled())).build();

  @Test
  void seededState_givesBackTheProfileTheEngineReads() {
    SyntheticPopulation pop = new SyntheticPopulation(1000, SyntheticKnobs.DEFAULTS, 21);
    int sameQuadrant = 0;
    for (int i = 0; i < 200; i++) {
      CustomerContext original = pop.customer(i);
      CustomerProfile p = original.profile();
      ProfileState state = new ProfileState(original.customerId());
      ProfileSeeder.seed(state, p, original.asOf());
      CustomerProfile s = state.snapshot(original.asOf());
      assertThat(s.products())
          .extracting(ProductHolding::product)
          .containsExactlyInAnyOrderElementsOf(
              p.products().stream().map(ProductHolding::product).toList());
      assertThat(s.purchases90d()).isGreaterThanOrEqualTo(p.purchases90d());
      assertThat(s.tenureMonths()).isEqualTo(p.tenureMonths());
      assertThat(s.loyalty().member()).isEqualTo(p.loyalty().member());
      assertThat(s.loyalty().points()).isEqualTo(p.loyalty().points());
      assertThat(s.consent()).isEqualTo(p.consent());
      assertThat(s.preferredChannel()).isEqualTo(p.preferredChannel());
      assertThat(s.annualValue()).isEqualTo(p.annualValue());
      assertThat(s.outreach()).hasSameSizeAs(p.outreach());
      assertThat(s.csat()).hasSameSizeAs(p.csat());
      assertThat(s.complaints()).hasSameSizeAs(p.complaints());
      assertThat(s.referrals12m()).isEqualTo(p.referrals12m());
      assertThat(s.community().posts90d()).isEqualTo(p.community().posts90d());
      // A replayed failure is also a touch on its channel; the seeder counts it within the
      // channel's usage.
      assertThat(interactions(s))
          .isBetween(interactions(p), interactions(p) + p.failedInteractions().size());
      CustomerContext seeded =
          new CustomerContext(original.customerId(), original.asOf(), s, null, null);
      Decision a =
          ENGINE.decide(new CustomerContext(original.customerId(), original.asOf(), p, null, null));
      Decision b = ENGINE.decide(seeded);
      if (a.segment().quadrant() == b.segment().quadrant()) {
        sameQuadrant++;
      }
    }
    assertThat(sameQuadrant).isGreaterThanOrEqualTo(190);
  }

  private static int interactions(CustomerProfile p) {
    return p.channels().stream()
        .mapToInt(u -> u.interactions90d() == null ? 0 : u.interactions90d())
        .sum();
  }
}
