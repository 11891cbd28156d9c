package io.nextbest.engine.model;

import java.time.Instant;

/** A product the customer holds, and since when. */
public record ProductHolding(String product, Instant since) {}
