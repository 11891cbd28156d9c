package io.nextbest.engine.model;

/** What became of one catalogue action in a decision: recommended, or suppressed with reasons. */
public sealed interface CandidateOutcome permits RecommendedAction, SuppressedAction {
  String actionId();

  ActionFamily family();
}
