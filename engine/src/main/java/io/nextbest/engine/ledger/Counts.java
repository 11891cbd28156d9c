package io.nextbest.engine.ledger;

/**
 * Outcomes learned for one {@link OutcomeKey}: how often the customer took the action, and how
 * often not.
 */
public record Counts(long successes, long failures) {
  public static final Counts NONE = new Counts(0, 0);

  public long total() {
    return successes + failures;
  }

  public Counts plus(boolean success) {
    return success ? new Counts(successes + 1, failures) : new Counts(successes, failures + 1);
  }
}
