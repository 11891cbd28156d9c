package io.nextbest.engine.customers;

import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.model.Propensity;

/**
 * What feedback did.
 *
 * @param recorded false when the same feedback was recorded before (nothing changed)
 * @param learned whether it counted towards the action's propensity (customer outcomes only, once
 *     per decision and action)
 * @param propensity the action's propensity in the decision's quadrant now (posterior mean), when
 *     the action is in the active catalogue
 */
public record FeedbackResult(
    LedgerEntry entry, boolean recorded, boolean learned, Propensity propensity) {}
