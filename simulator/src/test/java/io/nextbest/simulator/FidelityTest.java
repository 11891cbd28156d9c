package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FidelityTest {
  @Test
  void auc_isOneForAPerfectRanking_halfForNoInformation_andZeroWhenReversed() {
    assertThat(Fidelity.auc(new long[][] {{0, 5}, {5, 0}})).isEqualTo(1.0);
    assertThat(Fidelity.auc(new long[][] {{5, 5}})).isEqualTo(0.5);
    assertThat(Fidelity.auc(new long[][] {{5, 0}, {0, 5}})).isEqualTo(0.0);
  }

  @Test
  void auc_countsTiesAsHalf_likeTheMannWhitneyStatistic() {
    // positives at ranks {1, 2}, negatives at {2, 3}: 3 wins and one tie of 4 pairs.
    assertThat(Fidelity.auc(new long[][] {{0, 1}, {1, 1}, {1, 0}}))
        .isCloseTo(3.5 / 4, within(1e-12));
  }

  @Test
  void numbersAreBinnedToThreeSignificantDigits_textIsKept() {
    assertThat(Tally.key("1889.5")).isEqualTo("1890");
    assertThat(Tally.key(29.85)).isEqualTo("29.9");
    assertThat(Tally.key("Month-to-month")).isEqualTo("Month-to-month");
  }
}
