package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.learning.OffPolicyEvaluation;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.RecommendedAction;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/rulesets/{version}/offline-evaluation}: an exploring version decides live, the
 * customers answer, and the bundled version is scored on that traffic from the audit trail.
 */
@ExtendWith(VertxExtension.class)
class OfflineEvaluationApiTest {
  static Services services;
  static WebClient agent;
  static WebClient analyst;
  static int bundled;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    bundled = services.registry().activeSequence();
  }

  static HttpResponse<Buffer> post(WebClient client, String path, Object body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString()))
        .await();
  }

  /** A well-served customer who consents to email and SMS: outbound offers, explored. */
  static JsonObject satisfiedQuiet(String id) {
    Instant now = Instant.now();
    return new JsonObject()
        .put("customerId", id)
        .put(
            "profile",
            new JsonObject()
                .put(
                    "csat",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("at", now.minusSeconds(20 * 86400).toString())
                                .put("value", 5)))
                .put("consent", new JsonObject().put("EMAIL", true).put("SMS", true))
                .put(
                    "products",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("product", "BROADBAND")
                                .put("since", now.minusSeconds(900 * 86400L).toString()))));
  }

  @Test
  void theBundledVersion_isScoredOnAnExploringVersionsTraffic() throws Exception {
    RuleSetSource source = RuleSetSource.bundled();
    String learning = source.text("learning.json");
    for (String channel : List.of("EMAIL", "SMS", "PUSH", "APP", "WEB")) {
      learning = learning.replace("\"" + channel + "\": 0.0", "\"" + channel + "\": 1.0");
    }
    int exploring =
        services
            .registry()
            .register(
                source.with(
                    "explore-outbound",
                    Map.of("learning.json", learning.getBytes(StandardCharsets.UTF_8))),
                "ann",
                "explore every outbound channel",
                "test")
            .sequence();
    services.registry().activate(exploring, "ann");
    Instant from = Instant.now().minusSeconds(1);

    int n = 40;
    List<String> ids = new ArrayList<>();
    Map<String, String> tops = new HashMap<>();
    Map<String, Double> chances = new HashMap<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<Buffer> r = post(agent, "/v1/decisions", satisfiedQuiet("ope-api-" + i));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonObject d = r.bodyAsJsonObject();
      String id = d.getString("decisionId");
      ids.add(id);
      tops.put(id, d.getJsonArray("actions").getJsonObject(0).getString("actionId"));
      JsonObject exploration = d.getJsonObject("exploration");
      chances.put(id, exploration == null ? 1.0 : exploration.getDouble("topChoiceProbability"));
    }
    assertThat(chances.values()).as("the version explored").anyMatch(p -> p < 1);

    // What the bundled version ranks first on each recorded context, decided live (its learning
    // explores nothing) on the propensities of the moment: nothing was learned since.
    RuleSet candidate = services.registry().ruleSet(bundled);
    Map<String, DecisionRecord> records = new HashMap<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (services.customers().store().decisionsBetween(from, Instant.now(), n + 1).size() < n) {
      assertThat(System.nanoTime()).as("the audit writer wrote the decisions").isLessThan(deadline);
      Thread.sleep(20);
    }
    Map<String, String> candidateTops = new HashMap<>();
    for (String id : ids) {
      DecisionRecord rec = services.customers().decision(id).orElseThrow();
      records.put(id, rec);
      CustomerContext ctx = rec.inputs().context();
      candidateTops.put(
          id,
          services
              .engine()
              .decide(ctx, candidate)
              .top()
              .map(RecommendedAction::actionId)
              .orElse(null));
    }

    // Every third customer accepts the action recommended first.
    Map<String, Double> rewards = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = ids.get(i);
      boolean accepts = i % 3 == 0;
      rewards.put(id, accepts ? 1.0 : 0.0);
      if (accepts) {
        HttpResponse<Buffer> f =
            post(
                agent,
                "/v1/feedback",
                new JsonObject()
                    .put("decisionId", id)
                    .put("actionId", tops.get(id))
                    .put("outcome", "ACCEPTED_BY_CUSTOMER"));
        assertThat(f.statusCode()).as(f.bodyAsString()).isLessThan(300);
      }
    }

    // By hand: the mean over the n decisions of reward / chance where the candidate agrees.
    double sum = 0;
    double weights = 0;
    int matched = 0;
    List<OffPolicyEvaluation.Logged> logs = new ArrayList<>();
    for (String id : ids) {
      if (tops.get(id).equals(candidateTops.get(id))) {
        matched++;
        sum += rewards.get(id) / chances.get(id);
        weights += 1 / chances.get(id);
      }
      logs.add(
          new OffPolicyEvaluation.Logged(
              records.get(id).inputs().context(), tops.get(id), chances.get(id), rewards.get(id)));
    }
    assertThat(matched).as("the candidate agrees with some decisions, not all").isBetween(1, n - 1);

    JsonObject body =
        new JsonObject()
            .put("from", from.toString())
            .put("to", Instant.now().plusSeconds(1).toString())
            .put("feedback", true);
    HttpResponse<Buffer> r = post(analyst, "/v1/rulesets/" + bundled + "/offline-evaluation", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject e = r.bodyAsJsonObject();
    assertThat(e.getString("candidate")).isEqualTo(candidate.version());
    assertThat(e.getInteger("read")).isEqualTo(n);
    assertThat(e.getInteger("decisions")).isEqualTo(n);
    assertThat(e.getInteger("matched")).isEqualTo(matched);
    assertThat(e.getString("scope")).as("the embedded store: this node's trail").isEqualTo("node");
    assertThat(e.getDouble("value")).isCloseTo(sum / n, within(1e-6));
    assertThat(e.getDouble("loggedValue"))
        .isCloseTo(
            rewards.values().stream().mapToDouble(Double::doubleValue).sum() / n, within(1e-6));
    if (sum > 0) {
      assertThat(e.getDouble("selfNormalised")).isCloseTo(sum / weights, within(1e-6));
    }
    // The version may be named by its label, as on every other rule-set route.
    HttpResponse<Buffer> byLabel =
        post(analyst, "/v1/rulesets/" + candidate.version() + "/offline-evaluation", body);
    assertThat(byLabel.statusCode()).as(byLabel.bodyAsString()).isEqualTo(200);
    assertThat(byLabel.bodyAsJsonObject().getDouble("value")).isCloseTo(sum / n, within(1e-6));

    // The library's estimator on the same log and the candidate's live choices agrees.
    OffPolicyEvaluation.Estimate lib =
        OffPolicyEvaluation.ipsOfTop(logs, l -> candidateTops.get(ids.get(logs.indexOf(l))));
    assertThat(e.getDouble("value")).isCloseTo(lib.value(), within(1e-6));
    assertThat(e.getDouble("variance")).isCloseTo(lib.variance(), within(1e-6));
    assertThat(e.getDouble("low")).isCloseTo(lib.low(), within(1e-6));
    assertThat(e.getDouble("high")).isCloseTo(lib.high(), within(1e-6));

    // The exploring version scored on its own traffic ranks on the means: it is another candidate.
    HttpResponse<Buffer> self =
        post(analyst, "/v1/rulesets/" + exploring + "/offline-evaluation", body);
    assertThat(self.statusCode()).as(self.bodyAsString()).isEqualTo(200);
    assertThat(self.bodyAsJsonObject().getInteger("decisions")).isEqualTo(n);

    // A limit keeps the latest.
    HttpResponse<Buffer> limited =
        post(
            analyst,
            "/v1/rulesets/" + bundled + "/offline-evaluation",
            body.copy().put("limit", 5));
    assertThat(limited.bodyAsJsonObject().getInteger("read")).isEqualTo(5);
    assertThat(limited.bodyAsJsonObject().getBoolean("truncated")).isTrue();
    services.registry().activate(bundled, "ann");
  }

  @Test
  void badRequests_areRefusedWithTheirField_neverAServerError() {
    String path = "/v1/rulesets/" + bundled + "/offline-evaluation";
    Map<JsonObject, Integer> cases = new java.util.LinkedHashMap<>();
    cases.put(new JsonObject().put("limit", 0), 422);
    cases.put(new JsonObject().put("limit", 10_001), 422);
    cases.put(new JsonObject().put("limit", "ten"), 400);
    cases.put(new JsonObject().put("from", "yesterday"), 400);
    cases.put(new JsonObject().put("successEvents", new JsonArray().add("CHURN")), 400);
    cases.put(new JsonObject().put("successWithinDays", 366), 422);
    cases.put(new JsonObject().put("window", 3), 400);
    cases.put(
        new JsonObject().put("from", "2026-12-01T00:00:00Z").put("to", "2026-11-01T00:00:00Z"),
        422);
    cases.put(new JsonObject().put("feedback", false), 422);
    cases.forEach(
        (body, status) -> {
          HttpResponse<Buffer> r = post(analyst, path, body);
          assertThat(r.statusCode()).as(body + ": " + r.bodyAsString()).isEqualTo(status);
        });
    HttpResponse<Buffer> unprocessable =
        post(analyst, path, new JsonObject().put("feedback", false));
    assertThat(
            unprocessable
                .bodyAsJsonObject()
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("field"))
        .isEqualTo("successEvents");
    assertThat(post(analyst, path, "[1]").statusCode()).isEqualTo(400);
    assertThat(post(analyst, path, "{").statusCode()).isEqualTo(400);
    assertThat(post(analyst, "/v1/rulesets/99/offline-evaluation", "{}").statusCode())
        .isEqualTo(404);
    assertThat(post(agent, path, "{}").statusCode()).as("analysts only").isEqualTo(403);
    HttpResponse<Buffer> empty = post(analyst, path, "{}");
    assertThat(empty.statusCode()).as(empty.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> offset =
        post(
            analyst,
            path,
            new JsonObject().put("from", "2026-11-01T01:00:00+01:00").put("limit", 10));
    assertThat(offset.statusCode()).as(offset.bodyAsString()).isEqualTo(200);
    assertThat(offset.bodyAsJsonObject().getString("from"))
        .as("an offset is read as the instant it names")
        .isEqualTo("2026-11-01T00:00:00Z");
  }
}
