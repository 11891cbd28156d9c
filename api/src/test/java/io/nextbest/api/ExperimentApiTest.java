package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.experiments.Arms;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Champion/challenger over HTTP: start, decisions carry their arm, report, promote through the
 * gate.
 */
@ExtendWith(VertxExtension.class)
class ExperimentApiTest {
  static Services services;
  static WebClient agent;
  static WebClient analyst;
  static int challenger;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    RuleSetSource bundled = RuleSetSource.bundled();
    String learning = bundled.text("learning.json").replace("\"EMAIL\": 0.0", "\"EMAIL\": 0.5");
    challenger =
        services
            .registry()
            .register(
                bundled.with(
                    "email-half",
                    Map.of("learning.json", learning.getBytes(StandardCharsets.UTF_8))),
                "ann",
                "explore email half as much",
                "test")
            .sequence();
  }

  static HttpResponse<Buffer> post(WebClient client, String path, Object body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString()))
        .await();
  }

  @Test
  void anExperiment_splitsCustomersStickily_reportsPerArm_andPromotesTheChallenger() {
    HttpResponse<Buffer> bad =
        post(
            analyst,
            "/v1/experiments",
            new JsonObject().put("id", "Bad Id").put("challenger", challenger).put("share", 2));
    assertThat(bad.statusCode()).as(bad.bodyAsString()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("share").contains("id");
    HttpResponse<Buffer> unknown =
        post(
            analyst,
            "/v1/experiments",
            new JsonObject().put("id", "exp-none").put("challenger", 99).put("share", 0.5));
    assertThat(unknown.statusCode()).as(unknown.bodyAsString()).isEqualTo(422);
    assertThat(
            unknown.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("challenger");
    assertThat(
            post(
                    agent,
                    "/v1/experiments",
                    new JsonObject()
                        .put("id", "exp-x")
                        .put("challenger", challenger)
                        .put("share", 0.5))
                .statusCode())
        .as("agents may not")
        .isEqualTo(403);

    String label = services.registry().version(challenger).label();
    String wrongHash = label.substring(0, label.indexOf('-') + 1) + "000000000000";
    HttpResponse<Buffer> mislabelled =
        post(
            analyst,
            "/v1/experiments",
            new JsonObject().put("id", "exp-l").put("challenger", wrongHash).put("share", 0.5));
    assertThat(mislabelled.statusCode()).as(mislabelled.bodyAsString()).isEqualTo(422);
    assertThat(mislabelled.bodyAsString()).contains("is " + label);
    assertThat(
            post(
                    analyst,
                    "/v1/experiments",
                    new JsonObject().put("id", "exp-l").put("challenger", "v99").put("share", 0.5))
                .statusCode())
        .as("a label of no stored version")
        .isEqualTo(422);
    assertThat(
            post(
                    analyst,
                    "/v1/experiments",
                    new JsonObject()
                        .put("id", "exp-l")
                        .put("challenger", "the new one")
                        .put("share", 0.5))
                .statusCode())
        .as("neither a number nor a label: the contract refuses it")
        .isEqualTo(400);

    // The challenger named as decisions report it.
    JsonObject body =
        new JsonObject()
            .put("id", "exp-api")
            .put("challenger", label)
            .put("share", 0.5)
            .put("successEvents", new JsonArray().add("PURCHASE"));
    HttpResponse<Buffer> started = post(analyst, "/v1/experiments", body);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    assertThat(started.bodyAsJsonObject().getString("status")).isEqualTo("RUNNING");
    assertThat(post(analyst, "/v1/experiments", body.copy().put("id", "exp-two")).statusCode())
        .as("one at a time")
        .isEqualTo(409);

    int challengers = 0;
    for (int i = 0; i < 40; i++) {
      String c = "api-exp-" + i;
      HttpResponse<Buffer> r = post(agent, "/v1/decisions", new JsonObject().put("customerId", c));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonObject arm = r.bodyAsJsonObject().getJsonArray("experiments").getJsonObject(0);
      boolean inChallenger = Arms.inShare(c, "exp-api", 0.5);
      assertThat(arm.getString("arm")).isEqualTo(inChallenger ? "challenger" : "champion");
      challengers += inChallenger ? 1 : 0;
    }
    HttpResponse<Buffer> report = analyst.get("/v1/experiments/exp-api").send().await();
    assertThat(report.statusCode()).as(report.bodyAsString()).isEqualTo(200);
    JsonArray arms = report.bodyAsJsonObject().getJsonArray("arms");
    assertThat(arms.getJsonObject(0).getString("arm")).isEqualTo("champion");
    assertThat(arms.getJsonObject(0).getLong("customers")).isEqualTo(40 - challengers);
    assertThat(arms.getJsonObject(1).getLong("decisions")).isEqualTo(challengers);
    assertThat(analyst.get("/v1/experiments/no-such").send().await().statusCode()).isEqualTo(404);

    HttpResponse<Buffer> promoted = post(analyst, "/v1/experiments/exp-api/promote", "");
    assertThat(promoted.statusCode()).as(promoted.bodyAsString()).isEqualTo(200);
    assertThat(promoted.bodyAsJsonObject().getString("status")).isEqualTo("PROMOTED");
    assertThat(services.registry().activeSequence()).isEqualTo(challenger);
    HttpResponse<Buffer> again = post(analyst, "/v1/experiments/exp-api/stop", "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("conflict");
  }

  /**
   * A success by absence over HTTP: refused when it names no event, started, and until its days are
   * over every customer is pending, out of the rate and the uplift.
   */
  @Test
  void noChurnWithinNDays_isDeclared_andReportsItsCustomersPendingUntilTheDaysAreOver() {
    RuleSetSource bundled = RuleSetSource.bundled();
    String learning = bundled.text("learning.json").replace("\"SMS\": 0.0", "\"SMS\": 0.5");
    int version =
        services
            .registry()
            .register(
                bundled.with(
                    "sms-half", Map.of("learning.json", learning.getBytes(StandardCharsets.UTF_8))),
                "ann",
                "explore sms half as much",
                "test")
            .sequence();
    JsonObject body =
        new JsonObject()
            .put("id", "keep-api")
            .put("challenger", version)
            .put("share", 0.5)
            .put(
                "successWithout",
                new JsonObject()
                    .put("events", new JsonArray().add("PRODUCT_CLOSED"))
                    .put("withinDays", 90));
    HttpResponse<Buffer> none =
        post(
            analyst,
            "/v1/experiments",
            body.copy().put("successWithout", new JsonObject().put("events", new JsonArray())));
    assertThat(none.statusCode()).as(none.bodyAsString()).isEqualTo(422);
    HttpResponse<Buffer> unknown =
        post(
            analyst,
            "/v1/experiments",
            body.copy()
                .put(
                    "successWithout",
                    new JsonObject().put("events", new JsonArray().add("CHURN"))));
    assertThat(unknown.statusCode()).as(unknown.bodyAsString()).isEqualTo(400);
    HttpResponse<Buffer> started = post(analyst, "/v1/experiments", body);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    assertThat(started.bodyAsJsonObject().getJsonObject("successWithout").getInteger("withinDays"))
        .isEqualTo(90);
    for (int i = 0; i < 10; i++) {
      assertThat(
              post(agent, "/v1/decisions", new JsonObject().put("customerId", "keep-api-" + i))
                  .statusCode())
          .isEqualTo(200);
    }
    JsonObject report = analyst.get("/v1/experiments/keep-api").send().await().bodyAsJsonObject();
    long customers = 0;
    for (Object o : report.getJsonArray("arms")) {
      JsonObject arm = (JsonObject) o;
      customers += arm.getLong("customers");
      assertThat(arm.getLong("pending")).as(arm.encode()).isEqualTo(arm.getLong("customers"));
      assertThat(arm.getLong("successes")).isZero();
    }
    assertThat(customers).isEqualTo(10);
    assertThat(report.containsKey("uplift")).as("no customer is decided yet").isFalse();
    assertThat(post(analyst, "/v1/experiments/keep-api/stop", "").statusCode()).isEqualTo(200);
  }
}
