package io.nextbest.engine.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArmsTest {
  static final int N = 100_000;

  @Test
  void aCustomersArm_isSticky() {
    for (int i = 0; i < 1000; i++) {
      String c = "cust-" + i;
      assertThat(Arms.bucket(c, "exp-a")).isEqualTo(Arms.bucket(c, "exp-a"));
    }
  }

  @Test
  void theDeclaredShare_holdsWithinFourStandardDeviations_over100000Customers() {
    for (double share : new double[] {0.01, 0.1, 0.5}) {
      int in = 0;
      for (int i = 0; i < N; i++) {
        if (Arms.inShare("customer-" + i, "exp-share", share)) {
          in++;
        }
      }
      double sd = Math.sqrt(N * share * (1 - share));
      assertThat((double) in)
          .as("share %s", share)
          .isBetween(N * share - 4 * sd, N * share + 4 * sd);
    }
  }

  @Test
  void twoExperiments_assignIndependently() {
    // If the arms were correlated, the customers in both 20% shares would be far from 4%.
    int both = 0;
    for (int i = 0; i < N; i++) {
      String c = "customer-" + i;
      if (Arms.inShare(c, "exp-one", 0.2) && Arms.inShare(c, "exp-two", 0.2)) {
        both++;
      }
    }
    double p = 0.04;
    double sd = Math.sqrt(N * p * (1 - p));
    assertThat((double) both).isBetween(N * p - 4 * sd, N * p + 4 * sd);
  }
}
