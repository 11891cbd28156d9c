package io.nextbest.engine.model;

import java.time.Instant;

/**
 * How much, and how recently, the customer used a channel. {@code problemContacts90d} says how many
 * of the interactions were caused by a problem (failed, unresolved, a fault call): they are not
 * relationship activity and do not count towards engagement (G1). Null means not known (none).
 */
public record ChannelUsage(
    Channel channel, Integer interactions90d, Instant lastAt, Integer problemContacts90d) {}
