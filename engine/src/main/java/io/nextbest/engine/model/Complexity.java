package io.nextbest.engine.model;

/** Personalisation of message depth (G12). */
public enum Complexity {
  SIMPLE,
  STANDARD,
  DETAILED
}
