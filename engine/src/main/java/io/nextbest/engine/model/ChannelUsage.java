package io.nextbest.engine.model;

import java.time.Instant;

/** How much, and how recently, the customer used a channel. */
public record ChannelUsage(Channel channel, Integer interactions90d, Instant lastAt) {}
