package io.nextbest.engine.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one context: ranked actions with explanations, suppressed candidates with reasons,
 * the indices and quadrant they were chosen from, the rule-set version used, and the time taken.
 */
public record Decision(
    String decisionId,
    String ruleSetVersion,
    String customerId,
    Instant asOf,
    Indices indices,
    Segment segment,
    ContactState contact,
    List<CriticalGap> criticalGaps,
    List<RecommendedAction> actions,
    List<SuppressedAction> suppressed,
    long evaluationMicros) {

  public Decision {
    criticalGaps = List.copyOf(criticalGaps);
    actions = List.copyOf(actions);
    suppressed = List.copyOf(suppressed);
  }

  /** Answers "what became of action X?" — recommended at some rank, suppressed and why, or absent. */
  public Optional<CandidateOutcome> outcomeOf(String actionId) {
    for (RecommendedAction a : actions) {
      if (a.actionId().equals(actionId)) {
        return Optional.of(a);
      }
    }
    for (SuppressedAction s : suppressed) {
      if (s.actionId().equals(actionId)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public Optional<RecommendedAction> top() {
    return actions.isEmpty() ? Optional.empty() : Optional.of(actions.get(0));
  }
}
