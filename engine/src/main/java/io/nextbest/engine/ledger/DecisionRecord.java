package io.nextbest.engine.ledger;

import io.nextbest.engine.model.Decision;
import java.time.Instant;

/**
 * One decision in the audit trail: what it was decided from (the SHA-256 of the canonical JSON of
 * the resolved context), on which rule-set version, and what it answered.
 */
public record DecisionRecord(
    String decisionId, String customerId, Instant decidedAt, String ruleSetVersion, String inputsDigest, Decision decision) {}
