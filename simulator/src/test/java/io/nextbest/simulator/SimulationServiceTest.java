package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationServiceTest {
  @TempDir Path dir;

  private static SimulationProgress await(SimulationService s, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      SimulationProgress p = s.progress(id).orElseThrow();
      if (p.state().finished()) {
        return p;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  @Test
  void aStartedJob_reportsProgress_thenItsReport() throws Exception {
    try (SimulationService service = new SimulationService(1, Fixtures::compile)) {
      String id =
          service.start(
              SimulationSpec.builder()
                  .synthetic(300, null)
                  .override("experience.threshold=70")
                  .threads(2)
                  .reportDir(dir)
                  .build());
      assertThat(id).isEqualTo("sim-1");
      assertThat(service.progress(id)).isPresent();
      SimulationProgress done = await(service, id);
      assertThat(done.state()).isEqualTo(SimulationProgress.State.DONE);
      assertThat(done.customers()).isEqualTo(300);
      assertThat(done.fraction()).isEqualTo(1.0);
      SimulationResult result = service.report(id).orElseThrow();
      assertThat(result.html()).isNotEmptyFile();
      assertThat(result.json()).isNotEmptyFile();
      assertThat(result.customers()).isEqualTo(300);
      assertThat(service.jobs()).containsExactly(id);
      assertThat(service.progress("sim-404")).isEmpty();
    }
  }

  @Test
  void aJobWithBadInput_fails_sayingWhere() throws Exception {
    try (SimulationService service = new SimulationService(1, Fixtures::compile)) {
      Path mapping = Fixtures.write(dir.resolve("m.yaml"), "id: customerID\nprofile:\n  nope: 1\n");
      String id =
          service.start(
              SimulationSpec.builder()
                  .mapped("telco-churn", mapping.toString())
                  .reportDir(dir.resolve("out"))
                  .build());
      SimulationProgress p = await(service, id);
      assertThat(p.state()).isEqualTo(SimulationProgress.State.FAILED);
      assertThat(p.error()).contains("m.yaml, line 3");
      assertThat(service.report(id)).isEmpty();
    }
  }

  @Test
  void aRunningJob_canBeCancelled() throws Exception {
    try (SimulationService service = new SimulationService(1, Fixtures::compile)) {
      String id =
          service.start(
              SimulationSpec.builder()
                  .synthetic(50_000_000, null)
                  .threads(1)
                  .reportDir(dir.resolve("big"))
                  .build());
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (service.progress(id).orElseThrow().customers() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(service.cancel(id)).isTrue();
      assertThat(await(service, id).state()).isEqualTo(SimulationProgress.State.CANCELLED);
    }
  }
}
