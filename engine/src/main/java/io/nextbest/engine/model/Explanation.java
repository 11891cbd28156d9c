package io.nextbest.engine.model;

import java.util.List;

/**
 * What an agent reads: a one-line summary, then the reasons and the priority factors on demand. In
 * a decision's JSON the reasons are positions in the decision's {@code reasons} (see {@link
 * ReasonTable}).
 */
public record Explanation(
    String summary,
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = ReasonTable.Refs.class)
        List<Reason> reasons,
    Priority priority) {
  public Explanation {
    reasons = List.copyOf(reasons);
  }
}
