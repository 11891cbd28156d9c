package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.ScenarioResult;
import io.nextbest.engine.scenario.Scenarios;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every persona scenario shipped with the bundled rule set holds when decided over HTTP. */
@ExtendWith(VertxExtension.class)
class ScenarioApiTest {
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    client = TestApi.start(vertx, TestApi.config());
  }

  @TestFactory
  Stream<DynamicTest> personaScenarios_holdOverHttp() {
    List<Scenario> scenarios = Scenarios.load(RuleSetSource.bundled());
    assertThat(scenarios).as("persona scenarios in the bundled rule set").isNotEmpty();

    return scenarios.stream().map(s -> dynamicTest(s.name(), () -> decidesAsExpected(s)));
  }

  private static void decidesAsExpected(Scenario scenario) throws Exception {
    HttpResponse<Buffer> response =
        client
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(Json.mapper().writeValueAsBytes(scenario.context())))
            .await();

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    Decision decision = Json.mapper().readValue(response.bodyAsString(), Decision.class);
    ScenarioResult result = Scenarios.check(scenario, decision);
    assertThat(result.failures()).as(scenario.description()).isEmpty();
    assertThat(result.passed()).isTrue();
  }
}
