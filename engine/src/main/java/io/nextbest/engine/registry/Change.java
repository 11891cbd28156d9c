package io.nextbest.engine.registry;

/**
 * One semantic difference between two rule-set versions.
 *
 * @param kind MODEL_ADDED, MODEL_REMOVED, DECISION_ADDED, DECISION_REMOVED, HIT_POLICY_CHANGED,
 *     ROW_ADDED, ROW_REMOVED, CELL_CHANGED, THRESHOLD_MOVED, EXPRESSION_CHANGED, VALUE_CHANGED,
 *     VALUE_ADDED, VALUE_REMOVED, FILE_ADDED, FILE_REMOVED, FILE_CHANGED
 * @param location model and decision for DMN, a JSON path for data files, null otherwise
 * @param row the decision-table row (1-based, as the editor numbers them) and its rule id
 * @param column the input or output column it concerns
 */
public record Change(String file, String kind, String location, String row, String column, String before, String after, String description) {}
