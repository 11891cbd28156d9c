package io.nextbest.engine.facts;

import io.nextbest.engine.model.Severity;

/** An unresolved complaint, with how long it has been open. */
public record OpenComplaint(
    String id, Severity severity, String product, String topic, int daysOpen) {}
