package io.nextbest.simulator;

import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a report says, aggregated incrementally: a chunk of customers fills one on a worker
 * and the runner merges it into the total in input order. Only counts and sums of integers (indices
 * in tenths, value in cents), so the total never depends on thread timing and its size never
 * depends on the population's.
 */
final class Tally implements java.io.Serializable {
  static final int MAX_PROBLEMS = 100;
  static final String NONE = "(none)";

  final SideTally[] sides;
  final JourneyTally[] journeys;
  long customers;
  long badRows;
  final List<Problem> problems = new ArrayList<>();
  long compared;
  long changedTop;
  long changedQuadrant;
  final long[][] quadrantMoves = new long[4][4];

  /** "from\tto" top action pairs between baseline and candidate. */
  final Counts topChanges = new Counts();

  /**
   * Raw cells of the mapped columns by value, {negative, positive}: the fidelity report's
   * baselines.
   */
  final java.util.TreeMap<String, java.util.TreeMap<String, long[]>> columns =
      new java.util.TreeMap<>();

  /** Columns with too many distinct values to be a baseline (identifiers, free text). */
  final java.util.TreeSet<String> overflowing = new java.util.TreeSet<>();

  Tally(int sides, int journeyWeeks) {
    this.sides = new SideTally[sides];
    for (int i = 0; i < sides; i++) {
      this.sides[i] = new SideTally();
    }
    this.journeys = journeyWeeks > 0 ? new JourneyTally[sides] : null;
    if (journeys != null) {
      for (int i = 0; i < sides; i++) {
        journeys[i] = new JourneyTally(journeyWeeks);
      }
    }
  }

  void bad(Problem p) {
    badRows++;
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(p);
    }
  }

  /**
   * Records one decision pair; {@code outcome} is given on the customer's last static decision
   * only.
   */
  void record(Decision baseline, Decision candidate, Boolean outcome) {
    sides[0].record(baseline, outcome);
    if (candidate == null) {
      return;
    }
    sides[1].record(candidate, outcome);
    compared++;
    String from = top(baseline);
    String to = top(candidate);
    if (!from.equals(to)) {
      changedTop++;
    }
    topChanges.add(from + "\t" + to);
    int qb = baseline.segment().quadrant().ordinal();
    int qc = candidate.segment().quadrant().ordinal();
    quadrantMoves[qb][qc]++;
    if (qb != qc) {
      changedQuadrant++;
    }
  }

  /** Records one customer's raw cells against their outcome. */
  void columns(java.util.Map<String, Object> cells, boolean positive) {
    cells.forEach(
        (column, value) -> {
          if (!overflowing.contains(column)) {
            cell(column, key(value), positive ? 0 : 1, positive ? 1 : 0);
          }
        });
  }

  /**
   * Numbers to three significant digits, so an amount column stays a few thousand bins; text as it
   * is.
   */
  static String key(Object value) {
    Double d = value instanceof Number n ? Double.valueOf(n.doubleValue()) : null;
    if (d == null && value instanceof String s) {
      try {
        d = Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    if (d == null || d.isNaN() || d.isInfinite()) {
      return Values.text(value);
    }
    return new java.math.BigDecimal(d)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }

  private void cell(String column, String value, long negatives, long positives) {
    java.util.TreeMap<String, long[]> values =
        columns.computeIfAbsent(column, k -> new java.util.TreeMap<>());
    long[] c = values.computeIfAbsent(value, k -> new long[2]);
    c[0] += negatives;
    c[1] += positives;
    if (values.size() > Fidelity.MAX_DISTINCT) {
      overflowing.add(column);
      columns.remove(column);
    }
  }

  static String top(Decision d) {
    return d.actions().isEmpty() ? NONE : d.actions().get(0).actionId();
  }

  void merge(Tally o) {
    customers += o.customers;
    badRows += o.badRows;
    for (Problem p : o.problems) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(p);
      }
    }
    for (int i = 0; i < sides.length; i++) {
      sides[i].merge(o.sides[i]);
      if (journeys != null) {
        journeys[i].merge(o.journeys[i]);
      }
    }
    compared += o.compared;
    changedTop += o.changedTop;
    changedQuadrant += o.changedQuadrant;
    add(quadrantMoves, o.quadrantMoves);
    topChanges.merge(o.topChanges);
    overflowing.addAll(o.overflowing);
    o.columns.forEach(
        (column, values) -> {
          if (!overflowing.contains(column)) {
            values.forEach((value, c) -> cell(column, value, c[0], c[1]));
          }
        });
    overflowing.forEach(columns::remove);
  }

  static void add(long[][] into, long[][] from) {
    for (int i = 0; i < into.length; i++) {
      for (int j = 0; j < into[i].length; j++) {
        into[i][j] += from[i][j];
      }
    }
  }

  static void add(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /** One rule-set side's static decisions. */
  static final class SideTally implements java.io.Serializable {
    long decisions;
    long noAction;
    long withGap;
    final long[] quadrant = new long[4];
    final Counts topAction = new Counts();
    final Counts topFamily = new Counts();
    final Counts topChannel = new Counts();
    final Counts recommended = new Counts();
    final Counts suppressions = new Counts();
    final Counts suppressedDecisions = new Counts();
    final Counts riskFlags = new Counts();
    final Counts trendFlags = new Counts();
    final Counts gaps = new Counts();
    long experienceTenths;
    long engagementTenths;
    long healthTenths;
    final long[] experienceHistogram = new long[10];
    final long[] engagementHistogram = new long[10];
    final long[] outcome = new long[2];
    final long[][] outcomeByQuadrant = new long[4][2];
    final Counts outcomeFlagCustomers = new Counts();
    final Counts outcomeFlagPositive = new Counts();
    final Counts outcomeFamilyCustomers = new Counts();
    final Counts outcomeFamilyPositive = new Counts();

    /**
     * Experience, engagement and health in tenths by outcome {negative, positive}: for AUC and
     * lift.
     */
    final long[][][] indexBins = new long[Fidelity.INDICES.length][Fidelity.BINS][2];

    void record(Decision d, Boolean positive) {
      decisions++;
      quadrant[d.segment().quadrant().ordinal()]++;
      if (d.actions().isEmpty()) {
        noAction++;
        topAction.add(NONE);
        topFamily.add(NONE);
      } else {
        RecommendedAction a = d.actions().get(0);
        topAction.add(a.actionId());
        topFamily.add(a.family().name());
        topChannel.add(a.channel().name());
      }
      for (RecommendedAction a : d.actions()) {
        recommended.add(a.actionId());
      }
      Set<String> rules = new HashSet<>(4);
      for (SuppressedAction s : d.suppressed()) {
        for (Suppression by : s.by()) {
          suppressions.add(by.rule());
          rules.add(by.rule());
        }
      }
      for (String r : rules) {
        suppressedDecisions.add(r);
      }
      for (Flag f : d.indices().riskFlags()) {
        riskFlags.add(f.code());
      }
      for (Flag f : d.indices().trendFlags()) {
        trendFlags.add(f.code());
      }
      if (!d.criticalGaps().isEmpty()) {
        withGap++;
        Set<String> kinds = new HashSet<>(2);
        d.criticalGaps().forEach(g -> kinds.add(g.kind()));
        kinds.forEach(gaps::add);
      }
      double exp = d.indices().experience().value();
      double eng = d.indices().engagement().value();
      experienceTenths += Math.round(exp * 10);
      engagementTenths += Math.round(eng * 10);
      healthTenths += Math.round(d.indices().relationshipHealth() * 10);
      experienceHistogram[bucket(exp)]++;
      engagementHistogram[bucket(eng)]++;
      if (positive != null) {
        int p = positive ? 1 : 0;
        outcome[0]++;
        outcome[1] += p;
        outcomeByQuadrant[d.segment().quadrant().ordinal()][0]++;
        outcomeByQuadrant[d.segment().quadrant().ordinal()][1] += p;
        double[] values = {exp, eng, d.indices().relationshipHealth()};
        for (int i = 0; i < values.length; i++) {
          indexBins[i][(int) Math.max(0, Math.min(Fidelity.BINS - 1, Math.round(values[i] * 10)))][
              p]++;
        }
        if (d.indices().riskFlags().isEmpty()) {
          outcomeFlagCustomers.add(NONE);
          outcomeFlagPositive.add(NONE, p);
        }
        for (Flag f : d.indices().riskFlags()) {
          outcomeFlagCustomers.add(f.code());
          outcomeFlagPositive.add(f.code(), p);
        }
        String family = d.actions().isEmpty() ? NONE : d.actions().get(0).family().name();
        outcomeFamilyCustomers.add(family);
        outcomeFamilyPositive.add(family, p);
      }
    }

    private static int bucket(double v) {
      return (int) Math.max(0, Math.min(9, Math.floor(v / 10)));
    }

    void merge(SideTally o) {
      decisions += o.decisions;
      noAction += o.noAction;
      withGap += o.withGap;
      add(quadrant, o.quadrant);
      topAction.merge(o.topAction);
      topFamily.merge(o.topFamily);
      topChannel.merge(o.topChannel);
      recommended.merge(o.recommended);
      suppressions.merge(o.suppressions);
      suppressedDecisions.merge(o.suppressedDecisions);
      riskFlags.merge(o.riskFlags);
      trendFlags.merge(o.trendFlags);
      gaps.merge(o.gaps);
      experienceTenths += o.experienceTenths;
      engagementTenths += o.engagementTenths;
      healthTenths += o.healthTenths;
      add(experienceHistogram, o.experienceHistogram);
      add(engagementHistogram, o.engagementHistogram);
      add(outcome, o.outcome);
      Tally.add(outcomeByQuadrant, o.outcomeByQuadrant);
      for (int i = 0; i < indexBins.length; i++) {
        Tally.add(indexBins[i], o.indexBins[i]);
      }
      outcomeFlagCustomers.merge(o.outcomeFlagCustomers);
      outcomeFlagPositive.merge(o.outcomeFlagPositive);
      outcomeFamilyCustomers.merge(o.outcomeFamilyCustomers);
      outcomeFamilyPositive.merge(o.outcomeFamilyPositive);
    }
  }

  /** One side's journeys, week by week (week 0 is where each customer started). */
  static final class JourneyTally implements java.io.Serializable {
    final int weeks;
    final long[][] quadrantByWeek;
    final long[] decisions;
    final long[] sent;
    final long[] accepted;
    final long[] declined;
    final long[] valueCents;
    final long[] capSuppressed;
    final long[] gapHeld;
    final long[][] migration = new long[4][4];
    final Counts sentByFamily = new Counts();
    final Counts acceptedByFamily = new Counts();
    final Counts capRules = new Counts();
    long customers;

    JourneyTally(int weeks) {
      this.weeks = weeks;
      this.quadrantByWeek = new long[weeks + 1][4];
      this.decisions = new long[weeks + 1];
      this.sent = new long[weeks + 1];
      this.accepted = new long[weeks + 1];
      this.declined = new long[weeks + 1];
      this.valueCents = new long[weeks + 1];
      this.capSuppressed = new long[weeks + 1];
      this.gapHeld = new long[weeks + 1];
    }

    void merge(JourneyTally o) {
      customers += o.customers;
      Tally.add(quadrantByWeek, o.quadrantByWeek);
      add(decisions, o.decisions);
      add(sent, o.sent);
      add(accepted, o.accepted);
      add(declined, o.declined);
      add(valueCents, o.valueCents);
      add(capSuppressed, o.capSuppressed);
      add(gapHeld, o.gapHeld);
      Tally.add(migration, o.migration);
      sentByFamily.merge(o.sentByFamily);
      acceptedByFamily.merge(o.acceptedByFamily);
      capRules.merge(o.capRules);
    }

    long totalDecisions() {
      long t = 0;
      for (long d : decisions) {
        t += d;
      }
      return t;
    }
  }
}
