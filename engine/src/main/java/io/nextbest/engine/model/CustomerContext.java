package io.nextbest.engine.model;

import java.time.Instant;

/**
 * Everything one decision is made from.
 *
 * @param customerId the customer, required
 * @param asOf the moment of the decision; every window is measured back from it (defaults to now)
 * @param profile what is known before the live interaction (empty when absent)
 * @param interaction the live interaction, or null outside a conversation
 * @param limit how many ranked actions to return, 1–50 (defaults to the rule set's limit)
 */
public record CustomerContext(
    String customerId,
    Instant asOf,
    CustomerProfile profile,
    Interaction interaction,
    Integer limit) {

  public CustomerContext {
    profile = profile == null ? CustomerProfile.EMPTY : profile;
  }

  public CustomerContext withAsOf(Instant instant) {
    return new CustomerContext(customerId, instant, profile, interaction, limit);
  }
}
