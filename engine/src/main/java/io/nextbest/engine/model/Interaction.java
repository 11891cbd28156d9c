package io.nextbest.engine.model;

import java.time.Instant;

/**
 * The live interaction the agent is handling: channel, reason, sentiment, whether the issue was
 * just resolved and how the customer rated it (1–5), and the product it concerns.
 */
public record Interaction(
    Channel channel,
    String reason,
    Sentiment sentiment,
    boolean justResolved,
    Integer rating,
    String product,
    Instant startedAt) {

  public Interaction {
    sentiment = sentiment == null ? Sentiment.NEUTRAL : sentiment;
  }
}
