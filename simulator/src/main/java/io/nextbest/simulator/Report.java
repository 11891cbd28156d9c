package io.nextbest.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.engine.Json;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Quadrant;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic report: what went in, and every aggregate that came out. The same inputs and
 * seed give the same report, byte for byte; timings live in {@link RunInfo} instead. Written as
 * {@code report.json} and rendered as {@code report.html}.
 */
record Report(
    String title,
    Inputs inputs,
    Totals totals,
    List<Problem> problems,
    List<Side> sides,
    Comparison comparison,
    JourneyReport journey,
    List<Changed> changedSample) {

  static final String[] SIDE_NAMES = {"baseline", "candidate"};

  record Inputs(
      String population,
      String outcome,
      String baseline,
      String baselineVersion,
      String candidate,
      String candidateVersion,
      List<String> overrides,
      long seed,
      long limit,
      int journeyWeeks,
      JourneyModel journeyModel,
      int sampleSize) {}

  record Totals(
      long customers,
      long badRows,
      long staticDecisionsPerSide,
      long journeyDecisions,
      long decisions) {}

  record Rate(String key, String label, long customers, long positive, double rate) {}

  record Outcome(
      String name,
      long customers,
      long positive,
      double rate,
      List<Rate> byQuadrant,
      List<Rate> byRiskFlag,
      List<Rate> byTopFamily,
      Fidelity.Result fidelity) {}

  record Side(
      String side,
      String ruleSet,
      long decisions,
      Map<String, Long> quadrants,
      long noAction,
      long withCriticalGap,
      double meanExperience,
      double meanEngagement,
      double meanRelationshipHealth,
      List<Long> experienceHistogram,
      List<Long> engagementHistogram,
      Map<String, Long> topActions,
      Map<String, Long> topFamilies,
      Map<String, Long> topChannels,
      Map<String, Long> recommended,
      Map<String, Long> suppressionsByRule,
      Map<String, Long> decisionsSuppressedByRule,
      Map<String, Long> riskFlags,
      Map<String, Long> trendFlags,
      Map<String, Long> criticalGaps,
      Outcome outcome) {}

  record Move(String from, String to, long customers) {}

  record Comparison(
      long compared,
      long topActionChanged,
      double topActionChangedShare,
      long quadrantChanged,
      double quadrantChangedShare,
      List<Move> quadrantMoves,
      List<Move> topActionMoves) {}

  record Week(
      int week,
      Map<String, Long> quadrants,
      long decisions,
      long sent,
      long accepted,
      long declined,
      BigDecimal acceptedValue,
      long capSuppressed,
      long heldByGap) {}

  record JourneySide(
      String side,
      long customers,
      long sent,
      long accepted,
      long declined,
      BigDecimal acceptedValue,
      long capSuppressedDecisions,
      Map<String, Long> capSuppressionsByRule,
      Map<String, Long> sentByFamily,
      Map<String, Long> acceptedByFamily,
      List<Move> migration,
      List<Week> weeks) {}

  record JourneyReport(int weeks, List<JourneySide> sides) {}

  /**
   * A changed decision, with the decision-table rows that moved it (rows selected differently, or
   * changed between the sides).
   */
  record Changed(
      String customerId,
      Instant asOf,
      Boolean outcome,
      Decision baseline,
      Decision candidate,
      List<io.nextbest.engine.registry.DecisionPreview.RowCause> rows) {}

  static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  static double share(long part, long whole) {
    return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
  }

  static Report of(
      SimulationSpec spec,
      Sides sides,
      String population,
      String outcomeName,
      Tally t,
      Sample sample) {
    return of(spec, sides, population, outcomeName, Map.of(), t, sample);
  }

  static Report of(
      SimulationSpec spec,
      Sides sides,
      String population,
      String outcomeName,
      Map<String, java.util.SortedSet<String>> feeds,
      Tally t,
      Sample sample) {
    Inputs inputs =
        new Inputs(
            population,
            outcomeName,
            spec.baseline().toString(),
            sides.label(0),
            sides.count() > 1
                ? (spec.candidate() == null
                    ? spec.baseline().toString()
                    : spec.candidate().toString())
                : null,
            sides.count() > 1 ? sides.label(1) : null,
            spec.overrides(),
            spec.seed(),
            spec.limit(),
            spec.journeyWeeks(),
            spec.journeyWeeks() > 0 ? spec.journey() : null,
            spec.sampleSize());
    long journeyDecisions = 0;
    if (t.journeys != null) {
      for (Tally.JourneyTally j : t.journeys) {
        journeyDecisions += j.totalDecisions();
      }
    }
    long staticPerSide = t.sides[0].decisions;
    Totals totals =
        new Totals(
            t.customers,
            t.badRows,
            staticPerSide,
            journeyDecisions,
            staticPerSide * sides.count() + journeyDecisions);
    List<Side> sideReports = new ArrayList<>();
    for (int i = 0; i < sides.count(); i++) {
      sideReports.add(side(SIDE_NAMES[i], sides.label(i), t.sides[i], outcomeName, t, feeds));
    }
    Comparison comparison = null;
    if (sides.count() > 1) {
      List<Move> qm = new ArrayList<>();
      for (Quadrant a : Quadrant.values()) {
        for (Quadrant b : Quadrant.values()) {
          qm.add(new Move(a.name(), b.name(), t.quadrantMoves[a.ordinal()][b.ordinal()]));
        }
      }
      List<Move> am = new ArrayList<>();
      t.topChanges
          .sorted()
          .forEach(
              (k, v) -> {
                int tab = k.indexOf('\t');
                am.add(new Move(k.substring(0, tab), k.substring(tab + 1), v));
              });
      am.sort(
          Comparator.comparing((Move m) -> -m.customers())
              .thenComparing(Move::from)
              .thenComparing(Move::to));
      comparison =
          new Comparison(
              t.compared,
              t.changedTop,
              share(t.changedTop, t.compared),
              t.changedQuadrant,
              share(t.changedQuadrant, t.compared),
              qm,
              am);
    }
    JourneyReport journey = null;
    if (t.journeys != null) {
      List<JourneySide> js = new ArrayList<>();
      for (int i = 0; i < sides.count(); i++) {
        js.add(journeySide(SIDE_NAMES[i], t.journeys[i]));
      }
      journey = new JourneyReport(spec.journeyWeeks(), js);
    }
    List<Changed> changed = new ArrayList<>();
    io.nextbest.engine.registry.SemanticDiff.Result diff =
        sides.count() > 1 && !sample.entries().isEmpty()
            ? io.nextbest.engine.registry.SemanticDiff.between(
                0, sides.ruleSet(0).source(), 1, sides.ruleSet(1).source())
            : null;
    for (Sample.Entry e : sample.entries()) {
      List<io.nextbest.engine.registry.DecisionPreview.RowCause> rows =
          io.nextbest.engine.registry.DecisionPreview.causes(
              sides.ruleSet(0), e.baseline(), sides.ruleSet(1), e.candidate(), diff);
      changed.add(
          new Changed(
              e.customerId(),
              e.asOf(),
              e.outcome(),
              untimed(e.baseline()),
              untimed(e.candidate()),
              rows));
    }
    return new Report(
        "NextBest simulation",
        inputs,
        totals,
        List.copyOf(t.problems),
        sideReports,
        comparison,
        journey,
        changed);
  }

  /** The decision without its evaluation time, which differs on every run. */
  private static Decision untimed(Decision d) {
    return new Decision(
        d.decisionId(),
        d.ruleSetVersion(),
        d.customerId(),
        d.asOf(),
        d.indices(),
        d.segment(),
        d.contact(),
        d.criticalGaps(),
        d.actions(),
        d.suppressed(),
        0);
  }

  private static Side side(
      String name,
      String version,
      Tally.SideTally s,
      String outcomeName,
      Tally t,
      Map<String, java.util.SortedSet<String>> feeds) {
    Map<String, Long> quadrants = new LinkedHashMap<>();
    for (Quadrant q : Quadrant.values()) {
      quadrants.put(q.name(), s.quadrant[q.ordinal()]);
    }
    Outcome outcome = null;
    if (outcomeName != null && s.outcome[0] > 0) {
      List<Rate> byQuadrant = new ArrayList<>();
      for (Quadrant q : Quadrant.values()) {
        long[] o = s.outcomeByQuadrant[q.ordinal()];
        byQuadrant.add(new Rate(q.name(), q.label(), o[0], o[1], share(o[1], o[0])));
      }
      outcome =
          new Outcome(
              outcomeName,
              s.outcome[0],
              s.outcome[1],
              share(s.outcome[1], s.outcome[0]),
              byQuadrant,
              rates(s.outcomeFlagCustomers, s.outcomeFlagPositive),
              rates(s.outcomeFamilyCustomers, s.outcomeFamilyPositive),
              Fidelity.of(s, t, feeds));
    }
    long n = Math.max(1, s.decisions);
    return new Side(
        name,
        version,
        s.decisions,
        quadrants,
        s.noAction,
        s.withGap,
        mean(s.experienceTenths, n),
        mean(s.engagementTenths, n),
        mean(s.healthTenths, n),
        list(s.experienceHistogram),
        list(s.engagementHistogram),
        s.topAction.sorted(),
        s.topFamily.sorted(),
        s.topChannel.sorted(),
        s.recommended.sorted(),
        s.suppressions.sorted(),
        s.suppressedDecisions.sorted(),
        s.riskFlags.sorted(),
        s.trendFlags.sorted(),
        s.gaps.sorted(),
        outcome);
  }

  /** A mean of values held in tenths, to two decimals. */
  private static double mean(long tenths, long n) {
    return Math.round(tenths * 10.0 / n) / 100.0;
  }

  private static List<Rate> rates(Counts customers, Counts positive) {
    List<Rate> out = new ArrayList<>();
    customers
        .sorted()
        .forEach((k, v) -> out.add(new Rate(k, k, v, positive.get(k), share(positive.get(k), v))));
    return out;
  }

  private static JourneySide journeySide(String name, Tally.JourneyTally j) {
    List<Week> weeks = new ArrayList<>();
    long sent = 0;
    long accepted = 0;
    long declined = 0;
    long cents = 0;
    long capped = 0;
    for (int w = 0; w <= j.weeks; w++) {
      Map<String, Long> q = new LinkedHashMap<>();
      for (Quadrant quadrant : Quadrant.values()) {
        q.put(quadrant.name(), j.quadrantByWeek[w][quadrant.ordinal()]);
      }
      weeks.add(
          new Week(
              w,
              q,
              j.decisions[w],
              j.sent[w],
              j.accepted[w],
              j.declined[w],
              money(j.valueCents[w]),
              j.capSuppressed[w],
              j.gapHeld[w]));
      sent += j.sent[w];
      accepted += j.accepted[w];
      declined += j.declined[w];
      cents += j.valueCents[w];
      capped += j.capSuppressed[w];
    }
    List<Move> migration = new ArrayList<>();
    for (Quadrant a : Quadrant.values()) {
      for (Quadrant b : Quadrant.values()) {
        migration.add(new Move(a.name(), b.name(), j.migration[a.ordinal()][b.ordinal()]));
      }
    }
    return new JourneySide(
        name,
        j.customers,
        sent,
        accepted,
        declined,
        money(cents),
        capped,
        j.capRules.sorted(),
        j.sentByFamily.sorted(),
        j.acceptedByFamily.sorted(),
        migration,
        weeks);
  }

  private static List<Long> list(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }

  /** Map entries sorted by key (rule evidence comes in hash order) and indented: stable bytes. */
  static ObjectMapper mapper() {
    return Json.mapper()
        .copy()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  }

  void writeJson(OutputStream out) throws IOException {
    mapper().writeValue(out, this);
  }
}
