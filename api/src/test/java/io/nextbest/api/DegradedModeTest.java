package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the customer store unreachable a decision rests on the request alone: the pipeline holds
 * outreach and every offer but repair and service, says so, and nothing learns from it.
 */
@ExtendWith(VertxExtension.class)
class DegradedModeTest {
  /**
   * A content, engaged, opted-in customer: on a full profile the engine recommends offers and
   * outreach.
   */
  static final String HAPPY =
      """
      {"customerId":"dg-happy","asOf":"2026-11-23T10:00:00Z",
       "profile":{"csat":[{"at":"2026-11-01T10:00:00Z","value":5},{"at":"2026-10-01T10:00:00Z","value":5}],
                  "nps":{"at":"2026-11-02T10:00:00Z","value":10},
                  "consent":{"EMAIL":true,"SMS":true,"PUSH":true},
                  "products":[{"product":"BROADBAND","since":"2022-01-01T00:00:00Z"}],
                  "purchases90d":3,"referrals12m":1,"tenureMonths":48,"annualValue":900},
       "interaction":{"channel":"PHONE","reason":"upgrade","sentiment":"POSITIVE"}}
      """;

  static RedisServer redis;
  static Services services;
  static WebClient agent;

  @BeforeAll
  static void start(Vertx vertx) {
    redis = RedisServer.start();
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config, StoreConfig.redis(redis.url()));
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static boolean heldInDegradedMode(ActionFamily family, boolean outbound) {
    return outbound
        || !(family == ActionFamily.EXPERIENCE_REPAIR || family == ActionFamily.PROACTIVE_SERVICE);
  }

  @Test
  void theEngine_degraded_holdsOutreachAndOffers_andSaysWhy() throws Exception {
    DecisionEngine engine = TestApi.engine();
    CustomerContext ctx = Json.mapper().readValue(HAPPY, CustomerContext.class);
    Decision normal = engine.decide(ctx, engine.newDecisionId(), false).decision();
    assertThat(normal.actions())
        .as("the case bites: on a full profile offers or outreach are recommended")
        .anyMatch(a -> heldInDegradedMode(a.family(), a.outbound()));

    Decision degraded = engine.decide(ctx, engine.newDecisionId(), true).decision();
    assertThat(degraded.actions()).allMatch(a -> !heldInDegradedMode(a.family(), a.outbound()));
    for (RecommendedAction held :
        normal.actions().stream()
            .filter(a -> heldInDegradedMode(a.family(), a.outbound()))
            .toList()) {
      SuppressedAction s =
          degraded.suppressed().stream()
              .filter(x -> x.actionId().equals(held.actionId()))
              .findFirst()
              .orElseThrow();
      assertThat(s.by())
          .anyMatch(
              b ->
                  b.rule().equals(DecisionEngine.DEGRADED_HOLD)
                      && b.reason().contains("unreachable")
                      && b.guidance().contains("G9"));
    }
  }

  @Test
  void withTheStoreDown_theAnswerSaysDegraded_andFeedbackOnItTeachesNothing() {
    redis.close();
    // A customer at the cap with open gaps looks like anyone to a degraded decision: an open
    // complaint in the request keeps repair on offer, everything promotional is held.
    HttpResponse<Buffer> r =
        CustomerApiTest.post(
            agent, "/v1/decisions", TestApi.EXAMPLE.replace("\"c-1\"", "\"dg-1\""));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    Decision degraded = Json.mapper().convertValue(r.bodyAsJsonObject().getMap(), Decision.class);
    assertThat(degraded.degraded()).isTrue();
    assertThat(degraded.profileSource().degradedReason()).contains("unavailable");
    assertThat(degraded.actions())
        .isNotEmpty()
        .allMatch(a -> !heldInDegradedMode(a.family(), a.outbound()));
    assertThat(degraded.held()).anyMatch(h -> h.rule().equals(DecisionEngine.DEGRADED_HOLD));

    redis = redis.restart();
    RedisNodesTest.await(() -> services.customers().store().reachable());
    String action = degraded.actions().get(0).actionId();
    HttpResponse<Buffer> f = feedback(degraded.decisionId(), action);
    assertThat(f.statusCode()).as(f.bodyAsString()).isEqualTo(200);
    assertThat(f.bodyAsJsonObject().getBoolean("recorded")).isTrue();
    assertThat(f.bodyAsJsonObject().getBoolean("learned"))
        .as("a degraded decision's quadrant is not the customer's")
        .isFalse();
    OutcomeKey key = new OutcomeKey(action, degraded.segment().quadrant());
    assertThat(services.customers().store().propensityCounts()).doesNotContainKey(key);

    // The same feedback on the same answer made with the store up does teach: the check bites.
    JsonObject normal =
        CustomerApiTest.post(agent, "/v1/decisions", TestApi.EXAMPLE.replace("\"c-1\"", "\"dg-2\""))
            .bodyAsJsonObject();
    assertThat(normal.getBoolean("degraded")).isFalse();
    String same = normal.getJsonArray("actions").getJsonObject(0).getString("actionId");
    assertThat(
            feedback(normal.getString("decisionId"), same).bodyAsJsonObject().getBoolean("learned"))
        .isTrue();
  }

  static HttpResponse<Buffer> feedback(String decisionId, String actionId) {
    return CustomerApiTest.post(
        agent,
        "/v1/feedback",
        new JsonObject(
            Map.of(
                "decisionId",
                decisionId,
                "actionId",
                actionId,
                "outcome",
                "ACCEPTED_BY_CUSTOMER")));
  }
}
