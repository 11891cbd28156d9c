package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int simulate(String... args) {
    return Main.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Fixtures::compile,
        args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void versionAndHelp_printAndExitZero() {
    assertThat(simulate("--version")).isZero();
    assertThat(out()).startsWith("NextBest simulator ");
    assertThat(simulate("--help")).isZero();
    assertThat(out()).contains("--population", "--report");
  }

  @Test
  void simulate_onASmallSyntheticPopulation_writesEveryReport_andPrintsASummary() {
    Path report = dir.resolve("out");
    int code =
        simulate(
            "--synthetic",
            "150",
            "--set",
            "experience.threshold=70",
            "--set",
            "lever.GROWTH=0.5",
            "--journey-weeks",
            "2",
            "--seed",
            "3",
            "--threads",
            "2",
            "--progress",
            "--report",
            report.toString());
    assertThat(code).as(err()).isZero();
    assertThat(out())
        .contains("Simulated 150 customers (0 bad rows)")
        .contains("baseline")
        .contains("candidate")
        .contains("top action changed")
        .contains("journey baseline")
        .contains("decisions/s per side")
        .contains("report.html");
    assertThat(err()).contains("customers").contains("%");
    for (String f : new String[] {"report.json", "report.html", "customers.csv", "run.json"}) {
      assertThat(report.resolve(f)).isNotEmptyFile();
    }
  }

  @Test
  void simulate_onTheBundledTelcoPopulation_withALimit_andStrict() throws Exception {
    int code =
        simulate(
            "--population",
            "telco-churn",
            "--mapping",
            "telco-churn",
            "--baseline",
            "bundled",
            "--candidate",
            "bundled",
            "--set",
            "cap.Q3.max7Days=2",
            "--limit",
            "300",
            "--strict",
            "--no-progress",
            "--report",
            dir.toString());
    assertThat(code).as(err()).isZero();
    assertThat(out())
        .contains("Simulated 300 customers (0 bad rows)")
        .contains("churn rate by quadrant");
    assertThat(Files.readAllLines(dir.resolve("customers.csv"))).hasSize(301);
  }

  @Test
  void aBadMapping_exitsWithOne_namingFileLineAndColumn() {
    Path mapping =
        Fixtures.write(
            dir.resolve("bad.yaml"), "id: customerID\nprofile:\n  tenure: { column: tenure }\n");
    int code =
        simulate(
            "--population",
            "telco-churn",
            "--mapping",
            mapping.toString(),
            "--report",
            dir.resolve("out").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("bad.yaml, line 3, column 3 (profile.tenure): unknown key 'tenure'");
  }

  @Test
  void badRows_areCountedAndShown_butAStrictRunFailsOnTheFirst() {
    Path data = Fixtures.write(dir.resolve("data.csv"), "id,months\nA,1\nB,x\nC,3\n");
    Path mapping =
        Fixtures.write(
            dir.resolve("m.yaml"), "id: id\nprofile:\n  tenureMonths: { column: months }\n");
    assertThat(
            simulate(
                "--population",
                data.toString(),
                "--mapping",
                mapping.toString(),
                "--report",
                dir.resolve("lenient").toString()))
        .isZero();
    assertThat(out())
        .contains("Simulated 2 customers (1 bad rows)")
        .contains("data.csv, line 3, column 2 (months): profile.tenureMonths: 'x' is not a number");
    assertThat(
            simulate(
                "--population",
                data.toString(),
                "--mapping",
                mapping.toString(),
                "--strict",
                "--report",
                dir.resolve("strict").toString()))
        .isEqualTo(1);
    assertThat(err()).contains("a bad row stopped the strict run").contains("line 3");
  }

  @Test
  void usageErrors_exitWithTwo() {
    assertThat(simulate("--report", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("Missing required");
    assertThat(simulate("--synthetic", "10", "--events", "x.jsonl", "--report", dir.toString()))
        .isEqualTo(2);
  }

  @Test
  void help_listsTheOptionsAndOverrides() {
    assertThat(simulate("--help")).isZero();
    assertThat(out())
        .contains("simulate")
        .contains("--population")
        .contains("--set")
        .contains("experience.threshold=70")
        .contains("--journey-weeks");
  }
}
