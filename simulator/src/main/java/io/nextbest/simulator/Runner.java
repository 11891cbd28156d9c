package io.nextbest.simulator;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.InvalidContextException;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The parallel pipeline: the calling thread reads the population in chunks and hands them to a
 * fixed pool of workers through a bounded window of futures; workers map, decide on every side,
 * tally and format CSV rows; the calling thread takes results back in input order, merges the
 * tallies and streams the rows to disk. Memory is bounded by the window, not the population.
 */
final class Runner {
  static final int CHUNK = 128;

  /** What a worker hands back for one chunk. */
  record Chunk(Tally tally, String csv, Sample sample, long decisions, int units) {}

  private final SimulationSpec spec;
  private final Sides sides;
  private final Population population;
  private final Writer csv;
  private final Consumer<Runner> onChunk;
  private final Tally total;
  private final Sample sample;
  private long decisions;

  /** Customers (or rows) handed to the workers, and those whose results are back. */
  private long taken;

  private long finished;
  private final long startedNanos = System.nanoTime();

  Runner(
      SimulationSpec spec,
      Sides sides,
      Population population,
      Writer csv,
      Consumer<Runner> onChunk) {
    this.spec = spec;
    this.sides = sides;
    this.population = population;
    this.csv = csv;
    this.onChunk = onChunk;
    this.total = new Tally(sides.count(), spec.journeyWeeks());
    this.sample = new Sample(sides.count() > 1 ? spec.sampleSize() : 0);
  }

  Tally tally() {
    return total;
  }

  Sample sample() {
    return sample;
  }

  long decisions() {
    return decisions;
  }

  /**
   * The share of the run finished: customers whose results are back, over the customers there are.
   * The population knows how much of its input it has handed out; the workers still hold up to a
   * window of chunks, so the share read is scaled by the share of what was read that is finished.
   * With a limit below the population's size, the limit is the whole.
   */
  double fraction() {
    double read = population.progress();
    if (read < 0) {
      return -1;
    }
    if (taken == 0) {
      return 0;
    }
    double f = read * finished / taken;
    if (spec.limit() > 0) {
      f = Math.max(f, (double) finished / spec.limit());
    }
    return Math.min(1, f);
  }

  long elapsedNanos() {
    return System.nanoTime() - startedNanos;
  }

  Tally run() throws IOException, InterruptedException {
    csv.write(header());
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            spec.threads(),
            r -> {
              Thread t = new Thread(r, "simulator-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ArrayDeque<Future<Chunk>> window = new ArrayDeque<>();
    int maxInFlight = spec.threads() * 4;
    try {
      List<Population.Unit> chunk = new ArrayList<>(CHUNK);
      long taken = 0;
      while (spec.limit() == 0 || taken < spec.limit()) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("the simulation was cancelled");
        }
        Population.Unit unit = population.next();
        if (unit == null) {
          break;
        }
        chunk.add(unit);
        taken++;
        this.taken = taken;
        if (chunk.size() == CHUNK) {
          List<Population.Unit> units = chunk;
          window.add(pool.submit(() -> process(units)));
          chunk = new ArrayList<>(CHUNK);
          while (window.size() >= maxInFlight) {
            take(window.poll());
          }
        }
      }
      if (!chunk.isEmpty()) {
        List<Population.Unit> units = chunk;
        window.add(pool.submit(() -> process(units)));
      }
      while (!window.isEmpty()) {
        take(window.poll());
      }
    } finally {
      pool.shutdownNow();
    }
    return total;
  }

  private void take(Future<Chunk> future) throws IOException, InterruptedException {
    Chunk c;
    try {
      c = future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
    if (spec.strict() && c.tally().badRows > 0) {
      throw new SimulationException(
          "a bad row stopped the strict run", List.of(c.tally().problems.get(0)));
    }
    total.merge(c.tally());
    sample.merge(c.sample());
    decisions += c.decisions();
    finished += c.units();
    csv.write(c.csv());
    onChunk.accept(this);
  }

  Chunk process(List<Population.Unit> units) {
    Tally t = new Tally(sides.count(), spec.journeyWeeks());
    Sample s = new Sample(sides.count() > 1 ? spec.sampleSize() : 0);
    StringBuilder rows = new StringBuilder(units.size() * 400);
    long made = 0;
    for (Population.Unit unit : units) {
      Subject subject;
      try {
        subject = unit.materialise();
      } catch (BadRow b) {
        t.bad(b.problem());
        continue;
      }
      try {
        made += simulate(subject, t, s, rows);
      } catch (InvalidContextException e) {
        FieldError f = e.errors().get(0);
        t.bad(
            new Problem(
                subject.file(),
                subject.line(),
                null,
                f.field(),
                "customer "
                    + subject.customerId()
                    + ": "
                    + f.message()
                    + (e.errors().size() > 1
                        ? " (and " + (e.errors().size() - 1) + " more)"
                        : "")));
      } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
        t.bad(
            new Problem(
                subject.file(),
                subject.line(),
                null,
                null,
                "customer " + subject.customerId() + ": " + e.getMessage()));
      }
    }
    return new Chunk(t, rows.toString(), s, made, units.size());
  }

  /**
   * Decides every point on every side, runs the journeys, and only then records, so a failure
   * records nothing.
   */
  private long simulate(Subject subject, Tally t, Sample sample, StringBuilder rows) {
    List<CustomerContext> points = subject.points();
    int n = points.size();
    Decision[] base = new Decision[n];
    Decision[] cand = sides.count() > 1 ? new Decision[n] : null;
    long made = 0;
    for (int i = 0; i < n; i++) {
      base[i] = sides.decide(0, points.get(i), id(0, subject.customerId(), i));
      made++;
      if (cand != null) {
        cand[i] = sides.decide(1, points.get(i), id(1, subject.customerId(), i));
        made++;
      }
    }
    Journey.Result[] journeys = null;
    Tally.JourneyTally[] jt = null;
    if (spec.journeyWeeks() > 0) {
      journeys = new Journey.Result[sides.count()];
      jt = new Tally.JourneyTally[sides.count()];
      for (int side = 0; side < sides.count(); side++) {
        jt[side] = new Tally.JourneyTally(spec.journeyWeeks());
        journeys[side] =
            new Journey(sides, side, spec.journey(), spec.journeyWeeks(), spec.seed())
                .run(subject, jt[side]);
        made += jt[side].totalDecisions();
      }
    }
    t.customers++;
    for (int i = 0; i < n; i++) {
      Decision b = base[i];
      Decision c = cand == null ? null : cand[i];
      t.record(b, c, i == n - 1 ? subject.outcome() : null);
      if (i == n - 1 && subject.outcome() != null) {
        t.columns(subject.columns(), subject.outcome());
      }
      if (c != null
          && (!Tally.top(b).equals(Tally.top(c))
              || b.segment().quadrant() != c.segment().quadrant())) {
        long key = Hash.of(spec.seed(), subject.customerId(), "sample", i);
        if (sample.wants(key)) {
          sample.offer(
              new Sample.Entry(key, subject.customerId(), b.asOf(), subject.outcome(), b, c));
        }
      }
      row(rows, subject, b, c, i == n - 1 ? journeys : null);
    }
    if (jt != null) {
      for (int side = 0; side < jt.length; side++) {
        t.journeys[side].merge(jt[side]);
      }
    }
    return made;
  }

  private String id(int side, String customerId, int point) {
    return Sides.PREFIX[side] + "-" + Hash.hex(Hash.of(spec.seed(), customerId, "decision", point));
  }

  String header() {
    StringBuilder sb = new StringBuilder();
    List<String> cols = new ArrayList<>(List.of("customer_id", "as_of", "outcome"));
    String[] names =
        sides.count() > 1 ? new String[] {"baseline", "candidate"} : new String[] {"baseline"};
    for (String side : names) {
      for (String c :
          List.of(
              "quadrant",
              "experience",
              "engagement",
              "health",
              "top_action",
              "top_family",
              "top_channel",
              "summary",
              "reasons",
              "risk_flags",
              "critical_gaps",
              "suppressed")) {
        cols.add(side + "_" + c);
      }
    }
    if (sides.count() > 1) {
      cols.add("top_action_changed");
      cols.add("quadrant_changed");
    }
    if (spec.journeyWeeks() > 0) {
      for (String side : names) {
        for (String c :
            List.of(
                "journey_start_quadrant",
                "journey_end_quadrant",
                "journey_sent",
                "journey_accepted",
                "journey_accepted_value")) {
          cols.add(side + "_" + c);
        }
      }
    }
    Csv.row(sb, cols.toArray());
    return sb.toString();
  }

  private void row(
      StringBuilder sb, Subject subject, Decision b, Decision c, Journey.Result[] journeys) {
    List<Object> cells = new ArrayList<>(40);
    cells.add(subject.customerId());
    cells.add(b.asOf());
    cells.add(subject.outcome());
    side(cells, b);
    if (c != null) {
      side(cells, c);
      cells.add(!Tally.top(b).equals(Tally.top(c)));
      cells.add(b.segment().quadrant() != c.segment().quadrant());
    }
    if (spec.journeyWeeks() > 0) {
      for (int s = 0; s < sides.count(); s++) {
        Journey.Result r = journeys == null ? null : journeys[s];
        cells.add(r == null ? null : r.start());
        cells.add(r == null ? null : r.end());
        cells.add(r == null ? null : r.sent());
        cells.add(r == null ? null : r.accepted());
        cells.add(r == null ? null : Report.money(r.valueCents()));
      }
    }
    Csv.row(sb, cells.toArray());
  }

  private static void side(List<Object> cells, Decision d) {
    cells.add(d.segment().quadrant());
    cells.add(d.indices().experience().value());
    cells.add(d.indices().engagement().value());
    cells.add(d.indices().relationshipHealth());
    RecommendedAction top = d.actions().isEmpty() ? null : d.actions().get(0);
    cells.add(top == null ? Tally.NONE : top.actionId());
    cells.add(top == null ? null : top.family());
    cells.add(top == null ? null : top.channel());
    cells.add(top == null ? null : top.explanation().summary());
    if (top == null) {
      cells.add(null);
    } else {
      StringBuilder reasons = new StringBuilder();
      for (Reason r : top.explanation().reasons()) {
        if (reasons.length() > 0) {
          reasons.append(" | ");
        }
        reasons.append(r.rule()).append(": ").append(r.text());
      }
      cells.add(reasons.toString());
    }
    cells.add(String.join(";", d.indices().riskFlags().stream().map(Flag::code).toList()));
    cells.add(String.join(";", d.criticalGaps().stream().map(g -> g.kind()).distinct().toList()));
    cells.add(d.suppressed().size());
  }
}
