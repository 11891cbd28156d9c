package io.nextbest.simulator;

/**
 * How simulated customers behave over a journey. Each week the engine decides {@code
 * decisionsPerWeek} times; the top outbound action is sent; the customer accepts it with the
 * action's propensity, declines with {@code declineShare}, or ignores it. Life goes on regardless:
 * complaints open and resolve themselves, customers get in touch. Every draw is seeded and shared
 * by both what-if sides (common random numbers), so the sides differ only by what the rules did.
 *
 * @param decisionsPerWeek decision moments per simulated week (1 to 7)
 * @param complaintRatePerWeek chance a customer opens a complaint in a week
 * @param selfResolveRatePerWeek chance an open complaint is resolved in a week without any action
 * @param interactionRatePerWeek chance a customer gets in touch on their preferred channel in a
 *     week
 * @param declineShare share of the messages not accepted that the customer explicitly declines
 */
public record JourneyModel(
    int decisionsPerWeek,
    double complaintRatePerWeek,
    double selfResolveRatePerWeek,
    double interactionRatePerWeek,
    double declineShare)
    implements java.io.Serializable {
  public static final JourneyModel DEFAULTS = new JourneyModel(2, 0.02, 0.25, 0.3, 0.3);

  public JourneyModel {
    if (decisionsPerWeek < 1 || decisionsPerWeek > 7) {
      throw new IllegalArgumentException(
          "decisionsPerWeek must be 1 to 7, was " + decisionsPerWeek);
    }
    for (double p :
        new double[] {
          complaintRatePerWeek, selfResolveRatePerWeek, interactionRatePerWeek, declineShare
        }) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(
            "journey rates are probabilities between 0 and 1, got " + p);
      }
    }
  }

  public JourneyModel withComplaintRatePerWeek(double rate) {
    return new JourneyModel(
        decisionsPerWeek, rate, selfResolveRatePerWeek, interactionRatePerWeek, declineShare);
  }

  public JourneyModel withDecisionsPerWeek(int n) {
    return new JourneyModel(
        n, complaintRatePerWeek, selfResolveRatePerWeek, interactionRatePerWeek, declineShare);
  }
}
