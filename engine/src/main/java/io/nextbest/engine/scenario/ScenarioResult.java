package io.nextbest.engine.scenario;

import java.util.List;

/**
 * The outcome of one scenario: passed, or every expectation that failed, and the version it ran on.
 */
public record ScenarioResult(
    String scenario,
    String ruleSetVersion,
    boolean passed,
    List<String> failures,
    String topAction) {
  public ScenarioResult {
    failures = List.copyOf(failures);
  }
}
