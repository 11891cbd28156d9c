package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sides from a rule-set directory and from a source the host holds (a registry version). */
class RuleSetSidesTest {
  @TempDir Path dir;

  /** The bundled rule set written out as a directory, with the engagement threshold moved to 40. */
  private Path candidateDirectory() throws IOException {
    RuleSetSource bundled = RuleSetSource.bundled();
    Path root = dir.resolve("rules-v4");
    for (String path : bundled.paths()) {
      String text = bundled.text(path);
      if (path.equals("dmn/quadrant-classification.dmn")) {
        text =
            text.replace("<text>&gt;= 50</text>", "<text>&gt;= 40</text>")
                .replace("<text>&lt; 50</text>", "<text>&lt; 40</text>");
      }
      Fixtures.write(root.resolve(path), text);
    }
    return root;
  }

  @Test
  void aCandidateDirectory_isComparedWithTheBundledBaseline() throws IOException {
    Path v4 = candidateDirectory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Fixtures::compile,
            "--synthetic",
            "300",
            "--baseline",
            "bundled",
            "--candidate",
            v4.toString(),
            "--no-progress",
            "--report",
            dir.resolve("out").toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String summary = out.toString(StandardCharsets.UTF_8);
    assertThat(summary).contains("candidate rules-v4@");
    String json = Files.readString(dir.resolve("out/report.json"));
    assertThat(json).contains("\"candidate\" : \"" + v4 + "\"");
    assertThat(summary).containsPattern("quadrant for [1-9]");
  }

  @Test
  void aMissingDirectory_isBadInput() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Fixtures::compile,
            "--synthetic",
            "10",
            "--candidate",
            dir.resolve("nope").toString(),
            "--report",
            dir.resolve("out").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("nope")
        .contains("not a rule-set directory");
  }

  @Test
  void aSourceTheHostHolds_isASide_likeARegistryVersion() {
    RuleSetSource v7 =
        RuleSetSource.bundled()
            .with(
                "registry-v7",
                Map.of(
                    "arbitration.json",
                    RuleSetSource.bundled()
                        .text("arbitration.json")
                        .replace("\"GROWTH\": 1.0", "\"GROWTH\": 0.0")
                        .getBytes(StandardCharsets.UTF_8)));
    Simulator.Finished f =
        Fixtures.run(
            SimulationSpec.builder()
                .synthetic(200, null)
                .candidate(RuleSetRef.of(v7))
                .threads(2)
                .reportDir(dir.resolve("reg"))
                .build());
    assertThat(f.result().candidateVersion()).startsWith("registry-v7@");
    assertThat(f.report().sides().get(1).topFamilies()).doesNotContainKey("GROWTH");
    assertThat(f.report().sides().get(0).topFamilies()).containsKey("GROWTH");
  }
}
