package io.nextbest.engine.model;

import java.util.List;
import java.util.Map;

/** Why a candidate was held back and what would lift it. */
public record Suppression(
    String rule,
    List<String> guidance,
    String reason,
    String liftWhen,
    Map<String, Object> evidence) {
  public Suppression {
    guidance = List.copyOf(guidance);
    evidence = evidence == null ? Map.of() : evidence;
  }
}
