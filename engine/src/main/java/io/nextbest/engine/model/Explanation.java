package io.nextbest.engine.model;

import java.util.List;

/** What an agent reads: a one-line summary, then the reasons and the priority factors on demand. */
public record Explanation(String summary, List<Reason> reasons, Priority priority) {
  public Explanation {
    reasons = List.copyOf(reasons);
  }
}
