package io.nextbest.engine.facts;

import io.nextbest.engine.model.Channel;
import java.time.LocalDate;

/** A failed interaction in the last 90 days. */
public record RecentFailure(
    Channel channel, String reason, String product, LocalDate on, int daysAgo) {}
