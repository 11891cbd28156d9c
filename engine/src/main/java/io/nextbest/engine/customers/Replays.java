package io.nextbest.engine.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.Json;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** How a replayed decision is compared with the recorded one: as the JSON an API client reads. */
final class Replays {
  /**
   * Not part of what was decided: how long it took and where the profile came from (the replay
   * reads no store).
   */
  private static final Set<String> IGNORED =
      Set.of("evaluationMicros", "profileSource", "degraded");

  private Replays() {}

  /**
   * The top-level fields of the answer that differ, each with what differs; empty when they match.
   */
  static List<String> differences(Decision recorded, Decision replayed) {
    ObjectNode a = comparable(recorded);
    ObjectNode b = comparable(replayed);
    List<String> out = new ArrayList<>();
    Set<String> names = new java.util.TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode x = a.get(name);
      JsonNode y = b.get(name);
      if (x == null ? y != null : !x.equals(y)) {
        out.add(
            "actions".equals(name)
                ? "actions: recorded "
                    + ids(recorded.actions())
                    + ", replayed "
                    + ids(replayed.actions())
                : name + " differs");
      }
    }
    return out;
  }

  /** The decision as the agent saw it (compact view: evidence values are not recorded). */
  private static ObjectNode comparable(Decision d) {
    ObjectNode node;
    try {
      node =
          (ObjectNode)
              Json.mapper()
                  .readTree(
                      Json.mapper()
                          .writerWithView(io.nextbest.engine.model.Views.Compact.class)
                          .writeValueAsBytes(d));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode decision " + d.decisionId(), e);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (IGNORED.contains(name) || node.get(name).isNull()) {
        it.remove();
      }
    }
    return node;
  }

  private static List<String> ids(List<RecommendedAction> actions) {
    return actions.stream().map(RecommendedAction::actionId).toList();
  }
}
