package io.nextbest.engine.customers;

import io.nextbest.engine.model.ContactState;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Indices;
import io.nextbest.engine.model.Segment;
import java.time.Instant;
import java.util.List;

/**
 * A stored customer as the engine sees them: the profile folded from events (outreach from the
 * ledger), rolling-window aggregates, and the indices, quadrant, contact state and critical gaps
 * the decision pipeline computes from that profile on the active rule set.
 */
public record ProfileView(
    String customerId,
    Instant asOf,
    int storedEvents,
    long version,
    String ruleSetVersion,
    Aggregates aggregates,
    Indices indices,
    Segment segment,
    ContactState contact,
    List<CriticalGap> criticalGaps,
    CustomerProfile profile) {}
