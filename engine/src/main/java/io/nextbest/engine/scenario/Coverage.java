package io.nextbest.engine.scenario;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.DmnXml;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.model.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which decision-table rows a version's scenarios exercise: each scenario is decided as the gate
 * decides it, and the rows its DMN policies selected (not merely matched: a FIRST table's later
 * matches did not decide anything) are credited to it. A row no scenario selects is uncovered.
 *
 * @param version the version's label
 * @param rows how many rows the version's tables have
 * @param covered how many of them at least one scenario selects
 * @param tables every table with, per row, the scenarios that select it
 * @param uncovered the rows no scenario selects, in table order
 */
public record Coverage(
    String version, int rows, int covered, List<TableCoverage> tables, List<RowRef> uncovered) {
  public Coverage {
    tables = List.copyOf(tables);
    uncovered = List.copyOf(uncovered);
  }

  /** One table, its column labels, its rows and who covers them. */
  public record TableCoverage(
      String model,
      String decision,
      String table,
      String hitPolicy,
      List<String> inputs,
      List<String> outputs,
      List<RowCoverage> rows) {}

  /**
   * A row, named by its input entries, its cells, with the scenarios that select it (empty:
   * uncovered).
   */
  public record RowCoverage(
      int row,
      String id,
      String name,
      List<String> inputs,
      List<String> outputs,
      String annotation,
      List<String> scenarios) {}

  /** A row by model, decision, number, id and name. */
  public record RowRef(String model, String decision, int row, String id, String name) {}

  /**
   * Decides every scenario on {@code ruleSet} (catalogue priors, as the gate does) and credits the
   * rows it selects.
   */
  public static Coverage of(RuleSet ruleSet, List<Scenario> scenarios) {
    DecisionEngine probe = DecisionEngine.builder().ruleSet(ruleSet).build();
    Map<String, Set<String>> byRow = new LinkedHashMap<>();
    for (Scenario s : scenarios) {
      Decision d;
      try {
        d = probe.decide(s.context(), ruleSet);
      } catch (RuntimeException e) {
        continue; // a scenario that cannot decide covers nothing; the gate reports it as failed
      }
      for (DmnEvaluator.TableMatch t : DmnEvaluator.matchedRows(ruleSet, d)) {
        for (DmnEvaluator.RowMatch r : t.matched()) {
          if (r.selected() && r.id() != null) {
            byRow.computeIfAbsent(r.id(), k -> new LinkedHashSet<>()).add(s.name());
          }
        }
      }
    }
    List<TableCoverage> tables = new ArrayList<>();
    List<RowRef> uncovered = new ArrayList<>();
    int rows = 0;
    int covered = 0;
    for (DmnEvaluator.TableInfo t : DmnEvaluator.tables(ruleSet)) {
      List<RowCoverage> rc = new ArrayList<>();
      for (DmnEvaluator.RowInfo r : t.rows()) {
        String name = DmnXml.rowName(t.inputs(), r.inputs());
        List<String> who = List.copyOf(byRow.getOrDefault(r.id(), Set.of()));
        rc.add(
            new RowCoverage(r.row(), r.id(), name, r.inputs(), r.outputs(), r.annotation(), who));
        rows++;
        if (who.isEmpty()) {
          uncovered.add(new RowRef(t.model(), t.decision(), r.row(), r.id(), name));
        } else {
          covered++;
        }
      }
      tables.add(
          new TableCoverage(
              t.model(),
              t.decision(),
              t.table(),
              t.hitPolicy(),
              t.inputs(),
              t.outputs(),
              List.copyOf(rc)));
    }
    return new Coverage(ruleSet.version(), rows, covered, tables, uncovered);
  }

  /** Whether at least one scenario selects the row with this rule id. */
  public boolean covers(String rowId) {
    for (TableCoverage t : tables) {
      for (RowCoverage r : t.rows()) {
        if (r.id() != null && r.id().equals(rowId)) {
          return !r.scenarios().isEmpty();
        }
      }
    }
    return false;
  }
}
