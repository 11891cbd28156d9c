package io.nextbest.engine.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentReportTest {
  static final Experiment E =
      new Experiment(
          "exp-1",
          Experiment.Kind.CHALLENGER,
          0.5,
          "v1-a",
          2,
          "v2-b",
          List.of(),
          30,
          Experiment.Status.RUNNING,
          Instant.EPOCH,
          "ann",
          null,
          null);

  @Test
  void uplift_matchesTheHandComputedExample() {
    // Champion 100 of 1000 customers succeed (10%), challenger 130 of 1000 (13%).
    // Uplift 0.03; unpooled SE sqrt(.1*.9/1000 + .13*.87/1000) = 0.0142513, so the 95% interval is
    // 0.03 +- 1.959964 * 0.0142513 = [0.002068, 0.057932]; pooled rate 0.115 gives SE 0.0142671,
    // z = 2.102741 and a two-sided p of 0.035488: significant at 5%.
    ExperimentReport r =
        ExperimentReport.of(
            E,
            new ExperimentStore.ArmCounts(1000, 2400, 100),
            new ExperimentStore.ArmCounts(1000, 2300, 130));
    assertThat(r.arms())
        .extracting(ExperimentReport.Arm::arm)
        .containsExactly("champion", "challenger");
    assertThat(r.arms().get(0).rate()).isEqualTo(0.1);
    assertThat(r.arms().get(1).rate()).isEqualTo(0.13);
    assertThat(r.arms().get(1).decisions()).isEqualTo(2300);
    ExperimentReport.Uplift u = r.uplift();
    assertThat(u.absolute()).isCloseTo(0.03, within(1e-6));
    assertThat(u.relative()).isCloseTo(0.3, within(1e-6));
    assertThat(u.low()).isCloseTo(0.002068, within(2e-6));
    assertThat(u.high()).isCloseTo(0.057932, within(2e-6));
    assertThat(u.z()).isCloseTo(2.102741, within(2e-6));
    assertThat(u.pValue()).isCloseTo(0.035488, within(2e-6));
    assertThat(u.significant()).isTrue();
  }

  @Test
  void aSmallDifference_onFewCustomers_isNotSignificant() {
    ExperimentReport.Uplift u = ExperimentReport.uplift(100, 10, 100, 12);
    assertThat(u.low()).isNegative();
    assertThat(u.high()).isPositive();
    assertThat(u.significant()).isFalse();
  }

  @Test
  void noCustomersInAnArm_noUpliftYet() {
    assertThat(
            ExperimentReport.of(
                    E, ExperimentStore.ArmCounts.NONE, new ExperimentStore.ArmCounts(5, 5, 1))
                .uplift())
        .isNull();
  }

  /**
   * "No churn within 90 days": retained customers are successes, pending ones are left out of the
   * rate and the uplift until their days are over.
   */
  @Test
  void anAbsence_countsRetainedCustomers_andLeavesThePendingOut() {
    // Champion: 1000 customers, 20 accepted, 700 retained, 100 pending: 720 of 900 = 0.8.
    // Challenger: 1000 customers, 30 accepted, 740 retained, 150 pending: 770 of 850 = 0.905882.
    ExperimentReport r =
        ExperimentReport.of(
            E,
            new ExperimentStore.ArmCounts(1000, 2400, 20),
            new ExperimentStore.ArmCounts(1000, 2300, 30),
            new ExperimentStore.Absences(700, 100),
            new ExperimentStore.Absences(740, 150));
    ExperimentReport.Arm c = r.arms().get(0);
    ExperimentReport.Arm t = r.arms().get(1);
    assertThat(c.successes()).isEqualTo(720);
    assertThat(c.pending()).isEqualTo(100);
    assertThat(c.rate()).isEqualTo(0.8);
    assertThat(t.successes()).isEqualTo(770);
    assertThat(t.pending()).isEqualTo(150);
    assertThat(t.rate()).isEqualTo(0.905882);
    // The uplift is over the 900 and 850 decided customers.
    assertThat(r.uplift()).isEqualTo(ExperimentReport.uplift(900, 720, 850, 770));
    assertThat(r.uplift().absolute()).isCloseTo(0.105882, within(1e-6));
    assertThat(ExperimentReport.of(E, c(1000, 100), c(1000, 130)).arms().get(0).pending())
        .as("no absence declared: nothing is pending")
        .isNull();
  }

  static ExperimentStore.ArmCounts c(long customers, long successes) {
    return new ExperimentStore.ArmCounts(customers, customers, successes);
  }
}
