package io.nextbest.engine.model;

import java.util.List;
import java.util.Map;

/**
 * An open critical experience gap (G3), inserted by the gating rules. While one exists, engagement
 * is held back; {@code liftWhen} says what closes it.
 */
public record CriticalGap(
    String kind,
    String ref,
    String description,
    String liftWhen,
    String rule,
    List<String> guidance,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class)
        Map<String, Object> evidence) {
  public CriticalGap {
    guidance = List.copyOf(guidance);
    evidence = evidence == null ? Map.of() : evidence;
  }
}
