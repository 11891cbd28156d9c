package io.nextbest.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonView;
import java.util.List;
import java.util.Map;

/**
 * Why a candidate was held back and what would lift it.
 *
 * @param gap for a hold on behalf of an open critical gap, the gap it waits for ({@code KIND:ref},
 *     e.g. {@code OPEN_COMPLAINT:C-12}, as in the decision's {@code criticalGaps}); the gap's
 *     description is not repeated in every hold. Null otherwise.
 */
public record Suppression(
    String rule,
    List<String> guidance,
    String reason,
    String liftWhen,
    @JsonInclude(JsonInclude.Include.NON_NULL) String gap,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonView(Views.Verbose.class)
        Map<String, Object> evidence) {
  public Suppression {
    guidance = List.copyOf(guidance);
    evidence = evidence == null ? Map.of() : evidence;
  }

  public Suppression(
      String rule,
      List<String> guidance,
      String reason,
      String liftWhen,
      Map<String, Object> evidence) {
    this(rule, guidance, reason, liftWhen, null, evidence);
  }

  /** The reference a hold on behalf of {@code gap} carries. */
  public static String ref(CriticalGap gap) {
    return gap.kind() + ":" + gap.ref();
  }
}
