package io.nextbest.engine.model;

/** Complaint severity, in increasing order. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}
