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
}
