package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's acceptance, on the numbers the fidelity report computes for the shipped Telco data
 * with the bundled rule set: the segmentation has to predict churn, each index and each flag has to
 * point the right way, and health has to add something over either index alone. docs/fidelity.md
 * records the figures; when a change to the rules or the mapping moves them, this says which one
 * broke.
 */
class TelcoFidelityTest {
  @TempDir static Path dir;
  static Report.Outcome churn;

  @BeforeAll
  static void run() {
    Simulator.Finished done =
        Fixtures.run(
            SimulationSpec.builder()
                .mapped("telco-churn", "telco-churn")
                .reportDir(dir)
                .seed(1)
                .threads(2)
                .build());
    churn = done.report().sides().get(0).outcome();
  }

  static Map<String, Fidelity.Predictor> indices() {
    return churn.fidelity().indices().stream()
        .collect(Collectors.toMap(Fidelity.Predictor::name, p -> p));
  }

  @Test
  void engagementIndex_predictsChurn() {
    assertThat(indices().get("engagement").auc()).isGreaterThanOrEqualTo(0.62);
  }

  @Test
  void relationshipHealth_predictsAtLeastAsWellAsEitherIndex() {
    Map<String, Fidelity.Predictor> idx = indices();
    double better = Math.max(idx.get("experience").auc(), idx.get("engagement").auc());
    assertThat(idx.get("relationshipHealth").auc()).isGreaterThanOrEqualTo(better);
  }

  @Test
  void transactionalCustomers_churnAtLeastThreeTimesAsOftenAsChampions() {
    Report.Rate q1 = churn.byQuadrant().get(0);
    Report.Rate q4 = churn.byQuadrant().get(3);
    assertThat(q1.key()).isEqualTo("Q1");
    assertThat(q4.key()).isEqualTo("Q4");
    assertThat(q4.customers()).as("champions exist").isGreaterThan(100);
    assertThat(q1.rate()).isGreaterThanOrEqualTo(3 * q4.rate());
    assertThat(churn.fidelity().q1OverQ4()).isGreaterThanOrEqualTo(3.0);
  }

  @Test
  void everyRiskFlag_churnsAtLeastAFifthMoreThanTheUnflagged() {
    assertThat(churn.fidelity().riskFlags()).as("the flags the data can raise").isNotEmpty();
    assertThat(churn.fidelity().riskFlags())
        .allSatisfy(
            f -> assertThat(f.rate()).as(f.flag()).isGreaterThanOrEqualTo(1.2 * f.unflaggedRate()));
  }

  @Test
  void rawColumns_areReportedAsBaselines_withoutTheIdOrTheOutcome() {
    assertThat(churn.fidelity().columns())
        .extracting(Fidelity.Predictor::name)
        .contains("tenure", "Contract", "TotalCharges", "PaymentMethod")
        .doesNotContain("customerID", "Churn");
    Fidelity.Predictor tenure =
        churn.fidelity().columns().stream()
            .filter(c -> c.name().equals("tenure"))
            .findFirst()
            .orElseThrow();
    assertThat(tenure.riskWhen()).isEqualTo("lower");
    assertThat(tenure.auc()).isBetween(0.70, 0.80);
  }

  @Test
  void theReportSaysWhichColumnsFeedWhichIndex() {
    Map<String, Fidelity.Feed> feeds =
        churn.fidelity().feeds().stream().collect(Collectors.toMap(Fidelity.Feed::field, f -> f));
    assertThat(feeds.get("loyalty").feeds()).isEqualTo("engagement: loyalty");
    assertThat(feeds.get("loyalty").columns()).containsExactly("Contract", "TotalCharges");
    assertThat(feeds.get("csat").columns())
        .as("through the derived values")
        .containsExactly("InternetService", "OnlineSecurity", "TechSupport");
  }
}
