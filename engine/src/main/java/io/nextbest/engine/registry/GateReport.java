package io.nextbest.engine.registry;

import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.scenario.ScenarioResult;
import java.time.Duration;
import java.util.List;

/**
 * Whether a version may go live: it compiles, validates (no errors; warnings are listed) and every
 * scenario passes. {@code scenarios} is empty when compilation failed.
 */
public record GateReport(
    int version,
    boolean compiles,
    List<RuleSetMessage> messages,
    List<ScenarioResult> scenarios,
    Duration compileTime,
    Duration scenarioTime) {
  public GateReport {
    messages = List.copyOf(messages);
    scenarios = List.copyOf(scenarios);
  }

  public boolean scenariosPass() {
    return compiles && scenarios.stream().allMatch(ScenarioResult::passed);
  }

  public boolean activatable() {
    return compiles && messages.stream().noneMatch(RuleSetMessage::error) && scenariosPass();
  }

  public long failedScenarios() {
    return scenarios.stream().filter(s -> !s.passed()).count();
  }
}
