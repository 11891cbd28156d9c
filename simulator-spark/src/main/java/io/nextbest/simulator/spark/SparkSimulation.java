package io.nextbest.simulator.spark;

import io.nextbest.simulator.JourneyModel;
import io.nextbest.simulator.PartitionedRun;
import io.nextbest.simulator.RuleSetRef;
import io.nextbest.simulator.SimulationException;
import io.nextbest.simulator.SimulationResult;
import io.nextbest.simulator.SimulationSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A population what-if as a Spark job: {@code spark-submit --class
 * io.nextbest.simulator.spark.SparkSimulation nba-simulator-spark.jar --population <csv|parquet>
 * --mapping <yaml> --report <dir> [--candidate <dir>] [--set key=value]...}. The population is read
 * by Spark (CSV or Parquet, any path Spark reads), each partition mapped and decided on an executor
 * by {@link PartitionedRun}, and the driver writes the same {@code report.json}, {@code
 * customers.csv}, {@code report.html} and {@code run.json} as the single-JVM simulator.
 */
@Command(
    name = "nba-simulate-spark",
    mixinStandardHelpOptions = true,
    description =
        "Replays a population through the baseline and candidate rule sets on Spark and writes the what-if report.")
public final class SparkSimulation implements Callable<Integer> {
  @Option(
      names = "--population",
      required = true,
      paramLabel = "<path>",
      description = "CSV or Parquet data, any path Spark reads (a file, a directory, a glob)")
  String population;

  @Option(
      names = "--mapping",
      required = true,
      paramLabel = "<file|name>",
      description =
          "YAML mapping from columns to the context model (read on the driver), or a bundled one (telco-churn)")
  String mapping;

  @Option(
      names = "--format",
      paramLabel = "<csv|parquet>",
      description =
          "Data format (default: parquet for a path ending in .parquet, else the mapping's format, else csv)")
  String format;

  @Option(
      names = "--baseline",
      paramLabel = "<dir|bundled>",
      defaultValue = "bundled",
      description = "Baseline rule set, read on the driver (default: ${DEFAULT-VALUE})")
  String baseline;

  @Option(
      names = "--candidate",
      paramLabel = "<dir|bundled>",
      description = "Candidate rule set, read on the driver")
  String candidate;

  @Option(
      names = "--set",
      paramLabel = "<key=value>",
      description = "Override a parameter of the candidate (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--report",
      required = true,
      paramLabel = "<dir>",
      description = "Where the driver writes the reports (a local directory)")
  Path report;

  @Option(
      names = "--parts",
      paramLabel = "<uri>",
      description =
          "Where executors write their customers.csv parts: a path every executor and the driver reach (default: <report>/customers.parts)")
  String parts;

  @Option(
      names = "--keep-parts",
      description =
          "Keep the parts and skip assembling customers.csv on the driver (for populations too large for one file)")
  boolean keepParts;

  @Option(
      names = "--partitions",
      paramLabel = "<n>",
      description =
          "Split the population into about this many partitions (default: Spark's split of the files)")
  Integer partitions;

  @Option(
      names = "--journey-weeks",
      paramLabel = "<weeks>",
      defaultValue = "0",
      description = "Simulate this many weeks of outreach and responses after the static decisions")
  int journeyWeeks;

  @Option(
      names = "--decisions-per-week",
      paramLabel = "<n>",
      description = "Journey: decision moments per week (default 2)")
  Integer decisionsPerWeek;

  @Option(
      names = "--journey-complaint-rate",
      paramLabel = "<p>",
      description = "Journey: weekly chance a customer opens a complaint (default 0.02)")
  Double journeyComplaintRate;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      defaultValue = "1",
      description = "Seed for every random draw (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--strict",
      description = "Fail the job at the first bad row instead of counting it")
  boolean strict;

  @Option(
      names = "--sample",
      paramLabel = "<n>",
      defaultValue = "20",
      description = "Changed customers shown side by side (default: ${DEFAULT-VALUE})")
  int sample;

  @Option(
      names = "--master",
      paramLabel = "<url>",
      description = "Spark master when not started by spark-submit (e.g. local[2])")
  String master;

  private final PrintStream out;
  private final SparkSession given;
  private int partitionsRun;
  private Duration executorCompile = Duration.ZERO;

  SparkSimulation(PrintStream out, SparkSession given) {
    this.out = out;
    this.given = given;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, null, args));
  }

  /**
   * Runs the command on {@code spark} (null: the session spark-submit set up, or one on {@code
   * --master}); returns the exit code.
   */
  static int run(PrintStream out, PrintStream err, SparkSession spark, String... args) {
    CommandLine cmd = new CommandLine(new SparkSimulation(out, spark));
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          Throwable t = simulationCause(e);
          if (t instanceof SimulationException s) {
            // The message lists the problems, each with file, line and field.
            err.println("simulate: " + s.getMessage());
            return 1;
          }
          if (t instanceof IllegalArgumentException) {
            err.println("simulate: " + t.getMessage());
            return 1;
          }
          throw e;
        });
    return cmd.execute(args);
  }

  /**
   * The simulator's own complaint inside Spark's wrapping of a failed task, if that is what it is.
   */
  private static Throwable simulationCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SimulationException || t instanceof IllegalArgumentException) {
        return t;
      }
    }
    return e;
  }

  @Override
  public Integer call() throws IOException {
    SimulationResult r = simulate();
    out.printf(
        Locale.ROOT,
        "%d customers, %d bad rows; %s%s%n",
        r.customers(),
        r.badRows(),
        r.baselineVersion(),
        r.candidateVersion() == null ? "" : " vs " + r.candidateVersion());
    if (r.candidateVersion() != null) {
      out.printf(
          Locale.ROOT,
          "top action changed for %d, quadrant for %d%n",
          r.topActionChanged(),
          r.quadrantChanged());
    }
    out.printf(
        Locale.ROOT,
        "%.0f decisions/s in %d ms: %d partitions on %d task slots%n",
        r.run().decisionsPerSecond(),
        r.run().elapsed().toMillis(),
        partitionsRun,
        r.run().threads());
    // Executors other than the driver's JVM compile the rule sets once each, inside the first task
    // they run.
    out.printf(Locale.ROOT, "executor compile: %.1f s in all%n", executorCompile.toNanos() / 1e9);
    out.println("reports: " + r.json().getParent());
    return 0;
  }

  SimulationResult simulate() throws IOException {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    SimulationSpec spec = spec();
    if (format != null) {
      checkFormat(format.toLowerCase(Locale.ROOT));
    }
    PartitionedRun plan = PartitionedRun.plan(spec, population);
    String fmt = format(plan);
    SparkSession spark = given != null ? given : session();
    Duration compile = Duration.ofNanos(System.nanoTime() - t0);
    long t1 = System.nanoTime();
    Dataset<Row> data = read(spark, fmt, plan);
    List<String> columns = Arrays.asList(data.columns());
    plan.checkColumns(columns.stream().map(String::strip).toList());
    if (partitions != null && data.rdd().getNumPartitions() > partitions) {
      // Merges neighbouring partitions: the order of the rows is kept (repartition would shuffle
      // it).
      data = data.coalesce(partitions);
    }
    Files.createDirectories(report);
    String partsDir =
        parts != null
            ? parts
            : report.resolve("customers.parts").toAbsolutePath().toUri().toString();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path partsPath = new org.apache.hadoop.fs.Path(partsDir);
    FileSystem fs = partsPath.getFileSystem(hadoop);
    fs.delete(partsPath, true);
    fs.mkdirs(partsPath);
    List<PartitionedRun.Part> done =
        data.javaRDD()
            .mapPartitionsWithIndex(new DecidePartition(plan, columns, partsDir, population), true)
            .collect();
    partitionsRun = done.size();
    executorCompile =
        done.stream()
            .map(PartitionedRun.Part::executorCompile)
            .reduce(Duration.ZERO, Duration::plus);
    if (!keepParts) {
      assemble(fs, partsPath, done.size(), plan.csvHeader(), report.resolve("customers.csv"));
      fs.delete(partsPath, true);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t1);
    return plan.finish(
        spec, done, startedAt, compile, elapsed, spark.sparkContext().defaultParallelism());
  }

  private SimulationSpec spec() {
    SimulationSpec.Builder b =
        SimulationSpec.builder()
            .mapped(population, mapping)
            .reportDir(report)
            .seed(seed)
            .strict(strict)
            .sampleSize(sample)
            .journeyWeeks(journeyWeeks)
            .baseline(RuleSetRef.parse(baseline));
    if (candidate != null) {
      b.candidate(RuleSetRef.parse(candidate));
    }
    overrides.forEach(b::override);
    JourneyModel journey = JourneyModel.DEFAULTS;
    if (decisionsPerWeek != null) {
      journey = journey.withDecisionsPerWeek(decisionsPerWeek);
    }
    if (journeyComplaintRate != null) {
      journey = journey.withComplaintRatePerWeek(journeyComplaintRate);
    }
    return b.journey(journey).build();
  }

  private String format(PartitionedRun plan) {
    String f =
        format != null
            ? format.toLowerCase(Locale.ROOT)
            : population.toLowerCase(Locale.ROOT).endsWith(".parquet")
                ? "parquet"
                : plan.format() != null ? plan.format() : "csv";
    checkFormat(f);
    return f;
  }

  private static void checkFormat(String f) {
    if (!f.equals("csv") && !f.equals("parquet")) {
      throw new IllegalArgumentException(
          "--format must be csv or parquet on Spark, was '"
              + f
              + "' (JSON Lines populations run on the single-JVM simulator)");
    }
  }

  private SparkSession session() {
    SparkSession.Builder b = SparkSession.builder().appName("nextbest-simulation");
    if (master != null) {
      b.master(master);
    }
    return b.getOrCreate();
  }

  private Dataset<Row> read(SparkSession spark, String fmt, PartitionedRun plan) {
    if (partitions != null) {
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, was " + partitions);
      }
      long bytes = size(spark, population);
      if (bytes > 0) {
        // Spark splits files at this size: about the partitions asked for (never under 64 KiB).
        spark
            .conf()
            .set(
                "spark.sql.files.maxPartitionBytes",
                Long.toString(Math.max(64 * 1024, (bytes + partitions - 1) / partitions)));
        spark.conf().set("spark.sql.files.openCostInBytes", "0");
      }
    }
    DataFrameReader r = spark.read();
    if (fmt.equals("csv")) {
      // Every cell as text, as the single-JVM reader gives them to the mapping; quotes doubled as
      // RFC 4180 says.
      r =
          r.format("csv")
              .option("header", "true")
              .option("inferSchema", "false")
              .option("sep", String.valueOf(plan.delimiter()))
              .option("quote", "\"")
              .option("escape", "\"")
              .option("mode", "PERMISSIVE");
    } else {
      r = r.format("parquet");
    }
    return r.load(population);
  }

  private static long size(SparkSession spark, String location) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .getContentSummary(p)
          .getLength();
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** customers.csv on the driver: the header, then every partition's rows in partition order. */
  private static void assemble(
      FileSystem fs, org.apache.hadoop.fs.Path partsPath, int count, String header, Path target)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      out.write(header.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < count; i++) {
        try (InputStream in =
            fs.open(new org.apache.hadoop.fs.Path(partsPath, DecidePartition.name(i)))) {
          in.transferTo(out);
        }
      }
    }
  }

  /** Writes text to a Hadoop file system path; used by executors for their parts. */
  static Writer writer(FileSystem fs, org.apache.hadoop.fs.Path path) {
    try {
      return new BufferedWriter(
          new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
