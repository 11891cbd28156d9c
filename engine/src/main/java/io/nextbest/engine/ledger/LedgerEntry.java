package io.nextbest.engine.ledger;

import io.nextbest.engine.model.Channel;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the contact ledger. {@code id} makes recording idempotent: feedback lines are keyed
 * by decision, action and kind, so the same feedback twice is one line, and an outreach event that
 * names its decision is the same SENT line as feedback saying so.
 *
 * @param decisionId the decision the action came from, or null for outreach not tied to a decision
 * @param channel where it went out (SENT) or was shown, when known
 * @param reason the agent's reason, for accepted/declined by the agent
 */
public record LedgerEntry(
    String id,
    String customerId,
    String decisionId,
    String actionId,
    LedgerKind kind,
    Channel channel,
    Instant at,
    String reason) {
  public LedgerEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
  }

  /** The id of a line about {@code actionId} of {@code decisionId}. */
  public static String idFor(String decisionId, String actionId, LedgerKind kind) {
    return decisionId + "|" + actionId + "|" + kind;
  }

  /** The id of a line recorded from an event that names no decision. */
  public static String idForEvent(String eventId) {
    return "event|" + eventId;
  }
}
