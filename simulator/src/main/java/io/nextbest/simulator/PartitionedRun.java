package io.nextbest.simulator;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's pipeline cut where a cluster engine (Spark) splits a mapped population: the same
 * mapping, the same decisions, the same tallies and report as {@link Simulator}, with the
 * population read and partitioned by the engine.
 *
 * <ol>
 *   <li>On the driver, {@link #plan} reads the mapping and the rule sets (compiling them once to
 *       fail fast) into this serializable plan.
 *   <li>On each executor, {@link #run} maps and decides one partition's rows in order, writes their
 *       {@code customers.csv} rows, and hands back a {@link Part}: the partition's tally and its
 *       candidates for the side-by-side sample. The rule sets are compiled once per executor JVM
 *       and reused by every partition it runs (in the driver's JVM, as in Spark's local mode, the
 *       driver's compile is reused).
 *   <li>On the driver, {@link #finish} merges the parts in partition order and writes {@code
 *       report.json}, {@code report.html} and {@code run.json}. Every figure is a sum, and the
 *       sample is chosen by seeded hash, so how the population was split changes nothing.
 * </ol>
 */
public final class PartitionedRun implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Executor side: compiled plans by id, a few at most (a driver runs one job at a time). */
  private static final Map<String, Worker> WORKERS =
      new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Worker> eldest) {
          return size() > 2;
        }
      };

  private static final AtomicInteger COMPILATIONS = new AtomicInteger();

  private static final Comparator<Candidate> SAMPLE_ORDER =
      Comparator.comparingLong(Candidate::key)
          .thenComparing(Candidate::customerId)
          .thenComparing(Candidate::asOf);

  private final String id = UUID.randomUUID().toString();
  private final String dataName;
  private final String mappingName;
  private final String mappingText;
  private final String baselineName;
  private final HashMap<String, byte[]> baselineFiles;
  private final String candidateName;
  private final HashMap<String, byte[]> candidateFiles;
  private final ArrayList<String> overrides;
  private final int journeyWeeks;
  private final JourneyModel journey;
  private final long seed;
  private final boolean strict;
  private final int sampleSize;
  private final String header;
  private final String format;
  private final char delimiter;
  private transient Worker driver;

  private PartitionedRun(
      SimulationSpec spec, String dataName, String mappingName, String mappingText) {
    this.dataName = dataName;
    this.mappingName = mappingName;
    this.mappingText = mappingText;
    RuleSetSource base = spec.baseline().load();
    this.baselineName = base.name();
    this.baselineFiles = files(base);
    RuleSetSource cand = spec.candidate() == null ? null : spec.candidate().load();
    this.candidateName = cand == null ? null : cand.name();
    this.candidateFiles = cand == null ? null : files(cand);
    this.overrides = new ArrayList<>(spec.overrides());
    this.journeyWeeks = spec.journeyWeeks();
    this.journey = spec.journey();
    this.seed = spec.seed();
    this.strict = spec.strict();
    this.sampleSize = spec.sampleSize();
    this.driver = new Worker(this, RuleSet::compile);
    // Compiled before the engine starts: not a partition's cost.
    driver.compileReported.set(true);
    // An executor in this JVM (Spark's local mode) reuses what the driver compiled.
    synchronized (WORKERS) {
      WORKERS.put(id, driver);
    }
    this.header = driver.runner.header();
    this.format = driver.mapping.format;
    this.delimiter = driver.mapping.delimiter;
  }

  /**
   * The plan for {@code spec}, whose population must be {@link PopulationSpec.Mapped}: its mapping
   * (a file, or a bundled name) is read here; its data is the engine's to read, named {@code
   * dataName} in messages and the report. Compiles the rule sets once on the calling thread.
   *
   * @throws SimulationException naming file, line and field for a bad mapping or rule set
   */
  public static PartitionedRun plan(SimulationSpec spec, String dataName) {
    if (!(spec.population() instanceof PopulationSpec.Mapped m)) {
      throw new IllegalArgumentException(
          "a partitioned run reads a mapped population (a data file and its mapping), not "
              + spec.population().getClass().getSimpleName());
    }
    if (spec.limit() > 0) {
      throw new IllegalArgumentException(
          "a partitioned run has no limit: the engine reads the whole population (select a subset with the engine first)");
    }
    Input mappingFile = Input.mapping(m.mapping());
    String text;
    try (java.io.InputStream in = mappingFile.open()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SimulationException("cannot read the mapping " + mappingFile.name(), e);
    }
    return new PartitionedRun(spec, dataName, mappingFile.name(), text);
  }

  /**
   * How many times this JVM compiled a plan's rule sets: once per plan on the driver, once per plan
   * on each executor JVM other than the driver's.
   */
  public static int compilations() {
    return COMPILATIONS.get();
  }

  /** {@code csv} or {@code jsonl}, as the mapping says (null: let the file's name say). */
  public String format() {
    return format;
  }

  /** The CSV field delimiter the mapping names (default {@code ,}). */
  public char delimiter() {
    return delimiter;
  }

  /** The first line of {@code customers.csv}, with its line break. */
  public String csvHeader() {
    return header;
  }

  /**
   * Checks every column the mapping names is in the data's columns.
   *
   * @throws SimulationException naming the mapping line of each missing column
   */
  public void checkColumns(Collection<String> columns) {
    driver.mapping.checkHeader(columns, dataName);
  }

  /**
   * Maps and decides one partition, in order: on an executor.
   *
   * @param partName how messages name the partition (e.g. {@code customers.csv (partition 3)})
   * @param columns the rows' column names, in the order of their cells
   * @param rows each row's cells: String, Long, Double, Boolean, or null when blank
   * @param csv receives the partition's {@code customers.csv} rows (no header)
   * @throws SimulationException at the first bad row of a strict run
   */
  public Part run(String partName, List<String> columns, Iterator<Object[]> rows, Appendable csv)
      throws IOException {
    Worker w = worker();
    Map<String, Integer> header = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      header.putIfAbsent(columns.get(i).strip(), i);
    }
    Tally total = new Tally(w.sides.count(), journeyWeeks);
    TreeSet<Candidate> candidates = new TreeSet<>(SAMPLE_ORDER);
    long decisions = 0;
    long line = 0;
    while (rows.hasNext()) {
      List<Population.Unit> chunk = new ArrayList<>(Runner.CHUNK);
      Map<String, CellsAt> byCustomer = new HashMap<>();
      while (rows.hasNext() && chunk.size() < Runner.CHUNK) {
        CellsAt at = new CellsAt(partName, ++line, rows.next());
        chunk.add(w.unit(at, header, byCustomer));
      }
      Runner.Chunk c = w.runner.process(chunk);
      if (strict && c.tally().badRows > 0) {
        throw new SimulationException(
            "a bad row stopped the strict run", List.of(c.tally().problems.get(0)));
      }
      total.merge(c.tally());
      decisions += c.decisions();
      csv.append(c.csv());
      for (Sample.Entry e : c.sample().entries()) {
        CellsAt from = byCustomer.get(e.customerId());
        candidates.add(
            new Candidate(
                e.key(), e.customerId(), e.asOf(), from.file(), from.line(), from.cells()));
        if (candidates.size() > sampleSize) {
          candidates.pollLast();
        }
      }
    }
    long compileNanos = w.compileReported.compareAndSet(false, true) ? w.compileNanos : 0;
    return new Part(
        total, new ArrayList<>(candidates), decisions, new ArrayList<>(columns), compileNanos);
  }

  /**
   * Merges the parts (in partition order, so the bad rows listed come in input order) and writes
   * {@code report.json}, {@code report.html} and {@code run.json} into {@code spec.reportDir()};
   * {@code customers.csv} there is the caller's (the header from {@link #csvHeader()}, then every
   * part's rows in order).
   *
   * @param compile how long the driver took before the engine started reading
   * @param elapsed the whole run, compile excluded
   * @param parallelism the engine's task slots, for run.json
   */
  public SimulationResult finish(
      SimulationSpec spec,
      List<Part> parts,
      Instant startedAt,
      Duration compile,
      Duration elapsed,
      int parallelism) {
    Worker w = driver == null ? worker() : driver;
    Tally total = new Tally(w.sides.count(), journeyWeeks);
    long decisions = 0;
    List<Candidate> all = new ArrayList<>();
    List<String> columns = List.of();
    for (Part p : parts) {
      total.merge(p.tally);
      decisions += p.decisions;
      all.addAll(p.sample);
      if (!p.sample.isEmpty()) {
        columns = p.columns;
      }
    }
    Sample sample = w.sample(all, columns);
    Path dir = spec.reportDir();
    try {
      Files.createDirectories(dir);
      Report report =
          Report.of(
              spec,
              w.sides,
              dataName + " mapped by " + w.mapping.file,
              w.mapping.outcome == null ? null : w.mapping.outcome.name(),
              w.mapping.feeds(),
              total,
              sample);
      Path json = dir.resolve("report.json");
      try (OutputStream out = Files.newOutputStream(json)) {
        report.writeJson(out);
      }
      Path html = dir.resolve("report.html");
      Files.writeString(html, Html.render(report), StandardCharsets.UTF_8);
      double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
      RunInfo run =
          new RunInfo(
              startedAt,
              compile,
              elapsed,
              total.customers,
              decisions,
              Math.round(total.sides[0].decisions / seconds * 10) / 10.0,
              Math.round(decisions / seconds * 10) / 10.0,
              parallelism,
              parallelism,
              Runtime.getRuntime().maxMemory(),
              -1,
              List.of(),
              System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      Path runJson = dir.resolve("run.json");
      try (OutputStream out = Files.newOutputStream(runJson)) {
        Report.mapper().writeValue(out, run);
      }
      return new SimulationResult(
          json,
          dir.resolve("customers.csv"),
          html,
          runJson,
          w.sides.label(0),
          w.sides.count() > 1 ? w.sides.label(1) : null,
          total.customers,
          total.badRows,
          total.changedTop,
          total.changedQuadrant,
          List.copyOf(total.problems),
          run);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Worker worker() {
    synchronized (WORKERS) {
      Worker w = WORKERS.get(id);
      if (w == null) {
        w = new Worker(this, RuleSet::compile);
        WORKERS.put(id, w);
      }
      return w;
    }
  }

  private static HashMap<String, byte[]> files(RuleSetSource source) {
    HashMap<String, byte[]> out = new HashMap<>();
    for (String p : source.paths()) {
      out.put(p, source.bytes(p));
    }
    return out;
  }

  /** What one partition hands back to the driver: small, whatever the partition's size. */
  public static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Tally tally;
    private final ArrayList<Candidate> sample;
    private final long decisions;
    private final ArrayList<String> columns;
    private final long compileNanos;

    private Part(
        Tally tally,
        ArrayList<Candidate> sample,
        long decisions,
        ArrayList<String> columns,
        long compileNanos) {
      this.tally = tally;
      this.sample = sample;
      this.decisions = decisions;
      this.columns = columns;
      this.compileNanos = compileNanos;
    }

    /**
     * Time this partition's task spent compiling the rule sets for its executor JVM (0 when they
     * were compiled already).
     */
    public Duration executorCompile() {
      return Duration.ofNanos(compileNanos);
    }

    public long customers() {
      return tally.customers;
    }

    public long decisions() {
      return decisions;
    }
  }

  /**
   * A row that may be in the report's side-by-side sample: its cells travel, its decisions are made
   * again on the driver.
   */
  record Candidate(
      long key, String customerId, Instant asOf, String file, long line, Object[] cells)
      implements Serializable {}

  private record CellsAt(String file, long line, Object[] cells) {}

  /**
   * A plan made runnable in one JVM: the compiled sides, the parsed mapping, a runner over them.
   */
  private static final class Worker {
    final Sides sides;
    final Mapping mapping;
    final Runner runner;
    final long seed;
    final int sampleSize;
    final long compileNanos;
    final java.util.concurrent.atomic.AtomicBoolean compileReported =
        new java.util.concurrent.atomic.AtomicBoolean();

    Worker(PartitionedRun plan, java.util.function.Function<RuleSetSource, RuleSet> compiler) {
      long t0 = System.nanoTime();
      this.seed = plan.seed;
      this.sampleSize = plan.sampleSize;
      this.mapping =
          MappingParser.parse(new java.io.StringReader(plan.mappingText), plan.mappingName);
      SimulationSpec.Builder b =
          SimulationSpec.builder()
              .mapped(plan.dataName, plan.mappingName)
              .baseline(RuleSetRef.of(RuleSetSource.of(plan.baselineName, plan.baselineFiles)))
              .journeyWeeks(plan.journeyWeeks)
              .journey(plan.journey)
              .seed(plan.seed)
              .threads(1)
              .strict(plan.strict)
              .sampleSize(plan.sampleSize)
              .reportDir(Path.of("."));
      if (plan.candidateFiles != null) {
        b.candidate(RuleSetRef.of(RuleSetSource.of(plan.candidateName, plan.candidateFiles)));
      }
      plan.overrides.forEach(b::override);
      SimulationSpec spec = b.build();
      this.sides = Sides.compile(spec, compiler);
      COMPILATIONS.incrementAndGet();
      this.runner = new Runner(spec, sides, null, null, r -> {});
      this.compileNanos = System.nanoTime() - t0;
    }

    Population.Unit unit(CellsAt at, Map<String, Integer> header, Map<String, CellsAt> byCustomer) {
      Row row = new CellsRow(at.file(), at.line(), at.cells(), header);
      return () -> {
        Subject s = MappedPopulation.subject(mapping, seed, row);
        byCustomer.put(s.customerId(), at);
        return s;
      };
    }

    /** The sample the single-JVM run would show: the smallest keys of all, decided again here. */
    Sample sample(List<Candidate> all, List<String> columns) {
      all.sort(SAMPLE_ORDER);
      Map<String, Integer> header = new HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        header.putIfAbsent(columns.get(i).strip(), i);
      }
      List<Population.Unit> units = new ArrayList<>();
      for (Candidate c : all.subList(0, Math.min(all.size(), sampleSize))) {
        units.add(unit(new CellsAt(c.file(), c.line(), c.cells()), header, new HashMap<>()));
      }
      return runner.process(units).sample();
    }
  }

  /** A row's cells by column position; blank text reads as null, as in a CSV file. */
  private record CellsRow(String file, long line, Object[] cells, Map<String, Integer> header)
      implements Row {
    @Override
    public Object get(String column) {
      Integer i = header.get(column);
      if (i == null || i >= cells.length) {
        return null;
      }
      Object v = cells[i];
      return v instanceof String s && s.isBlank() ? null : v;
    }

    @Override
    public Integer position(String column) {
      Integer i = header.get(column);
      return i == null ? null : i + 1;
    }
  }
}
