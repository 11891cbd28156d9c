package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six weeks of outreach on 300 customers: the bundled caps against caps of one a week, two a month.
 */
class JourneyTest {
  @TempDir static Path dir;
  static Report.JourneyReport journey;
  static Simulator.Finished run;

  @BeforeAll
  static void simulate() {
    SimulationSpec.Builder b =
        SimulationSpec.builder()
            .synthetic(300, SyntheticKnobs.DEFAULTS.withOutreachPerMonth(0.5))
            .journeyWeeks(6)
            .journey(JourneyModel.DEFAULTS.withDecisionsPerWeek(3))
            .seed(5)
            .threads(2)
            .reportDir(dir);
    for (String q : new String[] {"Q1", "Q2", "Q3", "Q4"}) {
      b.override("cap." + q + ".max7Days=1").override("cap." + q + ".max30Days=2");
    }
    run = Fixtures.run(b.build());
    journey = run.report().journey();
  }

  @Test
  void everyWeek_accountsForEveryCustomer_andMigrationEndsWhereTheLastWeekDoes() {
    assertThat(journey.weeks()).isEqualTo(6);
    for (Report.JourneySide s : journey.sides()) {
      assertThat(s.customers()).isEqualTo(300);
      assertThat(s.weeks())
          .hasSize(7)
          .allSatisfy(
              w ->
                  assertThat(w.quadrants().values().stream().mapToLong(Long::longValue).sum())
                      .isEqualTo(300));
      assertThat(s.migration().stream().mapToLong(Report.Move::customers).sum()).isEqualTo(300);
      for (String q : new String[] {"Q1", "Q2", "Q3", "Q4"}) {
        long ending =
            s.migration().stream()
                .filter(m -> m.to().equals(q))
                .mapToLong(Report.Move::customers)
                .sum();
        assertThat(ending).isEqualTo(s.weeks().get(6).quadrants().get(q));
      }
      assertThat(s.weeks().get(1).decisions()).isEqualTo(900);
    }
  }

  @Test
  void outreachIsSent_someIsAccepted_andValueAccrues() {
    for (Report.JourneySide s : journey.sides()) {
      assertThat(s.sent()).isPositive();
      assertThat(s.accepted()).isPositive().isLessThan(s.sent());
      assertThat(s.acceptedValue().signum()).isPositive();
      assertThat(s.acceptedByFamily()).isNotEmpty();
    }
  }

  @Test
  void caps_suppressOutreach_andTighterCapsSuppressMoreAndSendLess() {
    Report.JourneySide base = journey.sides().get(0);
    Report.JourneySide tight = journey.sides().get(1);
    assertThat(base.capSuppressedDecisions()).isPositive();
    assertThat(tight.capSuppressedDecisions()).isGreaterThan(base.capSuppressedDecisions());
    assertThat(tight.sent()).isLessThan(base.sent());
    assertThat(tight.capSuppressionsByRule())
        .containsKeys("WeeklyOutreachCap", "MonthlyOutreachCap");
  }

  @Test
  void journeyColumns_areInTheCustomerCsv() {
    String[] lines = Fixtures.read(run.result().csv()).split("\n");
    assertThat(lines[0])
        .contains("baseline_journey_end_quadrant")
        .contains("candidate_journey_accepted_value");
    assertThat(Arrays.stream(lines).skip(1)).allSatisfy(l -> assertThat(l).doesNotEndWith(",,,,,"));
  }
}
