package io.nextbest.simulator;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.events.ProblemContacts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one simulation to the end on the calling thread (its workers run in parallel) and writes the
 * reports: {@code report.json}, {@code customers.csv}, {@code report.html} and {@code run.json} in
 * the spec's report directory. For jobs in the background, use {@link SimulationService}.
 */
public final class Simulator {
  private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

  private final Function<RuleSetSource, RuleSet> compiler;

  Simulator(Function<RuleSetSource, RuleSet> compiler) {
    this.compiler = compiler;
  }

  /**
   * Runs {@code spec}; throws {@link SimulationException} for bad input, naming file, line and
   * column.
   */
  public static SimulationResult run(SimulationSpec spec) {
    return run(spec, p -> {});
  }

  /**
   * Runs {@code spec}, telling {@code progress} how it goes (from the calling thread, a few times a
   * second).
   */
  public static SimulationResult run(SimulationSpec spec, Consumer<SimulationProgress> progress) {
    return new Simulator(RuleSet::compile).execute(spec, progress).result();
  }

  /** The public result and the report it summarises (for the CLI's summary). */
  record Finished(SimulationResult result, Report report) {}

  Finished execute(SimulationSpec spec, Consumer<SimulationProgress> progress) {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    progress.accept(
        new SimulationProgress(
            SimulationProgress.State.COMPILING, 0, 0, 0, 0, Duration.ZERO, 0, null));
    try (Sides sides = Sides.compile(spec, compiler);
        // Event histories are folded once for both sides, telling problem contacts apart by the
        // baseline's list.
        Population population = open(spec, sides.ruleSet(0).problemContacts())) {
      Duration compile = Duration.ofNanos(System.nanoTime() - t0);
      Path dir = spec.reportDir();
      Files.createDirectories(dir);
      Path csvPath = dir.resolve("customers.csv");
      long[] lastReport = {0};
      long[] nextSample = {1000};
      List<RunInfo.HeapSample> heap = new ArrayList<>();
      Runner runner;
      long peakLive;
      try (HeapWatch watch = new HeapWatch();
          Writer csv =
              new BufferedWriter(
                  new OutputStreamWriter(Files.newOutputStream(csvPath), StandardCharsets.UTF_8),
                  1 << 16)) {
        runner =
            new Runner(
                spec,
                sides,
                population,
                csv,
                r -> {
                  long customers = r.tally().customers;
                  if (customers >= nextSample[0]) {
                    // Logarithmic sampling: a handful of points show whether the live set grows.
                    heap.add(
                        new RunInfo.HeapSample(
                            customers, watch.lastAfterGc(), watch.collections()));
                    nextSample[0] *= 2;
                  }
                  long now = System.nanoTime();
                  if (now - lastReport[0] >= PROGRESS_EVERY_NANOS) {
                    lastReport[0] = now;
                    progress.accept(snapshot(SimulationProgress.State.RUNNING, r));
                  }
                });
        runner.run();
        heap.add(
            new RunInfo.HeapSample(
                runner.tally().customers, watch.lastAfterGc(), watch.collections()));
        peakLive = watch.peakAfterGc();
      }
      progress.accept(snapshot(SimulationProgress.State.WRITING, runner));
      Tally tally = runner.tally();
      Report report =
          Report.of(
              spec,
              sides,
              population.describe(),
              population.outcomeName(),
              population.feeds(),
              tally,
              runner.sample());
      Path json = dir.resolve("report.json");
      try (OutputStream out = Files.newOutputStream(json)) {
        report.writeJson(out);
      }
      Path html = dir.resolve("report.html");
      Files.writeString(html, Html.render(report), StandardCharsets.UTF_8);
      Duration elapsed = Duration.ofNanos(runner.elapsedNanos());
      double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
      RunInfo run =
          new RunInfo(
              startedAt,
              compile,
              elapsed,
              tally.customers,
              runner.decisions(),
              Math.round(tally.sides[0].decisions / seconds * 10) / 10.0,
              Math.round(runner.decisions() / seconds * 10) / 10.0,
              spec.threads(),
              Runtime.getRuntime().availableProcessors(),
              Runtime.getRuntime().maxMemory(),
              peakLive,
              heap,
              System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      Path runJson = dir.resolve("run.json");
      try (OutputStream out = Files.newOutputStream(runJson)) {
        Report.mapper().writeValue(out, run);
      }
      progress.accept(snapshot(SimulationProgress.State.DONE, runner));
      return new Finished(
          new SimulationResult(
              json,
              csvPath,
              html,
              runJson,
              sides.label(0),
              sides.count() > 1 ? sides.label(1) : null,
              tally.customers,
              tally.badRows,
              tally.changedTop,
              tally.changedQuadrant,
              List.copyOf(tally.problems),
              run),
          report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("the simulation was interrupted");
    }
  }

  private static SimulationProgress snapshot(SimulationProgress.State state, Runner r) {
    Duration elapsed = Duration.ofNanos(r.elapsedNanos());
    double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
    return new SimulationProgress(
        state,
        r.tally().customers,
        r.decisions(),
        r.tally().badRows,
        r.fraction(),
        elapsed,
        r.decisions() / seconds,
        null);
  }

  static Population open(SimulationSpec spec) {
    return open(spec, ProblemContacts.BY_OUTCOME);
  }

  static Population open(SimulationSpec spec, ProblemContacts problems) {
    PopulationSpec p = spec.population();
    if (p instanceof PopulationSpec.Mapped m) {
      Input mappingFile = Input.mapping(m.mapping());
      Mapping mapping;
      try (java.io.Reader r =
          new java.io.InputStreamReader(mappingFile.open(), StandardCharsets.UTF_8)) {
        mapping = MappingParser.parse(r, mappingFile.name());
      } catch (IOException e) {
        throw new SimulationException("cannot read the mapping " + mappingFile.name(), e);
      }
      return MappedPopulation.open(Input.data(m.data()), mapping, spec.seed());
    }
    if (p instanceof PopulationSpec.Synthetic s) {
      return new SyntheticPopulation(s.size(), s.knobs(), spec.seed());
    }
    PopulationSpec.Events e = (PopulationSpec.Events) p;
    return EventPopulation.open(Input.data(e.file()), e.points(), problems);
  }
}
