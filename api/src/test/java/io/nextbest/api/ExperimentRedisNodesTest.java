package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.experiments.Arms;
import io.nextbest.engine.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An experiment started on one node routes and counts on both, with the same arm for a customer
 * wherever it is decided.
 */
@ExtendWith(VertxExtension.class)
class ExperimentRedisNodesTest {
  static RedisServer redis;
  static Services servicesA;
  static Services servicesB;
  static WebClient agentA;
  static WebClient agentB;
  static WebClient analystA;
  static WebClient analystB;

  @BeforeAll
  static void start(Vertx vertx) {
    redis = RedisServer.start();
    ApiConfig configA = TestApi.config();
    ApiConfig configB = TestApi.config();
    servicesA = Services.open(vertx, configA, StoreConfig.redis(redis.url()));
    servicesB = Services.open(vertx, configB, StoreConfig.redis(redis.url()));
    ApiServer.deploy(vertx, servicesA, configA).await();
    ApiServer.deploy(vertx, servicesB, configB).await();
    agentA = TestApi.client(vertx, configA, TestApi.AGENT_KEY);
    agentB = TestApi.client(vertx, configB, TestApi.AGENT_KEY);
    analystA = TestApi.client(vertx, configA, TestApi.ANALYST_KEY);
    analystB = TestApi.client(vertx, configB, TestApi.ANALYST_KEY);
  }

  @AfterAll
  static void stop() {
    if (servicesA != null) {
      servicesA.close();
    }
    if (servicesB != null) {
      servicesB.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static HttpResponse<Buffer> post(WebClient client, String path, Object body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString()))
        .await();
  }

  static String arm(WebClient agent, String customer) {
    HttpResponse<Buffer> r =
        post(agent, "/v1/decisions", new JsonObject().put("customerId", customer));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    var experiments = r.bodyAsJsonObject().getJsonArray("experiments");
    return experiments == null ? null : experiments.getJsonObject(0).getString("arm");
  }

  @Test
  void bothNodes_routeTheSameCustomerToTheSameArm_andCountIntoOneReport()
      throws InterruptedException {
    RuleSetSource bundled = RuleSetSource.bundled();
    String learning = bundled.text("learning.json").replace("\"EMAIL\": 0.0", "\"EMAIL\": 0.5");
    int v =
        servicesA
            .registry()
            .register(
                bundled.with(
                    "email-half",
                    Map.of("learning.json", learning.getBytes(StandardCharsets.UTF_8))),
                "ann",
                "candidate",
                "test")
            .sequence();
    HttpResponse<Buffer> started =
        post(
            analystA,
            "/v1/experiments",
            new JsonObject().put("id", "nodes-exp").put("challenger", v).put("share", 0.5));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);

    // Node B learns of the experiment from Redis on its next bookkeeping round.
    long giveUp = System.nanoTime() + 30_000_000_000L;
    while (arm(agentB, "probe") == null) {
      assertThat(System.nanoTime()).as("node B never saw the experiment").isLessThan(giveUp);
      Thread.sleep(100);
    }
    int n = 20;
    for (int i = 0; i < n; i++) {
      String c = "nodes-" + i;
      String expected = Arms.inShare(c, "nodes-exp", 0.5) ? "challenger" : "champion";
      assertThat(arm(agentA, c)).isEqualTo(expected);
      assertThat(arm(agentB, c)).as("the same arm on the other node").isEqualTo(expected);
    }
    long decisions = 0;
    while (decisions < 2L * n + 1) {
      // Each node writes its counts in batches; the report is read from Redis.
      JsonObject report =
          analystB.get("/v1/experiments/nodes-exp").send().await().bodyAsJsonObject();
      decisions =
          report.getJsonArray("arms").stream()
              .mapToLong(a -> ((JsonObject) a).getLong("decisions"))
              .sum();
      assertThat(decisions).isLessThanOrEqualTo(2L * n + 1);
      if (decisions < 2L * n + 1) {
        assertThat(System.nanoTime()).as("counts never reached Redis").isLessThan(giveUp);
        Thread.sleep(100);
      }
    }
    JsonObject report = analystA.get("/v1/experiments/nodes-exp").send().await().bodyAsJsonObject();
    long customers =
        report.getJsonArray("arms").stream()
            .mapToLong(a -> ((JsonObject) a).getLong("customers"))
            .sum();
    assertThat(customers).as("each customer once, whichever node decided").isEqualTo(n + 1);
  }

  static int register(String channel, String comment) {
    RuleSetSource bundled = RuleSetSource.bundled();
    String learning =
        bundled
            .text("learning.json")
            .replace("\"" + channel + "\": 0.0", "\"" + channel + "\": 0.25");
    return servicesA
        .registry()
        .register(
            bundled.with(
                comment, Map.of("learning.json", learning.getBytes(StandardCharsets.UTF_8))),
            "ann",
            comment,
            "test")
        .sequence();
  }

  static long activations(int version) {
    return servicesA.registry().audit(1000).stream()
        .filter(a -> "activate".equals(a.action()) && Integer.valueOf(version).equals(a.version()))
        .count();
  }

  /** Both requests sent before either is answered; their statuses, A's first. */
  static List<HttpResponse<Buffer>> atOnce(String pathA, String pathB) {
    var a = analystA.post(pathA).send();
    var b = analystB.post(pathB).send();
    return List.of(a.await(), b.await());
  }

  /**
   * Two nodes ending the same experiment at the same moment: one does, the other is told 409, and
   * the challenger is activated at most once.
   */
  @Test
  void endingAnExperimentOnBothNodesAtOnce_hasOneWinner_andA409ForTheOther()
      throws InterruptedException {
    // What another test left running is ended first (404 or 409 when there is none).
    post(analystA, "/v1/experiments/nodes-exp/stop", "");
    int v = register("PUSH", "push-quarter");
    HttpResponse<Buffer> started =
        post(
            analystA,
            "/v1/experiments",
            new JsonObject().put("id", "race-1").put("challenger", v).put("share", 0.5));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    int activeBefore = servicesA.registry().activeSequence();

    List<HttpResponse<Buffer>> first =
        atOnce("/v1/experiments/race-1/promote", "/v1/experiments/race-1/stop");
    assertThat(first)
        .extracting(HttpResponse::statusCode)
        .as(first.get(0).bodyAsString() + " / " + first.get(1).bodyAsString())
        .containsExactlyInAnyOrder(200, 409);
    HttpResponse<Buffer> won = first.get(0).statusCode() == 200 ? first.get(0) : first.get(1);
    HttpResponse<Buffer> lost = won == first.get(0) ? first.get(1) : first.get(0);
    assertThat(lost.bodyAsJsonObject().getString("type")).endsWith("conflict");
    String status = won.bodyAsJsonObject().getString("status");
    assertThat(
            analystB
                .get("/v1/experiments/race-1")
                .send()
                .await()
                .bodyAsJsonObject()
                .getJsonObject("experiment")
                .getString("status"))
        .as("what is stored is what the winner answered")
        .isEqualTo(status);
    if (status.equals("PROMOTED")) {
      assertThat(activations(v)).as("promoted once").isEqualTo(1);
    } else {
      assertThat(activations(v)).as("stopped: never promoted").isZero();
      assertThat(servicesA.registry().activeSequence()).isEqualTo(activeBefore);
    }

    // Both nodes promote: the challenger is activated once.
    int w = register("SMS", "sms-quarter");
    HttpResponse<Buffer> again =
        post(
            analystB,
            "/v1/experiments",
            new JsonObject().put("id", "race-2").put("challenger", w).put("share", 0.5));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(201);
    List<HttpResponse<Buffer>> second =
        atOnce("/v1/experiments/race-2/promote", "/v1/experiments/race-2/promote");
    assertThat(second)
        .extracting(HttpResponse::statusCode)
        .as(second.get(0).bodyAsString() + " / " + second.get(1).bodyAsString())
        .containsExactlyInAnyOrder(200, 409);
    assertThat(activations(w)).as("activated by one node only").isEqualTo(1);
    // Each node learns of an activation on the other on its next look at the registry.
    long giveUp = System.nanoTime() + 30_000_000_000L;
    while (servicesA.registry().activeSequence() != w
        || servicesB.registry().activeSequence() != w) {
      assertThat(System.nanoTime()).as("both nodes run the promoted version").isLessThan(giveUp);
      Thread.sleep(100);
    }
  }
}
