package io.nextbest.engine.registry;

import java.time.Instant;

/** A recorded change: upload, activation, rollback, refused activation. */
public record AuditEntry(
    long id, Instant at, String actor, String action, Integer version, String detail) {}
