package io.nextbest.engine.model;

import java.util.List;
import java.util.Map;

/**
 * Why a rule touched a candidate: the rule, the guidance ids it implements, the effect it had (e.g.
 * "context weight x1.5", "channel SMS removed") and the evidence values that fired it.
 */
public record Reason(
    String rule,
    List<String> guidance,
    String effect,
    String text,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class)
        Map<String, Object> evidence) {
  public Reason {
    guidance = List.copyOf(guidance);
    evidence = evidence == null ? Map.of() : evidence;
  }
}
