package io.nextbest.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memo's form of the indices keeps what a rule base that never names their components can read:
 * values, coverage, health and flags; the components' scores and sentences are left out.
 */
class IndicesSituationTest {

  private static Indices indices(double experience, String evidence, List<Flag> risks) {
    Index exp =
        new Index(
            experience,
            0.45,
            List.of(new Component("satisfaction", 100.0, true, 0.45, 100.0, evidence)));
    Index eng = new Index(26.2, 0.3, List.of());
    return new Indices(exp, eng, 44.2, List.of(), risks);
  }

  private static final List<Flag> NEGATIVES =
      List.of(new Flag("NEGATIVES_ACCUMULATING", "2 negative moments", List.of("G4")));

  @Test
  void equalReadings_withDifferentEvidence_areOneSituation() {
    Indices a = indices(74.7, "mean CSAT 5.0/5 over 1 answers in 90 days", NEGATIVES);
    Indices b = indices(74.7, "mean CSAT 5.0/5 over 2 answers in 90 days", NEGATIVES);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.situation()).isEqualTo(b.situation());
    assertThat(a.situation().hashCode()).isEqualTo(b.situation().hashCode());
  }

  @Test
  void aDifferentValueOrFlag_isAnotherSituation() {
    Indices a = indices(74.7, "same", NEGATIVES);
    assertThat(a.situation()).isNotEqualTo(indices(74.8, "same", NEGATIVES).situation());
    assertThat(a.situation()).isNotEqualTo(indices(74.7, "same", List.of()).situation());
  }
}
