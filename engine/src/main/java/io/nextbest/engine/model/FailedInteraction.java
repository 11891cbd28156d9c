package io.nextbest.engine.model;

import java.time.Instant;

/**
 * An interaction that did not achieve what the customer came for (dropped call, failed payment, app
 * error).
 */
public record FailedInteraction(Instant at, Channel channel, String reason, String product) {}
