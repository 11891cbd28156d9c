package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.Quadrant;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telco population under a higher experience threshold: the what-if analysts would ask first.
 */
class WhatIfTest {
  @TempDir static Path dir;
  static Simulator.Finished run;

  @BeforeAll
  static void simulate() {
    run =
        Fixtures.run(
            SimulationSpec.builder()
                .mapped("telco-churn", "telco-churn")
                .override("experience.threshold=70")
                .threads(2)
                .reportDir(dir)
                .build());
  }

  private static Map<String, Long> moves() {
    return run.report().comparison().quadrantMoves().stream()
        .collect(Collectors.toMap(m -> m.from() + ">" + m.to(), Report.Move::customers));
  }

  @Test
  void allTelcoCustomersAreDecidedOnBothSides() {
    assertThat(run.result().customers()).isEqualTo(7043);
    assertThat(run.result().badRows()).isZero();
    assertThat(run.report().sides())
        .extracting(Report.Side::decisions)
        .containsExactly(7043L, 7043L);
    assertThat(run.result().candidateVersion()).startsWith("bundled+experience.threshold=70@");
  }

  @Test
  void higherExperienceThreshold_movesCustomersFromHighToLowExperienceOnly() {
    Map<String, Long> m = moves();
    assertThat(m.get("Q2>Q1") + m.get("Q4>Q3")).isPositive();
    assertThat(run.result().quadrantChanged()).isEqualTo(m.get("Q2>Q1") + m.get("Q4>Q3"));
    for (String never :
        new String[] {
          "Q1>Q2", "Q3>Q4", "Q1>Q3", "Q3>Q1", "Q2>Q4", "Q4>Q2", "Q1>Q4", "Q4>Q1", "Q2>Q3", "Q3>Q2"
        }) {
      assertThat(m.get(never)).as(never).isZero();
    }
    Report.Side base = run.report().sides().get(0);
    Report.Side cand = run.report().sides().get(1);
    assertThat(cand.quadrants().get("Q1")).isGreaterThan(base.quadrants().get("Q1"));
    assertThat(cand.quadrants().get("Q2")).isLessThan(base.quadrants().get("Q2"));
  }

  @Test
  void aMovedCustomer_isLinkedToTheTableRowsThatMovedIt() {
    Report.Changed moved =
        run.report().changedSample().stream()
            .filter(c -> c.baseline().segment().quadrant() != c.candidate().segment().quadrant())
            .findFirst()
            .orElseThrow();

    assertThat(moved.rows())
        .anySatisfy(
            r -> {
              assertThat(r.decision()).isEqualTo("Experience Level");
              assertThat(r.activeRows()).isNotEqualTo(r.candidateRows());
            });
    assertThat(moved.rows())
        .flatExtracting(io.nextbest.engine.registry.DecisionPreview.RowCause::changed)
        .anySatisfy(c -> assertThat(c).contains("threshold moved from 60 to 70"));
  }

  @Test
  void movedCustomers_changeTheirTopAction_andAppearInTheSideBySideSample() {
    assertThat(run.result().topActionChanged()).isPositive();
    assertThat(run.report().changedSample())
        .hasSize(20)
        .allSatisfy(
            c -> {
              boolean quadrant =
                  c.baseline().segment().quadrant() != c.candidate().segment().quadrant();
              boolean top = !Tally.top(c.baseline()).equals(Tally.top(c.candidate()));
              assertThat(quadrant || top).isTrue();
              assertThat(c.baseline().decisionId()).startsWith("b-");
              assertThat(c.candidate().decisionId()).startsWith("c-");
            });
  }

  @Test
  void churn_isReportedByQuadrantAndByRiskFlag_forBothSides() {
    for (Report.Side side : run.report().sides()) {
      Report.Outcome o = side.outcome();
      assertThat(o.name()).isEqualTo("churn");
      assertThat(o.customers()).isEqualTo(7043);
      assertThat(o.positive()).isEqualTo(1869);
      assertThat(o.byQuadrant())
          .extracting(Report.Rate::key)
          .containsExactly("Q1", "Q2", "Q3", "Q4");
      assertThat(o.byQuadrant().stream().mapToLong(Report.Rate::customers).sum()).isEqualTo(7043);
      assertThat(o.byQuadrant().stream().mapToLong(Report.Rate::positive).sum()).isEqualTo(1869);
      assertThat(o.byRiskFlag())
          .isNotEmpty()
          .anySatisfy(r -> assertThat(r.key()).isEqualTo(Tally.NONE));
    }
    Report.Outcome base = run.report().sides().get(0).outcome();
    // The transactional quadrant churns more than the relationship champions: the guidance's
    // premise.
    assertThat(base.byQuadrant().get(Quadrant.Q1.ordinal()).rate())
        .isGreaterThan(base.byQuadrant().get(Quadrant.Q4.ordinal()).rate());
  }

  @Test
  void reports_areWritten_andTheCsvHasOneRowPerCustomer() {
    String csv = Fixtures.read(run.result().csv());
    String[] lines = csv.split("\n");
    assertThat(lines).hasSize(7044);
    assertThat(lines[0])
        .startsWith("customer_id,as_of,outcome,baseline_quadrant,")
        .contains("candidate_top_action")
        .contains("top_action_changed");
    assertThat(lines[1]).startsWith("7590-VHVEG,2025-01-06T10:00:00Z,false,");
    String html = Fixtures.read(run.result().html());
    assertThat(html)
        .contains("id=\"outcomes\"")
        .contains("id=\"change-matrix\"")
        .contains("id=\"changed-sample\"")
        .doesNotContain("http://cdn")
        .doesNotContain("<link");
  }
}
