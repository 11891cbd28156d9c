package io.nextbest.engine.registry;

/**
 * One semantic difference between two rule-set versions.
 *
 * @param kind MODEL_ADDED, MODEL_REMOVED, DECISION_ADDED, DECISION_REMOVED, HIT_POLICY_CHANGED,
 *     ROW_ADDED, ROW_REMOVED, CELL_CHANGED, THRESHOLD_MOVED, ANNOTATION_CHANGED,
 *     EXPRESSION_CHANGED, VALUE_CHANGED, VALUE_ADDED, VALUE_REMOVED, FILE_ADDED, FILE_REMOVED,
 *     FILE_CHANGED
 * @param location model and decision for DMN, a JSON path for data files, null otherwise
 * @param row the decision-table row as the analyst reads it: its number (1-based, as the editor
 *     numbers them) and its input entries, e.g. {@code row 3 (Quadrant = "Q3", Experience Index <
 *     40)}
 * @param column the input or output column it concerns ({@code annotation} for a changed
 *     description)
 * @param rowId the row's rule id in the version the change leads to (the earlier one for a removed
 *     row)
 */
public record Change(
    String file,
    String kind,
    String location,
    String row,
    String column,
    String before,
    String after,
    String description,
    String rowId) {
  /** A change that concerns no decision-table row. */
  public Change(
      String file,
      String kind,
      String location,
      String row,
      String column,
      String before,
      String after,
      String description) {
    this(file, kind, location, row, column, before, after, description, null);
  }
}
