package io.nextbest.engine.model;

/** Personalisation of voice (G12). */
public enum Tone {
  EMPATHETIC,
  REASSURING,
  NEUTRAL,
  WARM,
  CELEBRATORY
}
