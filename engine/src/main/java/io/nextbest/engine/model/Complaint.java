package io.nextbest.engine.model;

import java.time.Instant;

/** A complaint; open while {@code resolvedAt} is null. */
public record Complaint(
    String id,
    Instant openedAt,
    Instant resolvedAt,
    Severity severity,
    String product,
    String topic) {

  public boolean open() {
    return resolvedAt == null;
  }
}
