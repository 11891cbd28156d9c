package io.nextbest.engine.scenario;

import io.nextbest.engine.model.CustomerContext;
import java.util.List;

/**
 * A persona or analyst scenario: given a context, what the decision must show. Scenarios ship with
 * the rule set ({@code scenarios/*.json}) and gate every version.
 *
 * @param name short, unique within the rule set
 * @param guidance the guidance ids the scenario protects
 */
public record Scenario(
    String name,
    String description,
    List<String> guidance,
    CustomerContext context,
    Expectation expect) {
  public Scenario {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a scenario needs a name");
    }
    if (context == null) {
      throw new IllegalArgumentException("scenario '" + name + "' needs a context");
    }
    if (expect == null) {
      throw new IllegalArgumentException("scenario '" + name + "' needs expectations");
    }
    guidance = guidance == null ? List.of() : List.copyOf(guidance);
  }
}
