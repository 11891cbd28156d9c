package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.Json;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two decisions for the same context: what the equivalence test and the benchmark setup
 * check.
 */
public final class Decisions {
  private Decisions() {}

  /** Ranked action ids, in rank order. */
  public static List<String> ranked(Decision d) {
    return d.actions().stream().map(RecommendedAction::actionId).toList();
  }

  /** Suppressed action id to the sorted names of the rules that held it back. */
  public static Map<String, TreeSet<String>> suppressed(Decision d) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (SuppressedAction s : d.suppressed()) {
      TreeSet<String> rules = new TreeSet<>();
      for (Suppression by : s.by()) {
        rules.add(by.rule());
      }
      out.put(s.actionId(), rules);
    }
    return out;
  }

  /**
   * The differences that matter for equivalence: ranked ids and order, suppressed ids, and the
   * rules behind each suppression. Empty when they agree.
   */
  public static List<String> rankingDifferences(Decision engine, Decision baseline) {
    List<String> diffs = new ArrayList<>();
    if (!ranked(engine).equals(ranked(baseline))) {
      diffs.add("ranked: engine " + ranked(engine) + " vs baseline " + ranked(baseline));
    }
    Map<String, TreeSet<String>> e = suppressed(engine);
    Map<String, TreeSet<String>> b = suppressed(baseline);
    if (!e.keySet().equals(b.keySet())) {
      diffs.add("suppressed ids: engine " + e.keySet() + " vs baseline " + b.keySet());
    } else if (!e.equals(b)) {
      diffs.add("suppressing rules: engine " + e + " vs baseline " + b);
    }
    return diffs;
  }

  /**
   * Everything in the JSON the API would send except the decision id and the timing: indices,
   * segment, contact state, gaps, every explanation and suppression. Empty when identical.
   */
  public static String fullDifference(Decision engine, Decision baseline) {
    JsonNode e = comparable(engine);
    JsonNode b = comparable(baseline);
    if (e.equals(b)) {
      return "";
    }
    return firstDifference("", e, b);
  }

  private static JsonNode comparable(Decision d) {
    ObjectNode n = Json.mapper().valueToTree(d);
    n.remove("decisionId");
    n.remove("evaluationMicros");
    // The engine sorts gaps by kind and ref only; two gaps with the same kind and ref (two failures
    // on one channel the same day) come out in working-memory order, which changes between runs.
    List<JsonNode> gaps = new ArrayList<>();
    n.withArray("criticalGaps").forEach(gaps::add);
    gaps.sort(
        java.util.Comparator.comparing((JsonNode g) -> g.path("kind").asText())
            .thenComparing(g -> g.path("ref").asText())
            .thenComparing(g -> g.path("description").asText()));
    n.putArray("criticalGaps").addAll(gaps);
    return n;
  }

  private static String firstDifference(String path, JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode x = a.get(name);
        JsonNode y = b.get(name);
        if (x == null || y == null) {
          return path + "." + name + ": engine " + x + " vs baseline " + y;
        }
        if (!x.equals(y)) {
          return firstDifference(path + "." + name, x, y);
        }
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).equals(b.get(i))) {
          return firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
        }
      }
    }
    return path + ": engine " + a + " vs baseline " + b;
  }
}
