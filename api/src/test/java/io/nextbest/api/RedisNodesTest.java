package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.redis.RedisServer;
import io.nextbest.engine.registry.VersionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two API nodes (separate Services, separate ports) sharing one real redis-server: what one node is
 * told, the other knows — events, the contact ledger behind fatigue caps, the audit trail, the
 * active rule-set version — and with Redis gone decisions degrade while events are refused.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisNodesTest {
  static RedisServer redis;
  static Services servicesA;
  static Services servicesB;
  static WebClient a;
  static WebClient b;
  static WebClient analystA;

  @BeforeAll
  static void start(Vertx vertx) {
    redis = RedisServer.start();
    ApiConfig configA = TestApi.config();
    ApiConfig configB = TestApi.config();
    servicesA = Services.open(vertx, configA, StoreConfig.redis(redis.url()));
    servicesB = Services.open(vertx, configB, StoreConfig.redis(redis.url()));
    ApiServer.deploy(vertx, servicesA, configA).await();
    ApiServer.deploy(vertx, servicesB, configB).await();
    a = TestApi.client(vertx, configA, TestApi.AGENT_KEY);
    b = TestApi.client(vertx, configB, TestApi.AGENT_KEY);
    analystA = TestApi.client(vertx, configA, TestApi.ANALYST_KEY);
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

  static JsonObject decide(WebClient client, String customer) {
    HttpResponse<Buffer> r = post(client, "/v1/decisions", "{\"customerId\":\"" + customer + "\"}");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  @Order(1)
  void anEventSentToA_isInTheNextDecisionOnB() {
    JsonObject before = decide(b, "x1");
    assertThat(before.getJsonArray("criticalGaps")).isEmpty();
    // B has now cached x1's (empty) history; A takes an event for x1.
    HttpResponse<Buffer> r =
        post(
            a,
            "/v1/events",
            CustomerApiTest.event(
                "x1-c", "x1", "COMPLAINT_OPENED", 2, "complaintId", "K-9", "severity", "HIGH"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject after = decide(b, "x1");
    assertThat(after.getJsonObject("profileSource").getInteger("storedEventsUsed")).isEqualTo(1);
    assertThat(after.getJsonArray("criticalGaps").getJsonObject(0).getString("kind"))
        .isEqualTo("OPEN_COMPLAINT");
    assertThat(
            post(
                    b,
                    "/v1/events",
                    CustomerApiTest.event(
                        "x1-c",
                        "x1",
                        "COMPLAINT_OPENED",
                        2,
                        "complaintId",
                        "K-9",
                        "severity",
                        "HIGH"))
                .bodyAsJsonObject()
                .getString("status"))
        .as("B knows the event id A stored")
        .isEqualTo("DUPLICATE");
  }

  @Test
  @Order(2)
  void theFatigueCap_holdsAcrossBothNodes() {
    JsonArray history = CustomerApiTest.happyCustomer("x2");
    assertThat(post(a, "/v1/events", history).statusCode()).isEqualTo(200);
    JsonObject first = decide(b, "x2");
    assertThat(CustomerApiTest.outbound(first)).isNotEmpty();
    int cap = first.getJsonObject("contact").getInteger("max7Days");
    // Sends recorded on A: by event, and by feedback on A about a decision made on B, once A
    // finds it in the shared store (B answers from its own memory until its record is written).
    await(
        () ->
            analystA
                    .get("/v1/decisions/" + first.getString("decisionId"))
                    .send()
                    .await()
                    .statusCode()
                == 200);
    HttpResponse<Buffer> fb =
        post(
            a,
            "/v1/feedback",
            new JsonObject()
                .put("decisionId", first.getString("decisionId"))
                .put("actionId", CustomerApiTest.outbound(first).get(0))
                .put("outcome", "SENT"));
    assertThat(fb.statusCode()).as(fb.bodyAsString()).isEqualTo(200);
    for (int i = 1; i < cap; i++) {
      post(
          a,
          "/v1/events",
          CustomerApiTest.event(
              "x2-o" + i,
              "x2",
              "OUTREACH_SENT",
              1,
              "actionId",
              "value-usage-tips",
              "channel",
              "EMAIL"));
    }
    JsonObject onB = decide(b, "x2");
    assertThat(onB.getJsonObject("contact").getInteger("sent7Days")).isEqualTo(Math.max(cap, 1));
    assertThat(CustomerApiTest.outbound(onB)).as("B holds back outreach A already spent").isEmpty();
    assertThat(CustomerApiTest.outbound(decide(a, "x2"))).isEmpty();
  }

  @Test
  @Order(3)
  void customersStoredThroughA_areListedByB() {
    assertThat(
            post(a, "/v1/events", CustomerApiTest.event("x4-1", "x4", "PURCHASE", 1)).statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> r = b.get("/v1/customers?prefix=x").send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("customerIds").getList())
        .containsExactly("x1", "x2", "x4");
  }

  @Test
  @Order(4)
  void anActivationOnA_isPickedUpByB() {
    RuleSetSource active = servicesA.registry().active().source();
    byte[] dmn = active.bytes("dmn/contact-policy.dmn");
    byte[] changed =
        (new String(dmn, StandardCharsets.UTF_8)
                + "\n<!-- a harmless edit makes a new version -->\n")
            .getBytes(StandardCharsets.UTF_8);
    VersionInfo v =
        servicesA.registry().upload(Map.of("dmn/contact-policy.dmn", changed), null, "ann", "test");
    servicesA.registry().activate(v.sequence(), "ann");
    assertThat(health(a)).isEqualTo(v.label());
    await(() -> v.label().equals(health(b)));
    assertThat(decide(b, "x1").getString("ruleSetVersion")).isEqualTo(v.label());
  }

  static String health(WebClient client) {
    return client.get("/health").send().await().bodyAsJsonObject().getString("ruleSetVersion");
  }

  @Test
  @Order(5)
  void withRedisGone_decisionsDegrade_andEventsAre503() {
    redis.close();
    JsonObject d = decide(a, "x2");
    assertThat(d.getBoolean("degraded")).isTrue();
    assertThat(d.getJsonObject("profileSource").getString("degradedReason"))
        .contains("unavailable");
    JsonObject full = post(b, "/v1/decisions", TestApi.EXAMPLE).bodyAsJsonObject();
    assertThat(full.getBoolean("degraded")).isTrue();
    assertThat(full.getJsonArray("criticalGaps").getJsonObject(0).getString("kind"))
        .as("what the request carries still counts")
        .isEqualTo("OPEN_COMPLAINT");
    assertThat(full.getJsonArray("actions")).isNotEmpty();
    HttpResponse<Buffer> r =
        post(a, "/v1/events", CustomerApiTest.event("x3-1", "x3", "PURCHASE", 1));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(b.get("/v1/customers").send().await().statusCode())
        .as("no list of customers without the store")
        .isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    redis = redis.restart();
    // Back again: events are taken (the new server is empty; state lives where Redis keeps it).
    await(
        () ->
            post(a, "/v1/events", CustomerApiTest.event("x3-1", "x3", "PURCHASE", 1)).statusCode()
                == 200);
    assertThat(decide(b, "x3").getBoolean("degraded")).isFalse();
  }

  static void await(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
