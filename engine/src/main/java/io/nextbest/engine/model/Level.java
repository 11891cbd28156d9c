package io.nextbest.engine.model;

/** A dimension's side of its analyst-owned threshold. */
public enum Level {
  LOW,
  HIGH
}
