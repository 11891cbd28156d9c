package io.nextbest.engine;

import io.nextbest.engine.DmnEvaluator.RowMatch;
import io.nextbest.engine.DmnEvaluator.TableMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.RuleAnnotation;

/**
 * Which decision-table rows matched, from the DMN runtime's own events (afterEvaluateDecisionTable:
 * the rules whose inputs matched, and those the hit policy selected). One listener per runtime,
 * silent unless the evaluating thread asked to {@link #collect} — so decisions that do not ask pay
 * one thread-local read per table evaluated.
 */
final class MatchedRows implements DMNRuntimeEventListener {
  static final MatchedRows LISTENER = new MatchedRows();

  private static final ThreadLocal<List<Raw>> COLLECTING = new ThreadLocal<>();

  /** One table evaluation as the runtime reported it: 1-based rule indices. */
  record Raw(String node, String tableId, List<Integer> matches, List<Integer> selected) {}

  /** What {@code work} returned and every table evaluation it caused, in order. */
  record Collected<T>(T value, List<Raw> tables) {}

  private MatchedRows() {}

  @Override
  public void afterEvaluateDecisionTable(AfterEvaluateDecisionTableEvent event) {
    List<Raw> into = COLLECTING.get();
    if (into != null) {
      into.add(
          new Raw(
              event.getNodeName(),
              event.getDecisionTableId(),
              List.copyOf(nonNull(event.getMatches())),
              List.copyOf(nonNull(event.getSelected()))));
    }
  }

  private static List<Integer> nonNull(List<Integer> l) {
    return l == null ? List.of() : l;
  }

  /**
   * Runs {@code work} on this thread, recording every decision table it evaluates (nesting
   * allowed).
   */
  static <T> Collected<T> collect(Supplier<T> work) {
    List<Raw> previous = COLLECTING.get();
    List<Raw> mine = new ArrayList<>();
    COLLECTING.set(mine);
    try {
      T value = work.get();
      return new Collected<>(value, List.copyOf(mine));
    } finally {
      COLLECTING.set(previous);
      if (previous != null) {
        previous.addAll(mine);
      }
    }
  }

  /** The table evaluations named by their model's rows: id, row number and annotations. */
  static List<TableMatch> resolve(Collection<DMNModel> models, List<Raw> raws) {
    List<TableMatch> out = new ArrayList<>(raws.size());
    for (Raw raw : raws) {
      Located t = locate(models, raw);
      List<RowMatch> rows = new ArrayList<>(raw.matches().size());
      for (Integer index : raw.matches()) {
        DecisionRule rule =
            t == null || index < 1 || index > t.table().getRule().size()
                ? null
                : t.table().getRule().get(index - 1);
        rows.add(
            new RowMatch(
                index,
                rule == null ? null : rule.getId(),
                rule == null ? null : annotation(rule),
                raw.selected().contains(index)));
      }
      String hitPolicy = t == null ? null : hitPolicy(t.table());
      out.add(
          new TableMatch(
              t == null ? null : t.model(),
              raw.node(),
              raw.tableId(),
              hitPolicy,
              List.copyOf(rows)));
    }
    return List.copyOf(out);
  }

  private record Located(String model, DecisionTable table) {}

  private static Located locate(Collection<DMNModel> models, Raw raw) {
    for (DMNModel m : models) {
      for (DecisionTable dt : m.getDefinitions().findAllChildren(DecisionTable.class)) {
        if (raw.tableId() != null && raw.tableId().equals(dt.getId())) {
          return new Located(m.getName(), dt);
        }
      }
    }
    return null;
  }

  /** The annotation cells of a row, joined (most tables have one annotation column). */
  static String annotation(DecisionRule rule) {
    List<String> texts = new ArrayList<>();
    for (RuleAnnotation a : rule.getAnnotationEntry()) {
      if (a.getText() != null && !a.getText().isBlank()) {
        texts.add(a.getText().strip());
      }
    }
    return texts.isEmpty() ? null : String.join(" | ", texts);
  }

  static String hitPolicy(DecisionTable dt) {
    String hp = dt.getHitPolicy() == null ? "UNIQUE" : dt.getHitPolicy().name();
    return dt.getAggregation() == null ? hp : hp + " " + dt.getAggregation().name();
  }
}
