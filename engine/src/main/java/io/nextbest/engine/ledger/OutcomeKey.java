package io.nextbest.engine.ledger;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Quadrant;

/**
 * What propensities are learned per (G13): an action on a channel (a treatment) in a segment, or,
 * with no channel, the action on every channel (the level a treatment without outcomes falls back
 * to). A null quadrant is the segment of all customers (a rule set that declares no segmentation).
 */
public record OutcomeKey(String actionId, Quadrant quadrant, Channel channel) {
  private static final String ALL = "*";

  /** The action on every channel. */
  public OutcomeKey(String actionId, Quadrant quadrant) {
    this(actionId, quadrant, null);
  }

  public OutcomeKey {
    if (actionId == null || actionId.isEmpty() || actionId.indexOf('|') >= 0) {
      throw new IllegalArgumentException(
          "an outcome key needs an action id without '|', was " + actionId);
    }
  }

  /** The same action on every channel (itself when it has no channel). */
  public OutcomeKey action() {
    return channel == null ? this : new OutcomeKey(actionId, quadrant, null);
  }

  /**
   * {@code Q2|repair-resolve-now} for the action, {@code Q2|repair-resolve-now|PHONE} for a
   * treatment: the form stores keep it in. Counts stored before treatments were learned are the
   * action form.
   */
  public String encoded() {
    String segment = quadrant == null ? ALL : quadrant.name();
    return channel == null ? segment + "|" + actionId : segment + "|" + actionId + "|" + channel;
  }

  public static OutcomeKey decode(String encoded) {
    int bar = encoded.indexOf('|');
    String segment = encoded.substring(0, bar);
    Quadrant q = segment.equals(ALL) ? null : Quadrant.valueOf(segment);
    String rest = encoded.substring(bar + 1);
    int second = rest.indexOf('|');
    if (second < 0) {
      return new OutcomeKey(rest, q, null);
    }
    return new OutcomeKey(
        rest.substring(0, second), q, Channel.valueOf(rest.substring(second + 1)));
  }
}
