package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.ScenarioResult;
import io.nextbest.engine.scenario.Scenarios;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every persona scenario shipped with the rule set holds on the bundled rules. */
class PersonaScenariosTest {
  private static final List<Scenario> SCENARIOS = Scenarios.load(BundledRuleSet.SOURCE);

  @TestFactory
  Stream<DynamicTest> everyScenarioHolds() {
    return SCENARIOS.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.name(),
                    () -> {
                      ScenarioResult r =
                          Scenarios.run(BundledRuleSet.ENGINE, BundledRuleSet.RULES, List.of(s))
                              .get(0);
                      assertThat(r.failures()).as(s.name() + ": " + s.description()).isEmpty();
                      assertThat(r.passed()).isTrue();
                    }));
  }

  @Test
  void scenarios_coverEveryQuadrantAndTheRequiredPersonas() {
    Set<Quadrant> quadrants =
        SCENARIOS.stream()
            .map(s -> s.expect().quadrant())
            .filter(q -> q != null)
            .collect(Collectors.toSet());
    assertThat(quadrants).containsExactlyInAnyOrder(Quadrant.values());
    assertThat(SCENARIOS.stream().map(Scenario::name))
        .contains(
            "open-critical-complaint",
            "three-negatives-in-window",
            "just-resolved-rated-5",
            "at-the-fatigue-cap",
            "email-consent-withdrawn");
  }

  @Test
  void scenarioNames_areUnique() {
    assertThat(SCENARIOS.stream().map(Scenario::name)).doesNotHaveDuplicates();
  }
}
