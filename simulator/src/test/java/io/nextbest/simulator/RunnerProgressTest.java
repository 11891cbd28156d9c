package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.engine.RuleSet;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share a run reports is the share of customers finished, not of customers handed to the
 * workers.
 */
class RunnerProgressTest {
  @TempDir Path dir;

  record Seen(double fraction, long finished) {}

  List<Seen> run(SimulationSpec spec) throws Exception {
    List<Seen> seen = new ArrayList<>();
    try (Population population = Simulator.open(spec);
        Sides sides = Sides.compile(spec, RuleSet::compile)) {
      new Runner(
              spec,
              sides,
              population,
              new StringWriter(),
              r -> seen.add(new Seen(r.fraction(), r.tally().customers + r.tally().badRows)))
          .run();
    }
    return seen;
  }

  @Test
  void everyReport_isTheShareOfCustomersFinished_whileChunksAreStillInFlight() throws Exception {
    int size = 3_000;
    List<Seen> seen =
        run(
            SimulationSpec.builder()
                .synthetic(size, SyntheticKnobs.DEFAULTS)
                .threads(2)
                .seed(3)
                .reportDir(dir)
                .build());

    // One report per chunk back; the workers hold up to 8 chunks while the reader is ahead.
    assertThat(seen).hasSize((size + Runner.CHUNK - 1) / Runner.CHUNK);
    for (Seen s : seen) {
      assertThat(s.fraction()).isCloseTo((double) s.finished() / size, within(1e-9));
    }
    assertThat(seen.get(0).fraction()).isLessThan(0.1);
    assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
  }

  @Test
  void withALimit_theLimitIsTheWhole() throws Exception {
    List<Seen> seen =
        run(
            SimulationSpec.builder()
                .synthetic(10_000, SyntheticKnobs.DEFAULTS)
                .limit(1_000)
                .threads(2)
                .seed(3)
                .reportDir(dir)
                .build());

    for (Seen s : seen) {
      assertThat(s.fraction()).isCloseTo(s.finished() / 1_000.0, within(1e-9));
    }
    assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
  }
}
