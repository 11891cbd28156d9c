package io.nextbest.engine.ledger;

import io.nextbest.engine.Segmentation;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Quadrant;

/**
 * What propensities are learned per (G13): an action on a channel (a treatment) in a segment, or,
 * with no channel, the action on every channel (the level a treatment without outcomes falls back
 * to). The segment is a {@link Segmentation#label label}: a quadrant ({@code Q2}), {@code *} for
 * every customer, or a declared combination ({@code Q2/loyaltyTier=GOLD}).
 */
public record OutcomeKey(String actionId, String segment, Channel channel) {

  /** The action on every channel, in a quadrant (null: every customer). */
  public OutcomeKey(String actionId, Quadrant quadrant) {
    this(actionId, quadrant, null);
  }

  /** A treatment in a quadrant (null: every customer), as learned before segments were declared. */
  public OutcomeKey(String actionId, Quadrant quadrant, Channel channel) {
    this(actionId, quadrant == null ? Segmentation.EVERY_CUSTOMER : quadrant.name(), channel);
  }

  public OutcomeKey {
    if (actionId == null || actionId.isEmpty() || actionId.indexOf('|') >= 0) {
      throw new IllegalArgumentException(
          "an outcome key needs an action id without '|', was " + actionId);
    }
    if (segment == null
        || segment.isEmpty()
        || segment.indexOf('|') >= 0
        || segment.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "an outcome key needs a segment without '|' or '@', was " + segment);
    }
  }

  /** The same action on every channel (itself when it has no channel). */
  public OutcomeKey action() {
    return channel == null ? this : new OutcomeKey(actionId, segment, null);
  }

  /**
   * {@code Q2|repair-resolve-now} for the action, {@code Q2|repair-resolve-now|PHONE} for a
   * treatment ({@code Q2/loyaltyTier=GOLD|repair-resolve-now|PHONE} in a declared segment): the
   * form stores keep it in. Counts stored before treatments were learned are the action form, and
   * those stored before segments were declared are the quadrant's ({@code Q2}) or every customer's
   * ({@code *}), read as the same keys.
   */
  public String encoded() {
    return channel == null ? segment + "|" + actionId : segment + "|" + actionId + "|" + channel;
  }

  public static OutcomeKey decode(String encoded) {
    int bar = encoded.indexOf('|');
    String segment = encoded.substring(0, bar);
    String rest = encoded.substring(bar + 1);
    int second = rest.indexOf('|');
    if (second < 0) {
      return new OutcomeKey(rest, segment, null);
    }
    return new OutcomeKey(
        rest.substring(0, second), segment, Channel.valueOf(rest.substring(second + 1)));
  }
}
