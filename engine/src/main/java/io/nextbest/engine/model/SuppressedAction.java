package io.nextbest.engine.model;

import java.util.List;

/** A candidate that was held back, with every rule that held it. */
public record SuppressedAction(
    String actionId, String title, ActionFamily family, List<Suppression> by)
    implements CandidateOutcome {
  public SuppressedAction {
    by = List.copyOf(by);
  }
}
