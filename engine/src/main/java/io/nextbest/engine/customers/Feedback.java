package io.nextbest.engine.customers;

import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.model.Channel;
import java.time.Instant;

/**
 * What became of one recommended action.
 *
 * @param outcome anything but RECOMMENDED (the engine records that itself)
 * @param reason the agent's reason, optional
 * @param channel where it was sent or shown; defaults to the channel the decision chose
 * @param at when; defaults to now
 */
public record Feedback(
    String decisionId,
    String actionId,
    LedgerKind outcome,
    String reason,
    Channel channel,
    Instant at) {}
