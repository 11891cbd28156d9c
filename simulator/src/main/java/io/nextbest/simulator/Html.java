package io.nextbest.simulator;

import static io.nextbest.simulator.Svg.count;
import static io.nextbest.simulator.Svg.esc;
import static io.nextbest.simulator.Svg.percent;

import io.nextbest.engine.model.Component;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link Report} as one self-contained HTML page: inline CSS, inline SVG charts, no
 * external resource of any kind, so it opens offline and can be mailed as a single file. A few
 * lines of inline script only mark, once the page has laid out, how many charts rendered (the
 * browser test reads it).
 */
final class Html {
  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#f6f7f9}
      header{background:#1f2d3d;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
      main{padding:8px 28px 40px;max-width:1500px}section{background:#fff;border-radius:8px;padding:14px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
      h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:12px 0 6px}
      .cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border-radius:8px;padding:10px 16px;min-width:150px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
      .card b{display:block;font-size:20px}.muted{color:#666}.charts{display:flex;flex-wrap:wrap;gap:16px}
      svg.chart{max-width:100%;height:auto;background:#fff}svg .title{font-weight:600;font-size:14px}svg .cat,svg .tick,svg .legend,svg .val{font-size:11px;fill:#333}
      svg .grid{stroke:#e3e6ea}table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e3e6ea;padding:3px 8px;text-align:right}
      th{background:#f0f2f5}td.l,th.l{text-align:left}.matrix td{min-width:34px}.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px}
      .side{border:1px solid #e3e6ea;border-radius:6px;padding:8px 12px}.side.baseline{border-top:4px solid #4e79a7}.side.candidate{border-top:4px solid #f28e2b}
      .customer{margin:14px 0;padding-top:8px;border-top:1px dashed #ccc}ol{margin:4px 0 4px 18px;padding:0}li{margin:3px 0}.reason{color:#555;font-size:12px}
      .tag{display:inline-block;background:#eef1f5;border-radius:4px;padding:0 6px;margin:0 4px 2px 0;font-size:12px}.warn{color:#a33}
      """;
  private static final String SCRIPT =
      """
      window.addEventListener('load',function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(s){var b=s.getBoundingClientRect();if(b.width>0&&b.height>0&&s.querySelectorAll('rect,polyline').length>0){n++;}});document.body.setAttribute('data-charts-rendered',String(n));});
      """;

  private Html() {}

  static String render(Report r) {
    StringBuilder sb = new StringBuilder(200_000);
    boolean two = r.sides().size() > 1;
    List<String> sideNames = r.sides().stream().map(s -> s.side()).toList();
    int charts = 0;
    sb.append(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    sb.append("<title>")
        .append(esc(r.title()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head>\n<body>");
    sb.append("<header><h1>")
        .append(esc(r.title()))
        .append("</h1><div>")
        .append(esc(r.inputs().population()))
        .append("</div></header><main>");

    sb.append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    card(sb, "customers", count(r.totals().customers()));
    card(sb, "bad rows", count(r.totals().badRows()));
    card(sb, "decisions", count(r.totals().decisions()));
    if (r.comparison() != null) {
      card(
          sb,
          "top action changed",
          percent(r.comparison().topActionChangedShare())
              + " ("
              + count(r.comparison().topActionChanged())
              + ")");
      card(
          sb,
          "quadrant changed",
          percent(r.comparison().quadrantChangedShare())
              + " ("
              + count(r.comparison().quadrantChanged())
              + ")");
    }
    sb.append("</div><table><tbody>");
    row(sb, "population", r.inputs().population());
    row(sb, "baseline", r.inputs().baseline() + " — " + r.inputs().baselineVersion());
    if (two) {
      row(sb, "candidate", r.inputs().candidate() + " — " + r.inputs().candidateVersion());
      row(
          sb,
          "overrides",
          r.inputs().overrides().isEmpty() ? "none" : String.join(", ", r.inputs().overrides()));
    }
    row(sb, "seed", Long.toString(r.inputs().seed()));
    if (r.inputs().journeyWeeks() > 0) {
      row(sb, "journey", r.inputs().journeyWeeks() + " weeks, " + r.inputs().journeyModel());
    }
    sb.append("</tbody></table></section>");

    sb.append("<section id=\"quadrants\"><h2>Quadrant distribution</h2><div class=\"charts\">");
    List<String> qLabels = new ArrayList<>();
    for (Quadrant q : Quadrant.values()) {
      qLabels.add(q.name() + " " + q.label());
    }
    double[][] qv = new double[r.sides().size()][4];
    for (int s = 0; s < r.sides().size(); s++) {
      for (Quadrant q : Quadrant.values()) {
        qv[s][q.ordinal()] = r.sides().get(s).quadrants().get(q.name());
      }
    }
    sb.append(
        Svg.bars(
            "chart-quadrants",
            "Customers by quadrant",
            qLabels,
            sideNames,
            qv,
            Svg.SIDE_COLOURS,
            Svg::count));
    charts++;
    sb.append(
        "</div><table><thead><tr><th class=\"l\">side</th><th>mean experience</th><th>mean engagement</th><th>mean health</th><th>with a critical gap</th><th>no action</th></tr></thead><tbody>");
    for (Report.Side s : r.sides()) {
      sb.append("<tr><td class=\"l\">")
          .append(esc(s.side()))
          .append("</td><td>")
          .append(one(s.meanExperience()))
          .append("</td><td>")
          .append(one(s.meanEngagement()))
          .append("</td><td>")
          .append(one(s.meanRelationshipHealth()))
          .append("</td><td>")
          .append(count(s.withCriticalGap()))
          .append("</td><td>")
          .append(count(s.noAction()))
          .append("</td></tr>");
    }
    sb.append("</tbody></table></section>");

    sb.append(
        "<section id=\"action-mix\"><h2>Action mix</h2><p class=\"muted\">The top-ranked action of each decision.</p><div class=\"charts\">");
    List<String> families = union(r.sides(), Report.Side::topFamilies, 20);
    sb.append(
        Svg.hbars(
            "chart-families",
            "Top action by family",
            families,
            sideNames,
            values(r.sides(), Report.Side::topFamilies, families),
            Svg.SIDE_COLOURS,
            Svg::count));
    List<String> actions = union(r.sides(), Report.Side::topActions, 15);
    sb.append(
        Svg.hbars(
            "chart-actions",
            "Top action (most frequent 15)",
            actions,
            sideNames,
            values(r.sides(), Report.Side::topActions, actions),
            Svg.SIDE_COLOURS,
            Svg::count));
    charts += 2;
    sb.append("</div></section>");

    sb.append(
        "<section id=\"suppressions\"><h2>Suppression by reason</h2><p class=\"muted\">Decisions in which each rule held back at least one candidate action.</p><div class=\"charts\">");
    List<String> rules = union(r.sides(), Report.Side::decisionsSuppressedByRule, 20);
    sb.append(
        Svg.hbars(
            "chart-suppressions",
            "Decisions with a suppression, by rule",
            rules,
            sideNames,
            values(r.sides(), Report.Side::decisionsSuppressedByRule, rules),
            Svg.SIDE_COLOURS,
            Svg::count));
    charts++;
    sb.append("</div></section>");

    if (r.comparison() != null) {
      changeMatrix(sb, r);
    }
    if (r.sides().get(0).outcome() != null) {
      charts += outcomes(sb, r, sideNames);
      charts += fidelity(sb, r, sideNames);
    }
    if (r.journey() != null) {
      charts += journey(sb, r, sideNames);
    }
    if (two) {
      sample(sb, r);
    }
    if (!r.problems().isEmpty()) {
      sb.append("<section id=\"problems\"><h2>Bad rows</h2><p>")
          .append(count(r.totals().badRows()))
          .append(" rows could not be simulated; the first ")
          .append(r.problems().size())
          .append(":</p><ol>");
      for (Problem p : r.problems()) {
        sb.append("<li>").append(esc(p.toString())).append("</li>");
      }
      sb.append("</ol></section>");
    }
    sb.append("<footer class=\"muted\" data-charts=\"")
        .append(charts)
        .append(
            "\">Generated by the NextBest simulator. Same inputs and seed, same report.</footer>");
    sb.append("</main><script>").append(SCRIPT).append("</script></body></html>\n");
    return sb.toString();
  }

  private static void changeMatrix(StringBuilder sb, Report r) {
    Report.Comparison c = r.comparison();
    sb.append(
            "<section id=\"change-matrix\"><h2>Top-action change matrix</h2><p class=\"muted\">Rows: the baseline's top action; columns: the candidate's. ")
        .append(count(c.topActionChanged()))
        .append(" of ")
        .append(count(c.compared()))
        .append(" decisions changed.</p>");
    Map<String, Long> fromTotals = new LinkedHashMap<>();
    Map<String, Long> toTotals = new LinkedHashMap<>();
    Map<String, Long> cells = new LinkedHashMap<>();
    for (Report.Move m : c.topActionMoves()) {
      fromTotals.merge(m.from(), m.customers(), Long::sum);
      toTotals.merge(m.to(), m.customers(), Long::sum);
      cells.put(m.from() + "\t" + m.to(), m.customers());
    }
    List<String> from = top(fromTotals, 12);
    List<String> to = top(toTotals, 12);
    long max = cells.values().stream().mapToLong(Long::longValue).max().orElse(1);
    sb.append("<table class=\"matrix\"><thead><tr><th class=\"l\">baseline ↓ / candidate →</th>");
    for (String t : to) {
      sb.append("<th>").append(esc(t)).append("</th>");
    }
    sb.append("<th>other</th></tr></thead><tbody>");
    for (String f : from) {
      sb.append("<tr><th class=\"l\">").append(esc(f)).append("</th>");
      long other = fromTotals.get(f);
      for (String t : to) {
        long v = cells.getOrDefault(f + "\t" + t, 0L);
        other -= v;
        heat(sb, v, max, f.equals(t));
      }
      heat(sb, other, max, false);
      sb.append("</tr>");
    }
    sb.append(
        "</tbody></table><h3>Quadrant moves</h3><table class=\"matrix\"><thead><tr><th class=\"l\">baseline ↓ / candidate →</th>");
    for (Quadrant q : Quadrant.values()) {
      sb.append("<th>").append(q.name()).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    long qmax = c.quadrantMoves().stream().mapToLong(Report.Move::customers).max().orElse(1);
    for (Quadrant a : Quadrant.values()) {
      sb.append("<tr><th class=\"l\">")
          .append(a.name())
          .append(' ')
          .append(esc(a.label()))
          .append("</th>");
      for (Report.Move m : c.quadrantMoves()) {
        if (m.from().equals(a.name())) {
          heat(sb, m.customers(), qmax, m.from().equals(m.to()));
        }
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table></section>");
  }

  private static int outcomes(StringBuilder sb, Report r, List<String> sideNames) {
    String name = r.sides().get(0).outcome().name();
    sb.append("<section id=\"outcomes\"><h2>Observed outcome: ")
        .append(esc(name))
        .append("</h2><p class=\"muted\">The population's recorded ")
        .append(esc(name))
        .append(
            ", set against where the rules put each customer: does the guidance point at the customers who actually leave?</p><div class=\"charts\">");
    List<String> labels = new ArrayList<>();
    for (Quadrant q : Quadrant.values()) {
      labels.add(q.name() + " " + q.label());
    }
    double[][] rates = new double[r.sides().size()][4];
    for (int s = 0; s < r.sides().size(); s++) {
      List<Report.Rate> byQ = r.sides().get(s).outcome().byQuadrant();
      for (int q = 0; q < 4; q++) {
        rates[s][q] = byQ.get(q).rate();
      }
    }
    sb.append(
        Svg.bars(
            "chart-outcome-quadrant",
            name + " rate by quadrant",
            labels,
            sideNames,
            rates,
            Svg.SIDE_COLOURS,
            Svg::percent));
    sb.append("</div>");
    for (Report.Side s : r.sides()) {
      Report.Outcome o = s.outcome();
      sb.append("<h3>")
          .append(esc(s.side()))
          .append(": ")
          .append(percent(o.rate()))
          .append(" of ")
          .append(count(o.customers()))
          .append("</h3><div class=\"charts\">");
      rateTable(sb, "quadrant", o.byQuadrant());
      rateTable(sb, "risk flag", o.byRiskFlag());
      rateTable(sb, "top action family", o.byTopFamily());
      sb.append("</div>");
    }
    sb.append("</section>");
    return 1;
  }

  /**
   * Does the segmentation predict the outcome, and better than one raw column? (docs/fidelity.md)
   */
  private static int fidelity(StringBuilder sb, Report r, List<String> sideNames) {
    Report.Outcome first = r.sides().get(0).outcome();
    if (first.fidelity() == null) {
      return 0;
    }
    String name = first.name();
    sb.append("<section id=\"fidelity\"><h2>Fidelity: do the indices predict ")
        .append(esc(name))
        .append("?</h2><p class=\"muted\">ROC AUC: the chance that a customer with the ")
        .append(esc(name))
        .append(
            " is ranked riskier than one without (0.5 is a coin toss; an index below 0.5 points the wrong way). Indices are read as lower = riskier; each raw column ")
        .append("is given its better direction, so it is a generous baseline. Lift: the ")
        .append(esc(name))
        .append(" rate of the riskiest fifth over the overall rate.</p><div class=\"charts\">");
    List<String> labels = new ArrayList<>();
    for (Fidelity.Predictor p : first.fidelity().indices()) {
      labels.add(p.name());
    }
    List<Fidelity.Predictor> columns = first.fidelity().columns();
    for (Fidelity.Predictor p : columns.subList(0, Math.min(8, columns.size()))) {
      labels.add("column " + p.name());
    }
    double[][] aucs = new double[r.sides().size()][labels.size()];
    for (int s = 0; s < r.sides().size(); s++) {
      Fidelity.Result f = r.sides().get(s).outcome().fidelity();
      for (int i = 0; i < labels.size(); i++) {
        String label = labels.get(i);
        List<Fidelity.Predictor> from = label.startsWith("column ") ? f.columns() : f.indices();
        String key = label.startsWith("column ") ? label.substring(7) : label;
        aucs[s][i] =
            from.stream()
                .filter(p -> p.name().equals(key))
                .mapToDouble(Fidelity.Predictor::auc)
                .findFirst()
                .orElse(0.5);
      }
    }
    sb.append(
        Svg.hbars(
            "chart-fidelity-auc",
            "ROC AUC against " + name + ": indices, then the best raw columns",
            labels,
            sideNames,
            aucs,
            Svg.SIDE_COLOURS,
            v -> String.format(java.util.Locale.ROOT, "%.3f", v)));
    sb.append("</div>");
    for (Report.Side side : r.sides()) {
      Fidelity.Result f = side.outcome().fidelity();
      sb.append("<h3>")
          .append(esc(side.side()))
          .append(": Q1 ")
          .append(esc(name))
          .append(" rate is ")
          .append(String.format(java.util.Locale.ROOT, "%.2f", f.q1OverQ4()))
          .append(" \u00d7 Q4's</h3><div class=\"charts\">");
      sb.append(
          "<table><thead><tr><th class=\"l\">predictor</th><th class=\"l\">read as</th><th>AUC</th><th>riskiest fifth</th><th>lift</th><th>blank</th></tr></thead><tbody>");
      List<Fidelity.Predictor> all = new ArrayList<>(f.indices());
      all.addAll(f.columns());
      for (Fidelity.Predictor p : all) {
        sb.append("<tr><td class=\"l\">")
            .append(esc(p.kind().equals("index") ? p.name() + " index" : p.name()))
            .append("</td><td class=\"l\">")
            .append(
                esc(p.kind().equals("text column") ? p.riskWhen() : p.riskWhen() + " is riskier"))
            .append("</td><td>")
            .append(String.format(java.util.Locale.ROOT, "%.3f", p.auc()))
            .append("</td><td>")
            .append(percent(p.riskiestFifthRate()))
            .append("</td><td>")
            .append(String.format(java.util.Locale.ROOT, "%.2f", p.lift()))
            .append("</td><td>")
            .append(count(p.missing()))
            .append("</td></tr>");
      }
      sb.append("</tbody></table>");
      sb.append(
          "<table><thead><tr><th class=\"l\">risk flag</th><th>customers</th><th>rate</th><th>unflagged</th><th>ratio</th><th>AUC</th></tr></thead><tbody>");
      for (Fidelity.FlagRate fr : f.riskFlags()) {
        sb.append("<tr><td class=\"l\">")
            .append(esc(fr.flag()))
            .append("</td><td>")
            .append(count(fr.customers()))
            .append("</td><td>")
            .append(percent(fr.rate()))
            .append("</td><td>")
            .append(percent(fr.unflaggedRate()))
            .append("</td><td>")
            .append(String.format(java.util.Locale.ROOT, "%.2f", fr.lift()))
            .append("</td><td>")
            .append(String.format(java.util.Locale.ROOT, "%.3f", fr.auc()))
            .append("</td></tr>");
      }
      sb.append("</tbody></table>");
      sb.append(
          "<table><thead><tr><th class=\"l\">profile field</th><th class=\"l\">feeds</th><th class=\"l\">columns</th></tr></thead><tbody>");
      for (Fidelity.Feed feed : f.feeds()) {
        sb.append("<tr><td class=\"l\">")
            .append(esc(feed.field()))
            .append("</td><td class=\"l\">")
            .append(esc(feed.feeds()))
            .append("</td><td class=\"l\">")
            .append(esc(String.join(", ", feed.columns())))
            .append("</td></tr>");
      }
      sb.append("</tbody></table></div>");
    }
    sb.append("</section>");
    return 1;
  }

  private static void rateTable(StringBuilder sb, String by, List<Report.Rate> rates) {
    sb.append("<table><thead><tr><th class=\"l\">")
        .append(esc(by))
        .append("</th><th>customers</th><th>positive</th><th>rate</th></tr></thead><tbody>");
    for (Report.Rate rate : rates) {
      sb.append("<tr><td class=\"l\">")
          .append(esc(rate.label()))
          .append("</td><td>")
          .append(count(rate.customers()))
          .append("</td><td>")
          .append(count(rate.positive()))
          .append("</td><td>")
          .append(percent(rate.rate()))
          .append("</td></tr>");
    }
    sb.append("</tbody></table>");
  }

  private static int journey(StringBuilder sb, Report r, List<String> sideNames) {
    Report.JourneyReport j = r.journey();
    int charts = 0;
    sb.append("<section id=\"journey\"><h2>Journey over ").append(j.weeks()).append(" weeks</h2>");
    sb.append(
        "<table><thead><tr><th class=\"l\">side</th><th>customers</th><th>sent</th><th>accepted</th><th>declined</th><th>accepted value</th><th>decisions suppressed by caps</th></tr></thead><tbody>");
    for (Report.JourneySide s : j.sides()) {
      sb.append("<tr><td class=\"l\">")
          .append(esc(s.side()))
          .append("</td><td>")
          .append(count(s.customers()))
          .append("</td><td>")
          .append(count(s.sent()))
          .append("</td><td>")
          .append(count(s.accepted()))
          .append("</td><td>")
          .append(count(s.declined()))
          .append("</td><td>")
          .append(s.acceptedValue().toPlainString())
          .append("</td><td>")
          .append(count(s.capSuppressedDecisions()))
          .append("</td></tr>");
    }
    sb.append("</tbody></table><div id=\"migration\" class=\"charts\">");
    List<String> weeks = new ArrayList<>();
    for (int w = 0; w <= j.weeks(); w++) {
      weeks.add(w == 0 ? "start" : "w" + w);
    }
    List<String> qs = new ArrayList<>();
    for (Quadrant q : Quadrant.values()) {
      qs.add(q.name() + " " + q.label());
    }
    for (Report.JourneySide s : j.sides()) {
      double[][] v = new double[4][j.weeks() + 1];
      for (Report.Week w : s.weeks()) {
        for (Quadrant q : Quadrant.values()) {
          v[q.ordinal()][w.week()] = w.quadrants().get(q.name());
        }
      }
      sb.append(
          Svg.stacked(
              "chart-migration-" + s.side(),
              "Quadrant mix week by week (" + s.side() + ")",
              weeks,
              qs,
              v,
              Svg.QUADRANT_COLOURS));
      charts++;
    }
    sb.append("</div><div class=\"charts\">");
    double[][] value = new double[j.sides().size()][j.weeks() + 1];
    double[][] capped = new double[j.sides().size()][j.weeks() + 1];
    for (int s = 0; s < j.sides().size(); s++) {
      for (Report.Week w : j.sides().get(s).weeks()) {
        value[s][w.week()] = w.acceptedValue().doubleValue();
        capped[s][w.week()] = w.capSuppressed();
      }
    }
    sb.append(
        Svg.lines(
            "chart-value",
            "Accepted value per week",
            weeks,
            sideNames,
            value,
            Svg.SIDE_COLOURS,
            v -> String.format(Locale.ROOT, "%,.0f", v)));
    sb.append(
        Svg.lines(
            "chart-caps",
            "Decisions with outreach suppressed by caps, per week",
            weeks,
            sideNames,
            capped,
            Svg.SIDE_COLOURS,
            Svg::count));
    charts += 2;
    sb.append("</div>");
    for (Report.JourneySide s : j.sides()) {
      sb.append("<h3>Migration, start → end (")
          .append(esc(s.side()))
          .append(")</h3><table class=\"matrix\"><thead><tr><th class=\"l\">start ↓ / end →</th>");
      for (Quadrant q : Quadrant.values()) {
        sb.append("<th>").append(q.name()).append("</th>");
      }
      sb.append("</tr></thead><tbody>");
      long max = s.migration().stream().mapToLong(Report.Move::customers).max().orElse(1);
      for (Quadrant a : Quadrant.values()) {
        sb.append("<tr><th class=\"l\">")
            .append(a.name())
            .append(' ')
            .append(esc(a.label()))
            .append("</th>");
        for (Report.Move m : s.migration()) {
          if (m.from().equals(a.name())) {
            heat(sb, m.customers(), max, m.from().equals(m.to()));
          }
        }
        sb.append("</tr>");
      }
      sb.append("</tbody></table>");
    }
    sb.append("</section>");
    return charts;
  }

  private static void sample(StringBuilder sb, Report r) {
    sb.append(
            "<section id=\"changed-sample\"><h2>Changed customers, side by side</h2><p class=\"muted\">A seeded sample of ")
        .append(r.changedSample().size())
        .append(" customers whose top action or quadrant differs.</p>");
    if (r.changedSample().isEmpty()) {
      sb.append("<p>No customer changed.</p>");
    }
    for (Report.Changed c : r.changedSample()) {
      sb.append("<div class=\"customer\"><h3>")
          .append(esc(c.customerId()))
          .append(" <span class=\"muted\">at ")
          .append(esc(c.asOf().toString()));
      if (c.outcome() != null) {
        sb.append(", outcome ").append(c.outcome() ? "positive" : "negative");
      }
      sb.append("</span></h3><div class=\"pair\">");
      explanation(sb, "baseline", c.baseline());
      explanation(sb, "candidate", c.candidate());
      sb.append("</div>");
      if (c.rows() != null && !c.rows().isEmpty()) {
        sb.append("<ul class=\"muted rows\">");
        for (io.nextbest.engine.registry.DecisionPreview.RowCause rc : c.rows()) {
          sb.append("<li>").append(esc(rc.description()));
          for (String changed : rc.changed()) {
            sb.append("; ").append(esc(changed));
          }
          sb.append("</li>");
        }
        sb.append("</ul>");
      }
      sb.append("</div>");
    }
    sb.append("</section>");
  }

  private static void explanation(StringBuilder sb, String side, Decision d) {
    sb.append("<div class=\"side ")
        .append(side)
        .append("\"><b>")
        .append(esc(side))
        .append("</b> <span class=\"muted\">")
        .append(esc(d.ruleSetVersion()))
        .append("</span><br>");
    sb.append("<span class=\"tag\">")
        .append(d.segment().quadrant().name())
        .append(' ')
        .append(esc(d.segment().label()))
        .append("</span>");
    sb.append("<span class=\"tag\">experience ")
        .append(one(d.indices().experience().value()))
        .append("</span>");
    sb.append("<span class=\"tag\">engagement ")
        .append(one(d.indices().engagement().value()))
        .append("</span>");
    for (Flag f : d.indices().riskFlags()) {
      sb.append("<span class=\"tag warn\">").append(esc(f.code())).append("</span>");
    }
    for (CriticalGap g : d.criticalGaps()) {
      sb.append("<div class=\"warn\">gap: ").append(esc(g.description())).append("</div>");
    }
    StringBuilder parts = new StringBuilder();
    for (Component c : d.indices().experience().components()) {
      if (c.score() != null) {
        parts.append(c.name()).append(' ').append(one(c.score())).append("; ");
      }
    }
    sb.append("<div class=\"reason\">experience from ")
        .append(esc(parts.toString()))
        .append("</div>");
    if (d.actions().isEmpty()) {
      sb.append("<p>No action.</p>");
    } else {
      sb.append("<ol>");
      for (RecommendedAction a : d.actions().subList(0, Math.min(3, d.actions().size()))) {
        sb.append("<li><b>")
            .append(esc(a.actionId()))
            .append("</b> via ")
            .append(a.channel())
            .append(" — ")
            .append(esc(a.explanation().summary()));
        sb.append(" <span class=\"muted\">(priority ")
            .append(String.format(Locale.ROOT, "%.2f", a.priority()))
            .append(")</span>");
        for (Reason reason : a.explanation().reasons()) {
          sb.append("<div class=\"reason\">")
              .append(esc(reason.rule()))
              .append(' ')
              .append(esc(String.join(" ", reason.guidance())))
              .append(": ")
              .append(esc(reason.text()))
              .append("</div>");
        }
        sb.append("</li>");
      }
      sb.append("</ol>");
    }
    Map<String, Long> held = new java.util.TreeMap<>();
    for (SuppressedAction s : d.suppressed()) {
      s.by().forEach(b -> held.merge(b.rule(), 1L, Long::sum));
    }
    if (!held.isEmpty()) {
      sb.append("<div class=\"reason\">held back: ");
      held.forEach((rule, n) -> sb.append(esc(rule)).append(" ×").append(n).append("; "));
      sb.append("</div>");
    }
    sb.append("</div>");
  }

  private static void heat(StringBuilder sb, long v, long max, boolean diagonal) {
    double a = max == 0 ? 0 : Math.sqrt((double) v / max);
    String bg =
        v == 0
            ? "#fff"
            : diagonal
                ? String.format(Locale.ROOT, "rgba(120,120,120,%.2f)", 0.1 + 0.4 * a)
                : String.format(Locale.ROOT, "rgba(242,142,43,%.2f)", 0.15 + 0.75 * a);
    sb.append("<td style=\"background:")
        .append(bg)
        .append("\">")
        .append(v == 0 ? "" : count(v))
        .append("</td>");
  }

  private static List<String> union(
      List<Report.Side> sides,
      java.util.function.Function<Report.Side, Map<String, Long>> f,
      int limit) {
    Map<String, Long> max = new LinkedHashMap<>();
    for (Report.Side s : sides) {
      f.apply(s).forEach((k, v) -> max.merge(k, v, Math::max));
    }
    return top(max, limit);
  }

  private static List<String> top(Map<String, Long> totals, int limit) {
    List<String> keys = new ArrayList<>(totals.keySet());
    keys.sort(Comparator.comparing((String k) -> -totals.get(k)).thenComparing(k -> k));
    Set<String> out = new LinkedHashSet<>(keys.subList(0, Math.min(limit, keys.size())));
    return new ArrayList<>(out);
  }

  private static double[][] values(
      List<Report.Side> sides,
      java.util.function.Function<Report.Side, Map<String, Long>> f,
      List<String> keys) {
    double[][] v = new double[sides.size()][keys.size()];
    for (int s = 0; s < sides.size(); s++) {
      Map<String, Long> m = f.apply(sides.get(s));
      for (int k = 0; k < keys.size(); k++) {
        v[s][k] = m.getOrDefault(keys.get(k), 0L);
      }
    }
    return v;
  }

  private static void card(StringBuilder sb, String label, String value) {
    sb.append("<div class=\"card\"><b>")
        .append(esc(value))
        .append("</b><span class=\"muted\">")
        .append(esc(label))
        .append("</span></div>");
  }

  private static void row(StringBuilder sb, String label, String value) {
    sb.append("<tr><th class=\"l\">")
        .append(esc(label))
        .append("</th><td class=\"l\">")
        .append(esc(value))
        .append("</td></tr>");
  }

  private static String one(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
