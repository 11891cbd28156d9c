package io.nextbest.engine.model;

import java.time.Instant;

/** A proactive message already sent to the customer. */
public record OutreachSent(Instant at, String actionId, Channel channel) {}
