package io.nextbest.engine.ledger;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.model.Decision;
import java.time.Instant;

/**
 * One decision in the audit trail: what it was decided from ({@code inputs}: the resolved context,
 * degraded or not, the propensities of the moment; {@code inputsDigest} is the SHA-256 of the
 * canonical JSON of that context), on which rule-set version, and what it answered. The inputs are
 * what {@code POST /v1/decisions/{id}/replay} decides from again; records written before they were
 * kept have none and cannot be replayed.
 */
public record DecisionRecord(
    String decisionId,
    String customerId,
    Instant decidedAt,
    String ruleSetVersion,
    String inputsDigest,
    Decision decision,
    DecisionEngine.Inputs inputs) {

  /** A record without its inputs (as written before they were kept). */
  public DecisionRecord(
      String decisionId,
      String customerId,
      Instant decidedAt,
      String ruleSetVersion,
      String inputsDigest,
      Decision decision) {
    this(decisionId, customerId, decidedAt, ruleSetVersion, inputsDigest, decision, null);
  }
}
