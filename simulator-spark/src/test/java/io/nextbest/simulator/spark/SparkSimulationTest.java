package io.nextbest.simulator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.simulator.PartitionedRun;
import io.nextbest.simulator.SimulationResult;
import io.nextbest.simulator.SimulationSpec;
import io.nextbest.simulator.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job gives the single-JVM simulator's answer on the bundled Telco population, in
 * local[2]: the same customers.csv byte for byte and the same report.json, from CSV split four ways
 * (all 7,043 customers, the rule sets compiled once for the JVM), and from Parquet in one piece
 * with journeys (the first 600).
 */
class SparkSimulationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TELCO = "populations/WA_Fn-UseC_-Telco-Customer-Churn.csv";

  @TempDir static Path dir;
  static SparkSession spark;
  static Path telco;

  @BeforeAll
  static void start() throws Exception {
    telco = dir.resolve("telco.csv");
    try (InputStream in = SparkSimulationTest.class.getClassLoader().getResourceAsStream(TELCO)) {
      Files.copy(in, telco);
    }
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("simulator-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static SimulationResult single(Path data, String report, int journeyWeeks) {
    return Simulator.run(
        SimulationSpec.builder()
            .mapped(data.toString(), "telco-churn")
            .override("experience.threshold=65")
            .override("lever.GROWTH=0.5")
            .journeyWeeks(journeyWeeks)
            .seed(7)
            .threads(2)
            .reportDir(dir.resolve(report))
            .build());
  }

  static String lastOutput;

  static Path onSpark(Path population, String report, int journeyWeeks, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--population", population.toString(),
                "--mapping", "telco-churn",
                "--set", "experience.threshold=65",
                "--set", "lever.GROWTH=0.5",
                "--journey-weeks", Integer.toString(journeyWeeks),
                "--seed", "7",
                "--report", dir.resolve(report).toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SparkSimulation.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            spark,
            args.toArray(String[]::new));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    lastOutput = out.toString(StandardCharsets.UTF_8);
    assertThat(lastOutput).contains("customers").contains("top action changed for");
    return dir.resolve(report);
  }

  static JsonNode report(Path dir) throws Exception {
    return JSON.readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void csvSplitFourWays_givesTheSingleJvmDecisionsAndReport() throws Exception {
    SimulationResult single = single(telco, "single", 0);
    assertThat(single.customers()).isEqualTo(7043);
    String expectedCsv = Files.readString(single.csv());
    JsonNode expected = report(single.json().getParent());
    assertThat(expected.path("comparison").path("topActionChanged").asLong())
        .as("the what-if changes something")
        .isPositive();

    int compiledBefore = PartitionedRun.compilations();
    Path csvRun = onSpark(telco, "spark-csv", 0, "--partitions", "4");
    assertThat(lastOutput).contains(": 4 partitions on 2 task slots");
    assertThat(PartitionedRun.compilations() - compiledBefore)
        .as(
            "rule sets compiled once in this JVM (driver and local executor), reused by all 4 partitions")
        .isEqualTo(1);
    assertThat(Files.readString(csvRun.resolve("customers.csv"))).isEqualTo(expectedCsv);
    assertThat(report(csvRun)).isEqualTo(expected);
    assertThat(csvRun.resolve("report.html")).isNotEmptyFile();
    assertThat(csvRun.resolve("run.json")).isNotEmptyFile();
    assertThat(csvRun.resolve("customers.parts")).doesNotExist();
  }

  @Test
  void parquetWithJourneys_givesTheSingleJvmDecisionsAndReport() throws Exception {
    // The first 600 customers keep the journey part quick: 2 weeks of 2 decisions per side each.
    List<String> lines = Files.readAllLines(telco);
    Path head = dir.resolve("telco-600.csv");
    Files.write(head, lines.subList(0, 601));
    SimulationResult single = single(head, "single-journeys", 2);
    JsonNode expected = report(single.json().getParent());
    assertThat(expected.path("journey").path("sides")).isNotEmpty();

    Path parquet = dir.resolve("telco-600.parquet");
    spark
        .read()
        .option("header", "true")
        .option("escape", "\"")
        .csv(head.toString())
        .coalesce(1)
        .write()
        .parquet(parquet.toString());
    Path run = onSpark(parquet, "spark-journeys", 2);
    assertThat(lastOutput).contains(": 1 partitions on 2 task slots");
    assertThat(Files.readString(run.resolve("customers.csv")))
        .isEqualTo(Files.readString(single.csv()));
    JsonNode fromParquet = report(run);
    assertThat(fromParquet.path("inputs").path("population").asText())
        .isEqualTo(parquet + " mapped by telco-churn");
    ((ObjectNode) fromParquet.get("inputs"))
        .set("population", expected.get("inputs").get("population"));
    assertThat(fromParquet).isEqualTo(expected);
  }

  @Test
  void aMappingThatDoesNotFitTheData_failsOnTheDriverNamingTheColumn() throws Exception {
    Path renamed = dir.resolve("renamed.csv");
    List<String> lines = Files.readAllLines(telco).subList(0, 11);
    List<String> changed = new ArrayList<>(lines);
    changed.set(0, lines.get(0).replace("tenure", "months"));
    Files.write(renamed, changed);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SparkSimulation.run(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            spark,
            "--population",
            renamed.toString(),
            "--mapping",
            "telco-churn",
            "--format",
            "csv",
            "--report",
            dir.resolve("bad").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the mapping does not fit the data")
        .contains("column 'tenure' is not in the header of " + renamed);
    assertThat(dir.resolve("bad").resolve("report.json")).doesNotExist();

    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    code =
        SparkSimulation.run(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err2, true, StandardCharsets.UTF_8),
            spark,
            "--population",
            renamed.toString(),
            "--mapping",
            "telco-churn",
            "--format",
            "json",
            "--report",
            dir.resolve("bad").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err2.toString(StandardCharsets.UTF_8))
        .contains("--format must be csv or parquet on Spark, was 'json'");
  }
}
