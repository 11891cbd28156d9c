package io.nextbest.engine.model;

/** How the live interaction is going, as the desktop or speech analytics judge it. */
public enum Sentiment {
  NEGATIVE,
  NEUTRAL,
  POSITIVE
}
