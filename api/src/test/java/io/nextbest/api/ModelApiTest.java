package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analyst-owned models answer directly over HTTP, with exact numbers and named input errors.
 */
@ExtendWith(VertxExtension.class)
class ModelApiTest {
  static WebClient analyst;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
  }

  static HttpResponse<Buffer> evaluate(String path, String body) {
    return analyst
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  @Test
  void models_listTheirInputsAndDecisions() {
    JsonArray models = analyst.get("/v1/models").send().await().bodyAsJsonArray();
    JsonObject classification =
        models.stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("name").equals("Quadrant Classification"))
            .findFirst()
            .orElseThrow();
    assertThat(
            classification.getJsonArray("inputs").stream()
                .map(i -> ((JsonObject) i).getString("name")))
        .containsExactlyInAnyOrder("Engagement Index", "Experience Index");
    assertThat(classification.getJsonArray("decisions")).hasSize(3);
  }

  @Test
  void aModelEvaluates_everyDecisionWithItsResult() {
    HttpResponse<Buffer> r =
        evaluate(
            "/v1/models/Quadrant%20Classification/evaluate",
            "{\"Experience Index\": 60, \"Engagement Index\": 49.9}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    JsonObject quadrant =
        body.getJsonArray("decisions").stream()
            .map(JsonObject.class::cast)
            .filter(d -> d.getString("name").equals("Quadrant"))
            .findFirst()
            .orElseThrow();
    assertThat(quadrant.getString("result")).isEqualTo("Q2");
    assertThat(quadrant.getString("status")).isEqualTo("SUCCEEDED");
  }

  @Test
  void compoundOutputs_comeBackAsObjects_withExactNumbers() {
    JsonObject body =
        evaluate(
                "/v1/rulesets/1/models/Contact%20Policy/evaluate",
                "{\"Quadrant\": \"Q4\", \"Experience Index\": 85.0000000000000000001}")
            .bodyAsJsonObject();
    JsonObject limits = body.getJsonArray("decisions").getJsonObject(0).getJsonObject("result");
    assertThat(limits.getInteger("max7Days")).isEqualTo(3);
    assertThat(limits.getInteger("max30Days")).isEqualTo(8);
  }

  @Test
  void badInputs_arenamedInA422_andUnknownModelsAre404() {
    HttpResponse<Buffer> bad =
        evaluate(
            "/v1/models/Quadrant%20Classification/evaluate", "{\"Experience Index\": \"high\"}");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("Experience Index");
    assertThat(evaluate("/v1/models/Nope/evaluate", "{}").statusCode()).isEqualTo(404);
    assertThat(
            evaluate("/v1/models/Quadrant%20Classification/evaluate", "{\"Experience Index\": ")
                .statusCode())
        .isEqualTo(400);
  }
}
