package io.nextbest.engine.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExperimentStore} must do; each implementation's test runs it on a real store.
 */
abstract class ExperimentStoreContract {
  static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  abstract ExperimentStore store();

  static Experiment experiment(String id, Experiment.Status status) {
    return new Experiment(
        id,
        Experiment.Kind.CHALLENGER,
        0.2,
        "v1-a",
        2,
        "v2-b",
        List.of("PURCHASE"),
        30,
        status,
        T,
        "ann",
        null,
        null);
  }

  @Test
  void experiments_areSavedFoundAndUpdated() {
    ExperimentStore s = store();
    s.save(experiment("exp-b", Experiment.Status.RUNNING));
    s.save(experiment("exp-a", Experiment.Status.STOPPED));
    s.save(experiment("exp-b", Experiment.Status.PROMOTED));
    assertThat(s.find("exp-b"))
        .get()
        .extracting(Experiment::status)
        .isEqualTo(Experiment.Status.PROMOTED);
    assertThat(s.find("exp-b").orElseThrow().successEvents()).containsExactly("PURCHASE");
    assertThat(s.all()).extracting(Experiment::id).containsExactly("exp-a", "exp-b");
    assertThat(s.find("nope")).isEmpty();
  }

  /** Of two nodes ending the same experiment, one does: the second finds it no longer running. */
  @Test
  void replaceRunning_endsARunningExperimentOnce() {
    ExperimentStore s = store();
    s.save(experiment("exp-r", Experiment.Status.RUNNING));
    Experiment running = s.find("exp-r").orElseThrow();
    Experiment stopped = running.ended(Experiment.Status.STOPPED, T.plusSeconds(5), "bob");
    Experiment promoted = running.ended(Experiment.Status.PROMOTED, T.plusSeconds(6), "eve");
    assertThat(s.replaceRunning(stopped)).isTrue();
    assertThat(s.replaceRunning(promoted)).as("ended already").isFalse();
    assertThat(s.find("exp-r").orElseThrow().status()).isEqualTo(Experiment.Status.STOPPED);
    assertThat(s.find("exp-r").orElseThrow().endedBy()).isEqualTo("bob");
    assertThat(s.replaceRunning(experiment("exp-none", Experiment.Status.STOPPED)))
        .as("no such experiment")
        .isFalse();
    assertThat(s.find("exp-none")).isEmpty();
  }

  @Test
  void aCustomerJoinsOnce_inTheArmOfItsFirstDecision_andEveryDecisionCounts() {
    ExperimentStore s = store();
    s.expose(
        List.of(
            new ExperimentStore.Exposure("e1", "champion", "c1", T),
            new ExperimentStore.Exposure("e1", "champion", "c1", T.plusSeconds(5))));
    s.expose(
        List.of(
            new ExperimentStore.Exposure("e1", "challenger", "c2", T),
            new ExperimentStore.Exposure("e1", "challenger", "c1", T.plusSeconds(9))));
    assertThat(s.counts("e1"))
        .containsEntry("champion", new ExperimentStore.ArmCounts(1, 2, 0))
        .containsEntry("challenger", new ExperimentStore.ArmCounts(1, 2, 0));
  }

  @Test
  void aSuccess_countsOnce_withinTheWindowAfterTheFirstDecision() {
    ExperimentStore s = store();
    s.expose(
        List.of(
            new ExperimentStore.Exposure("e2", "holdout", "c1", T),
            new ExperimentStore.Exposure("e2", "treated", "c2", T)));
    assertThat(s.succeed("e2", "c1", T.minusSeconds(1), 30))
        .as("before the customer joined")
        .isFalse();
    assertThat(s.succeed("e2", "c1", T.plus(Duration.ofDays(31)), 30))
        .as("after the window")
        .isFalse();
    assertThat(s.succeed("e2", "c1", T.plus(Duration.ofDays(29)), 30)).isTrue();
    assertThat(s.succeed("e2", "c1", T.plus(Duration.ofDays(29)), 30)).as("once").isFalse();
    assertThat(s.succeed("e2", "c2", T.plus(Duration.ofDays(300)), -1)).as("no window").isTrue();
    assertThat(s.succeed("e2", "stranger", T, -1)).as("not in the experiment").isFalse();
    assertThat(s.counts("e2"))
        .containsEntry("holdout", new ExperimentStore.ArmCounts(1, 1, 1))
        .containsEntry("treated", new ExperimentStore.ArmCounts(1, 1, 1));
  }

  @Test
  void anAbsence_isDecidedOnceItsDaysAreOver_andAnEventInTimeRulesItOut() {
    ExperimentStore s = store();
    Instant later = T.plus(Duration.ofDays(80));
    s.expose(
        List.of(
            new ExperimentStore.Exposure("e3", "champion", "kept", T),
            new ExperimentStore.Exposure("e3", "champion", "closed", T),
            new ExperimentStore.Exposure("e3", "champion", "closed-late", T),
            new ExperimentStore.Exposure("e3", "champion", "accepted", T),
            new ExperimentStore.Exposure("e3", "challenger", "new", later),
            new ExperimentStore.Exposure("e3", "challenger", "new-closed", later)));
    assertThat(s.disqualify("e3", "closed", T.plus(Duration.ofDays(50)), 90)).isTrue();
    assertThat(s.disqualify("e3", "closed", T.plus(Duration.ofDays(60)), 90)).as("once").isFalse();
    assertThat(s.disqualify("e3", "closed-late", T.plus(Duration.ofDays(91)), 90))
        .as("after its days")
        .isFalse();
    assertThat(s.disqualify("e3", "kept", T.minusSeconds(1), 90))
        .as("before the customer joined")
        .isFalse();
    assertThat(s.disqualify("e3", "stranger", T, 90)).as("not in the experiment").isFalse();
    assertThat(s.disqualify("e3", "new-closed", later.plus(Duration.ofDays(1)), 90)).isTrue();
    assertThat(s.succeed("e3", "accepted", T.plusSeconds(60), -1)).isTrue();

    // 100 days after T: T's customers are decided, the later ones not yet.
    Instant maturedBy = T.plus(Duration.ofDays(100)).minus(Duration.ofDays(90));
    assertThat(s.absences("e3", maturedBy))
        .as("kept and closed-late succeeded by absence; new is pending")
        .containsEntry("champion", new ExperimentStore.Absences(2, 0))
        .containsEntry("challenger", new ExperimentStore.Absences(0, 1));
    assertThat(s.absences("e3", T.minusSeconds(1)))
        .as("before any day is over, all of them are pending")
        .containsEntry("champion", new ExperimentStore.Absences(0, 2));
    assertThat(s.absences("e-none", maturedBy)).isEmpty();
  }
}
