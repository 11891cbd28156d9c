package io.nextbest.simulator;

import static io.nextbest.simulator.Svg.count;
import static io.nextbest.simulator.Svg.percent;

import io.nextbest.engine.model.Quadrant;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The few lines the CLI prints when a run ends. */
final class Summary {
  private Summary() {}

  /**
   * The fidelity report in a few lines: does the segmentation predict the outcome better than one
   * column?
   */
  static void fidelity(PrintStream out, Report.Outcome o) {
    Fidelity.Result f = o.fidelity();
    if (f == null) {
      return;
    }
    StringBuilder idx = new StringBuilder();
    for (Fidelity.Predictor p : f.indices()) {
      idx.append(String.format(Locale.ROOT, "%s %.3f (lift %.2f)  ", p.name(), p.auc(), p.lift()));
    }
    out.printf(
        Locale.ROOT,
        "            %s AUC of each index (lower = riskier): %s%n",
        o.name(),
        idx.toString().strip());
    out.printf(Locale.ROOT, "            Q1 %s rate is %.2f x Q4's%n", o.name(), f.q1OverQ4());
    for (Fidelity.FlagRate r : f.riskFlags()) {
      out.printf(
          Locale.ROOT,
          "            flag %-26s %s of %s, %s %s vs %s unflagged (x%.2f), AUC %.3f%n",
          r.flag(),
          count(r.customers()),
          count(o.customers()),
          o.name(),
          percent(r.rate()),
          percent(r.unflaggedRate()),
          r.lift(),
          r.auc());
    }
    List<Fidelity.Predictor> best = f.columns().subList(0, Math.min(3, f.columns().size()));
    out.printf(
        Locale.ROOT,
        "            best raw columns as a baseline: %s%n",
        String.join(
            ", ",
            best.stream()
                .map(
                    p ->
                        String.format(Locale.ROOT, "%s %.3f (%s)", p.name(), p.auc(), p.riskWhen()))
                .toList()));
  }

  static void print(PrintStream out, SimulationResult result, Report report) {
    RunInfo run = result.run();
    out.printf(
        Locale.ROOT,
        "Simulated %s customers (%s bad rows) in %.1f s, rule sets compiled in %.1f s%n",
        count(result.customers()),
        count(result.badRows()),
        run.elapsed().toMillis() / 1000.0,
        run.compile().toMillis() / 1000.0);
    for (Report.Side s : report.sides()) {
      StringBuilder q = new StringBuilder();
      for (Quadrant quadrant : Quadrant.values()) {
        q.append(quadrant.name())
            .append(' ')
            .append(count(s.quadrants().get(quadrant.name())))
            .append("  ");
      }
      List<Map.Entry<String, Long>> tops =
          s.topActions().entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue()
                      .reversed()
                      .thenComparing(Map.Entry.comparingByKey()))
              .limit(3)
              .toList();
      out.printf(
          Locale.ROOT,
          "  %-9s %s%n            %s%n            top actions: %s%n",
          s.side(),
          s.ruleSet(),
          q.toString().strip(),
          String.join(
              ", ", tops.stream().map(e -> e.getKey() + " " + count(e.getValue())).toList()));
      if (s.outcome() != null) {
        StringBuilder o = new StringBuilder();
        for (Report.Rate r : s.outcome().byQuadrant()) {
          o.append(r.key()).append(' ').append(percent(r.rate())).append("  ");
        }
        out.printf(
            Locale.ROOT,
            "            %s rate by quadrant: %s%n",
            s.outcome().name(),
            o.toString().strip());
        fidelity(out, s.outcome());
      }
    }
    if (report.comparison() != null) {
      Report.Comparison c = report.comparison();
      out.printf(
          Locale.ROOT,
          "  top action changed for %s decisions (%s), quadrant for %s (%s)%n",
          count(c.topActionChanged()),
          percent(c.topActionChangedShare()),
          count(c.quadrantChanged()),
          percent(c.quadrantChangedShare()));
    }
    if (report.journey() != null) {
      for (Report.JourneySide j : report.journey().sides()) {
        out.printf(
            Locale.ROOT,
            "  journey %-9s sent %s, accepted %s (value %s), %s decisions suppressed by caps%n",
            j.side(),
            count(j.sent()),
            count(j.accepted()),
            j.acceptedValue().toPlainString(),
            count(j.capSuppressedDecisions()));
      }
    }
    out.printf(
        Locale.ROOT,
        "  speed: %,.0f static decisions/s per side, %,.0f decisions/s in all, %d threads on %d cores; peak heap after GC %.0f MB of %.0f MB%n",
        run.staticDecisionsPerSecondPerSide(),
        run.decisionsPerSecond(),
        run.threads(),
        run.processors(),
        run.peakLiveHeapBytes() / 1e6,
        run.maxHeapBytes() / 1e6);
    for (Problem p : result.problems().subList(0, Math.min(5, result.problems().size()))) {
      out.println("  bad row: " + p);
    }
    out.println(
        "  reports: "
            + result.html()
            + ", "
            + result.json()
            + ", "
            + result.csv()
            + ", "
            + result.runJson());
  }
}
