package io.nextbest.engine.model;

import java.time.Instant;

/** One survey answer: CSAT 1–5, CES 1–7 (7 = most effort) or NPS 0–10. */
public record Score(Instant at, Integer value) {}
