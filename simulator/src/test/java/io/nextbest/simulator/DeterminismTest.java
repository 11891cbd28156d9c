package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
  @TempDir Path dir;

  private Simulator.Finished run(String name, long seed, int threads) {
    return Fixtures.run(
        SimulationSpec.builder()
            .synthetic(250, SyntheticKnobs.DEFAULTS)
            .override("experience.threshold=65")
            .override("lever.GROWTH=0.5")
            .journeyWeeks(2)
            .seed(seed)
            .threads(threads)
            .reportDir(dir.resolve(name))
            .build());
  }

  @Test
  void sameInputsAndSeed_giveByteIdenticalReports_whateverTheThreadCount() {
    Simulator.Finished one = run("one", 11, 1);
    Simulator.Finished two = run("two", 11, 2);
    assertThat(Fixtures.read(one.result().json())).isEqualTo(Fixtures.read(two.result().json()));
    assertThat(Fixtures.read(one.result().csv())).isEqualTo(Fixtures.read(two.result().csv()));
    assertThat(Fixtures.read(one.result().html())).isEqualTo(Fixtures.read(two.result().html()));
    assertThat(Fixtures.read(one.result().json()))
        .doesNotContain("evaluationMicros\" : 1")
        .contains("\"seed\" : 11");
    assertThat(one.report().journey().sides()).allSatisfy(s -> assertThat(s.sent()).isPositive());
  }

  @Test
  void anotherSeed_givesAnotherPopulationAndReport() {
    Simulator.Finished a = run("a", 11, 2);
    Simulator.Finished b = run("b", 12, 2);
    assertThat(Fixtures.read(a.result().json())).isNotEqualTo(Fixtures.read(b.result().json()));
  }
}
