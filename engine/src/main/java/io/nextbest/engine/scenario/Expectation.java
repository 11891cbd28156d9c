package io.nextbest.engine.scenario;

import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.Quadrant;
import java.util.List;

/**
 * What a scenario expects of its decision. Every field is optional; each one present is checked.
 *
 * @param quadrant the quadrant the customer must land in
 * @param topAction the action ranked first
 * @param topFamily the family of the action ranked first
 * @param recommended actions that must be among the ranked ones
 * @param notRecommended actions that must not be among the ranked ones
 * @param suppressed actions that must be suppressed, optionally by a given rule, with a lift text
 * @param reasons rules that must appear among an action's reasons
 * @param criticalGaps kinds of critical gap that must be open (an empty list means: none)
 * @param riskFlags risk or trend flags that must be raised
 * @param channels the channel a recommended action must use
 */
public record Expectation(
    Quadrant quadrant,
    String topAction,
    ActionFamily topFamily,
    List<String> recommended,
    List<String> notRecommended,
    List<SuppressedExpectation> suppressed,
    List<ReasonExpectation> reasons,
    List<String> criticalGaps,
    List<String> riskFlags,
    List<ChannelExpectation> channels) {

  public Expectation {
    recommended = recommended == null ? List.of() : List.copyOf(recommended);
    notRecommended = notRecommended == null ? List.of() : List.copyOf(notRecommended);
    suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    riskFlags = riskFlags == null ? List.of() : List.copyOf(riskFlags);
    channels = channels == null ? List.of() : List.copyOf(channels);
    criticalGaps = criticalGaps == null ? null : List.copyOf(criticalGaps);
  }

  /** An action that must be suppressed; {@code rule} and {@code liftContains} are optional. */
  public record SuppressedExpectation(String action, String rule, String liftContains) {}

  /** A rule that must be among a recommended action's reasons. */
  public record ReasonExpectation(String action, String rule) {}

  /** The channel a recommended action must be delivered on. */
  public record ChannelExpectation(String action, String channel) {}
}
