package io.nextbest.engine.registry;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a candidate version would decide for one customer against the active version: both decisions
 * made on the same context (catalogue priors on both sides, so only the rules differ), what differs
 * (quadrant, ranking, suppressions, contact limits), and the decision-table rows that made it
 * differ — rows one side selected and the other did not, and rows both selected whose cells the
 * candidate changed.
 *
 * @param candidate the candidate's side
 * @param active the active version's side
 * @param differences what the customer would see differently; empty when both decide alike
 * @param causes the rows behind the differences, by table
 */
public record DecisionPreview(
    Side candidate, Side active, List<Difference> differences, List<RowCause> causes) {
  public DecisionPreview {
    differences = List.copyOf(differences);
    causes = List.copyOf(causes);
  }

  /** One side: the version, its label, the decision and the rows its tables matched. */
  public record Side(
      int version, String label, Decision decision, List<DmnEvaluator.TableMatch> rows) {}

  /** One aspect that differs: quadrant, ranking, suppressions or contact limits. */
  public record Difference(String aspect, String active, String candidate, String description) {}

  /**
   * A table whose selected rows differ between the sides, or whose selected row the candidate
   * changed: the rows (number and id) each side selected, and the analyst's names for them.
   */
  public record RowCause(
      String model,
      String decision,
      String table,
      List<String> activeRows,
      List<String> candidateRows,
      List<String> changed,
      String description) {}

  /** Decides {@code context} on both versions and compares. */
  public static DecisionPreview of(
      int activeSeq,
      String activeLabel,
      RuleSet active,
      int candidateSeq,
      String candidateLabel,
      RuleSet candidate,
      CustomerContext context,
      SemanticDiff.Result diff) {
    CustomerContext ctx = context.asOf() == null ? context.withAsOf(Instant.now()) : context;
    Side a = side(activeSeq, activeLabel, active, ctx);
    Side c = side(candidateSeq, candidateLabel, candidate, ctx);
    return new DecisionPreview(
        c, a, differences(a.decision(), c.decision()), causes(a.rows(), c.rows(), diff));
  }

  /**
   * The rows that made two decisions on the same context differ: per table, the rows each side
   * selected when they differ, and the candidate's selected rows that {@code diff} lists as
   * changed.
   */
  public static List<RowCause> causes(
      RuleSet active,
      Decision onActive,
      RuleSet candidate,
      Decision onCandidate,
      SemanticDiff.Result diff) {
    return causes(
        DmnEvaluator.matchedRows(active, onActive),
        DmnEvaluator.matchedRows(candidate, onCandidate),
        diff);
  }

  private static Side side(int seq, String label, RuleSet rs, CustomerContext ctx) {
    Decision d = DecisionEngine.builder().ruleSet(rs).build().decide(ctx, rs);
    return new Side(seq, label, d, DmnEvaluator.matchedRows(rs, d));
  }

  private static List<Difference> differences(Decision a, Decision c) {
    List<Difference> out = new ArrayList<>();
    if (a.segment().quadrant() != c.segment().quadrant()) {
      out.add(
          new Difference(
              "quadrant",
              a.segment().quadrant().name(),
              c.segment().quadrant().name(),
              "quadrant "
                  + a.segment().quadrant()
                  + " ("
                  + a.segment().label()
                  + ") becomes "
                  + c.segment().quadrant()
                  + " ("
                  + c.segment().label()
                  + ")"));
    }
    String ra = ranking(a);
    String rc = ranking(c);
    if (!ra.equals(rc)) {
      String top =
          Objects.equals(
                  a.top().map(RecommendedAction::actionId),
                  c.top().map(RecommendedAction::actionId))
              ? "the same top action, another order"
              : "top action "
                  + a.top().map(RecommendedAction::actionId).orElse("none")
                  + " becomes "
                  + c.top().map(RecommendedAction::actionId).orElse("none");
      out.add(new Difference("ranking", ra, rc, top));
    }
    Set<String> sa = suppressed(a);
    Set<String> sc = suppressed(c);
    if (!sa.equals(sc)) {
      Set<String> added = new TreeSet<>(sc);
      added.removeAll(sa);
      Set<String> lifted = new TreeSet<>(sa);
      lifted.removeAll(sc);
      out.add(
          new Difference(
              "suppressions",
              String.join(", ", sa),
              String.join(", ", sc),
              (added.isEmpty() ? "" : "newly suppressed: " + String.join(", ", added))
                  + (added.isEmpty() || lifted.isEmpty() ? "" : "; ")
                  + (lifted.isEmpty()
                      ? ""
                      : "no longer suppressed: " + String.join(", ", lifted))));
    }
    String ca = a.contact().max7Days() + "/7d, " + a.contact().max30Days() + "/30d";
    String cc = c.contact().max7Days() + "/7d, " + c.contact().max30Days() + "/30d";
    if (!ca.equals(cc)) {
      out.add(new Difference("contact limits", ca, cc, "outreach limits " + ca + " become " + cc));
    }
    return out;
  }

  private static String ranking(Decision d) {
    return d.actions().stream()
        .map(x -> x.rank() + ":" + x.actionId())
        .collect(Collectors.joining(", "));
  }

  private static Set<String> suppressed(Decision d) {
    return d.suppressed().stream()
        .map(SuppressedAction::actionId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<RowCause> causes(
      List<DmnEvaluator.TableMatch> aRows,
      List<DmnEvaluator.TableMatch> cRows,
      SemanticDiff.Result diff) {
    Map<String, List<Change>> changedById =
        diff.changes().stream()
            .filter(x -> x.rowId() != null)
            .collect(Collectors.groupingBy(Change::rowId));
    List<RowCause> out = new ArrayList<>();
    Set<String> tables = new LinkedHashSet<>();
    aRows.forEach(t -> tables.add(t.table()));
    cRows.forEach(t -> tables.add(t.table()));
    for (String table : tables) {
      DmnEvaluator.TableMatch ta = find(aRows, table);
      DmnEvaluator.TableMatch tc = find(cRows, table);
      List<String> ra = selected(ta);
      List<String> rc = selected(tc);
      List<String> changed = new ArrayList<>();
      for (DmnEvaluator.RowMatch r : tc == null ? List.<DmnEvaluator.RowMatch>of() : tc.matched()) {
        if (r.selected() && r.id() != null && changedById.containsKey(r.id())) {
          changedById.get(r.id()).forEach(x -> changed.add(x.description()));
        }
      }
      if (ra.equals(rc) && changed.isEmpty()) {
        continue;
      }
      DmnEvaluator.TableMatch any = tc != null ? tc : ta;
      String description =
          !ra.equals(rc)
              ? any.decision()
                  + ": the active version selects "
                  + (ra.isEmpty() ? "no row" : String.join(", ", ra))
                  + ", the candidate "
                  + (rc.isEmpty() ? "no row" : String.join(", ", rc))
              : any.decision() + ": the same rows, changed in the candidate";
      out.add(new RowCause(any.model(), any.decision(), table, ra, rc, changed, description));
    }
    return out;
  }

  private static DmnEvaluator.TableMatch find(List<DmnEvaluator.TableMatch> rows, String table) {
    return rows.stream().filter(t -> Objects.equals(t.table(), table)).findFirst().orElse(null);
  }

  private static List<String> selected(DmnEvaluator.TableMatch t) {
    if (t == null) {
      return List.of();
    }
    return t.matched().stream()
        .filter(DmnEvaluator.RowMatch::selected)
        .map(r -> "row " + r.row() + (r.id() == null ? "" : " [" + r.id() + "]"))
        .toList();
  }
}
