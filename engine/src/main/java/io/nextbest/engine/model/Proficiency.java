package io.nextbest.engine.model;

/** How comfortable the customer is with digital self-service; drives message complexity (G12). */
public enum Proficiency {
  LOW,
  MEDIUM,
  HIGH
}
