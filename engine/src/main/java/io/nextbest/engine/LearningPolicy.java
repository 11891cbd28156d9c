package io.nextbest.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.nextbest.engine.model.Channel;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a rule set learns from outcomes ({@code learning.json}, optional): which segmentation
 * outcomes are counted per, how much each decision explores, how a new treatment starts, and how
 * many of one customer's outcomes may count towards one treatment. A rule set without the file
 * explores nothing (every ranking is the posterior mean) and keeps the defaults below.
 *
 * @param segment which customers' outcomes are counted together: {@code "QUADRANT"} (per quadrant,
 *     the default), {@code "ALL"} (one segment) or {@code {"by": [dimensions]}}, see {@link
 *     Segmentation}
 * @param exploration how far each draw may stray from the posterior mean: 0 is none (the mean), 1 a
 *     full Thompson draw; per delivery channel, and for agent-facing decisions (those with a live
 *     interaction) one amount for every action
 * @param coldStart a treatment with fewer than {@code outcomes} outcomes explores {@code boost}
 *     times as much
 * @param perCustomerCap at most this many outcomes of one customer count towards one treatment
 * @param holdout a control group, or null for none
 */
public record LearningPolicy(
    Segmentation segment,
    Exploration exploration,
    ColdStart coldStart,
    int perCustomerCap,
    Holdout holdout) {
  /** The policy of a rule set without {@code learning.json}. */
  public static final LearningPolicy DEFAULT =
      new LearningPolicy(
          Segmentation.QUADRANT, new Exploration(0.0, Map.of()), new ColdStart(20, 1.0), 5, null);

  @JsonCreator
  public LearningPolicy(
      @JsonProperty("segment") Segmentation segment,
      @JsonProperty("exploration") Exploration exploration,
      @JsonProperty("coldStart") ColdStart coldStart,
      @JsonProperty("perCustomerCap") Integer perCustomerCap,
      @JsonProperty("holdout") Holdout holdout) {
    this(
        segment == null ? Segmentation.QUADRANT : segment,
        exploration == null ? new Exploration(0.0, Map.of()) : exploration,
        coldStart == null ? new ColdStart(20, 1.0) : coldStart,
        perCustomerCap == null ? 5 : perCustomerCap.intValue(),
        holdout);
  }

  public LearningPolicy {
    if (segment == null || exploration == null || coldStart == null) {
      throw new IllegalArgumentException(
          "learning.json: segment, exploration and coldStart are required");
    }
    if (perCustomerCap < 1) {
      throw new IllegalArgumentException(
          "learning.json: perCustomerCap must be at least 1, was " + perCustomerCap);
    }
  }

  /**
   * @param agentFacing the amount for a decision with a live interaction, whatever the channel
   */
  public record Exploration(double agentFacing, Map<Channel, Double> channels) {
    public Exploration {
      check("exploration.agentFacing", agentFacing);
      Map<Channel, Double> copy = new EnumMap<>(Channel.class);
      if (channels != null) {
        channels.forEach(
            (ch, amount) -> {
              if (ch == null || amount == null) {
                throw new IllegalArgumentException(
                    "learning.json: exploration.channels needs a number per channel");
              }
              check("exploration.channels." + ch, amount);
              copy.put(ch, amount);
            });
      }
      channels = Map.copyOf(copy);
    }

    /**
     * The amount for an action going out on {@code channel}; a channel not listed does not explore.
     */
    public double amount(boolean agentFacing, Channel channel) {
      return agentFacing ? this.agentFacing : channels.getOrDefault(channel, 0.0);
    }

    private static void check(String field, double amount) {
      if (!(amount >= 0 && amount <= 3)) {
        throw new IllegalArgumentException(
            "learning.json: " + field + " must be between 0 and 3, was " + amount);
      }
    }
  }

  /** What a held-out customer gets instead of the learned, exploring ranking. */
  public enum HoldoutPolicy {
    /** No proactive (outbound) action; in-conversation actions are ranked as usual. */
    NO_OUTREACH,
    /** The ranking on catalogue priors alone: nothing learned, nothing explored. */
    BASELINE
  }

  /**
   * A control group: the customers whose {@link io.nextbest.engine.experiments.Arms#bucket bucket}
   * for {@code id} is below {@code share}, always the same ones for the same id.
   *
   * @param successEvents event types (e.g. {@code PURCHASE}) that count as a success for a customer
   *     in the experiment when they happen within {@code successWithinDays} of the customer's first
   *     decision in it
   */
  public record Holdout(
      String id,
      double share,
      HoldoutPolicy policy,
      java.util.List<String> successEvents,
      int successWithinDays) {
    public Holdout {
      io.nextbest.engine.experiments.Experiment.checkId("learning.json: holdout.id", id);
      if (!(share > 0 && share < 1)) {
        throw new IllegalArgumentException(
            "learning.json: holdout.share must be above 0 and below 1, was " + share);
      }
      if (policy == null) {
        throw new IllegalArgumentException(
            "learning.json: holdout.policy is required (NO_OUTREACH or BASELINE)");
      }
      successEvents =
          io.nextbest.engine.experiments.Experiment.checkEvents(
              "learning.json: holdout.successEvents", successEvents);
      if (successWithinDays < 0 || successWithinDays > 365) {
        throw new IllegalArgumentException(
            "learning.json: holdout.successWithinDays must be between 0 and 365, was "
                + successWithinDays);
      }
    }
  }

  public record ColdStart(int outcomes, double boost) {
    public ColdStart {
      if (outcomes < 0) {
        throw new IllegalArgumentException(
            "learning.json: coldStart.outcomes must not be negative, was " + outcomes);
      }
      if (!(boost >= 1 && boost <= 10)) {
        throw new IllegalArgumentException(
            "learning.json: coldStart.boost must be between 1 and 10, was " + boost);
      }
    }
  }
}
