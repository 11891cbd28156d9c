package io.nextbest.engine.registry;

import java.time.Instant;

/**
 * One immutable rule-set version: its sequence number, content hash, who made it and why, the
 * version it was based on, and where it came from ({@code build}, {@code upload}, {@code dev}).
 */
public record VersionInfo(
    int sequence,
    String hash,
    String author,
    Instant createdAt,
    String comment,
    Integer basedOn,
    String origin) {
  /** The label decisions on this version report, e.g. {@code v3-3f9a2c1b07de}. */
  public String label() {
    return "v" + sequence + "-" + hash.substring(0, 12);
  }
}
