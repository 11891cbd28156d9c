package io.nextbest.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reason actions were held back, said once for every action it held: the agent's view of the
 * suppressions (the per-action list, with the evidence each rule saw, is the verbose answer's
 * {@code suppressed}). An action held by several rules is under each of them.
 *
 * @param gap for a hold on behalf of an open critical gap, the gap it waits for ({@code KIND:ref},
 *     as in the decision's {@code criticalGaps}); null otherwise
 * @param actions the ids of the actions this reason held, in the order they were considered
 */
public record Hold(
    String rule,
    List<String> guidance,
    String reason,
    String liftWhen,
    @JsonInclude(JsonInclude.Include.NON_NULL) String gap,
    List<String> actions) {
  public Hold {
    guidance = List.copyOf(guidance);
    actions = List.copyOf(actions);
  }

  /** The holds of {@code suppressed}, one per distinct reason, in the order first met. */
  public static List<Hold> of(List<SuppressedAction> suppressed) {
    if (suppressed.isEmpty()) {
      return List.of();
    }
    Map<Suppression, List<String>> byReason = new LinkedHashMap<>();
    for (SuppressedAction s : suppressed) {
      for (Suppression by : s.by()) {
        // Equal reasons differ only in the evidence the rule saw, which the agent's view leaves
        // out.
        Suppression reason =
            new Suppression(by.rule(), by.guidance(), by.reason(), by.liftWhen(), by.gap(), null);
        List<String> ids = byReason.computeIfAbsent(reason, r -> new ArrayList<>());
        if (!ids.contains(s.actionId())) {
          ids.add(s.actionId());
        }
      }
    }
    List<Hold> holds = new ArrayList<>(byReason.size());
    byReason.forEach(
        (r, ids) ->
            holds.add(new Hold(r.rule(), r.guidance(), r.reason(), r.liftWhen(), r.gap(), ids)));
    return List.copyOf(holds);
  }
}
