package io.nextbest.engine;

/**
 * Told what the rules do while a decision runs, so a service can count rule firings without the
 * engine knowing about any metrics library. Called on the deciding thread, once per firing, inside
 * the decision: implementations must be thread-safe and cheap (a counter increment), and must not
 * throw. An engine built without one ({@link #NONE}) does not listen to the rules at all, so the
 * simulator and other batch users pay nothing.
 */
@FunctionalInterface
public interface DecisionObserver {
  /** Observes nothing; the engine then registers no listener on its sessions. */
  DecisionObserver NONE = rule -> {};

  /**
   * A rule's consequence ran (once per match: a rule that fires for three candidates is told three
   * times).
   */
  void ruleFired(String rule);
}
