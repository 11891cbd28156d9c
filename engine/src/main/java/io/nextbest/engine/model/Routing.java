package io.nextbest.engine.model;

/** Who delivers an action (G11). */
public enum Routing {
  AUTOMATED,
  AGENT,
  SPECIALIST
}
