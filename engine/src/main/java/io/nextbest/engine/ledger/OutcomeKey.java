package io.nextbest.engine.ledger;

import io.nextbest.engine.model.Quadrant;

/** What propensities are learned per: an action in a quadrant (G13). */
public record OutcomeKey(String actionId, Quadrant quadrant) {
  /** {@code Q2|repair-resolve-now}: the form stores keep it in. */
  public String encoded() {
    return quadrant + "|" + actionId;
  }

  public static OutcomeKey decode(String encoded) {
    int bar = encoded.indexOf('|');
    return new OutcomeKey(encoded.substring(bar + 1), Quadrant.valueOf(encoded.substring(0, bar)));
  }
}
