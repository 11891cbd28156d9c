package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.registry.VersionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /metrics}: Prometheus text, open to scrapers, with the decision, rule, JVM and Vert.x
 * meters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {
  static Vertx vertx;
  static Services services;
  static WebClient agent;
  static WebClient anonymous;

  @BeforeAll
  static void start() {
    ServiceMetrics metrics = new ServiceMetrics();
    vertx = metrics.newVertx(new VertxOptions().setEventLoopPoolSize(2));
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config, StoreConfig.EMBEDDED, metrics);
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    anonymous = TestApi.client(vertx, config, null);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    services.close();
  }

  static String scrape() {
    HttpResponse<Buffer> r = anonymous.get("/metrics").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return r.bodyAsString(StandardCharsets.UTF_8.name());
  }

  /** The value of one series, or 0 when it is not exposed. */
  static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static JsonObject decide(String body, int status) {
    HttpResponse<Buffer> r =
        agent
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(body))
            .await();
    assertThat(r.statusCode()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  @Test
  @Order(1)
  void aDecision_countsItsTimeQuadrantTopFamilyFiringsAndSuppressions_withoutIds() {
    String before = scrape();
    JsonObject d = decide(TestApi.EXAMPLE, 200);
    String after = scrape();

    String top = d.getJsonArray("actions").getJsonObject(0).getString("family");
    String quadrant = d.getJsonObject("segment").getString("quadrant");
    String decisions =
        "nba_decisions_total{quadrant=\"" + quadrant + "\",top_family=\"" + top + "\"}";
    assertThat(value(after, decisions) - value(before, decisions)).isEqualTo(1);
    assertThat(
            value(after, "nba_decision_seconds_count{outcome=\"ok\"}")
                - value(before, "nba_decision_seconds_count{outcome=\"ok\"}"))
        .isEqualTo(1);
    assertThat(after)
        .contains("nba_decision_quantiles_seconds{outcome=\"ok\",quantile=\"0.99\"}")
        .contains("nba_decision_seconds_bucket{outcome=\"ok\",le=");

    String suppressedBy = d.getJsonArray("held").getJsonObject(0).getString("rule");
    String suppressions = "nba_suppressions_total{rule=\"" + suppressedBy + "\"}";
    assertThat(value(after, suppressions)).isGreaterThan(value(before, suppressions));
    int first =
        d.getJsonArray("actions")
            .getJsonObject(0)
            .getJsonObject("explanation")
            .getJsonArray("reasons")
            .getInteger(0);
    String reason = d.getJsonArray("reasons").getJsonObject(first).getString("rule");
    String firings = "nba_rule_firings_total{rule=\"" + reason + "\"}";
    assertThat(value(after, firings)).isGreaterThan(value(before, firings));

    assertThat(after).doesNotContain(d.getString("decisionId")).doesNotContain("\"c-1\"");
  }

  @Test
  @Order(1)
  void aRepeatedSituation_countsAsRemembered_aNewOneAsFired() {
    String remembered = "nba_rules_situations_total{result=\"remembered\"}";
    String fired = "nba_rules_situations_total{result=\"fired\"}";
    String before = scrape();
    decide(TestApi.EXAMPLE, 200);
    decide(TestApi.EXAMPLE, 200);
    String after = scrape();
    double hits = value(after, remembered) - value(before, remembered);
    double misses = value(after, fired) - value(before, fired);
    assertThat(hits).as("the second decision on the same context").isGreaterThanOrEqualTo(1);
    assertThat(hits + misses).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(2)
  void badRequests_countAsErrorsByTypeAndAsRejectedDecisions() {
    String before = scrape();
    decide("{\"customerId\":", 400);
    anonymous.get("/v1/rulesets").send().await();
    String after = scrape();

    String malformed = "nba_errors_total{status_class=\"4xx\",type=\"malformed-json\"}";
    assertThat(value(after, malformed) - value(before, malformed)).isEqualTo(1);
    assertThat(value(after, "nba_errors_total{status_class=\"4xx\",type=\"unauthorized\"}"))
        .isGreaterThanOrEqualTo(1);
    String rejected = "nba_decision_seconds_count{outcome=\"rejected\"}";
    assertThat(value(after, rejected) - value(before, rejected)).isEqualTo(1);
  }

  @Test
  @Order(3)
  void jvmEventLoopAndVertxMeters_areExposed() {
    decide(TestApi.EXAMPLE, 200);
    String s = scrape();
    assertThat(s)
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_classes_loaded_classes ")
        .contains("system_cpu_count ")
        .contains("process_uptime_seconds ")
        .contains("netty_eventexecutor_tasks_pending{")
        .contains("vertx_pool_")
        .contains("vertx_http_server_requests_total{");
    // Routes, not paths, label the HTTP meters.
    assertThat(s)
        .containsPattern("vertx_http_server_requests_total\\{[^}]*route=\"/v1/decisions\"");
  }

  @Test
  @Order(4)
  void theActiveRuleSetVersion_followsActivationAndRollback() {
    String v1 = services.engine().ruleSet().version();
    assertThat(value(scrape(), "nba_ruleset_active_info{version=\"" + v1 + "\"}")).isEqualTo(1);

    String contact = AnalystApiTest.bundled(AnalystApiTest.CONTACT);
    String edited =
        contact.replaceFirst(
            "(?s)(&gt;= 80</text>.*?<outputEntry[^>]*>\\s*<text>)3(</text>)", "$14$2");
    assertThat(edited).isNotEqualTo(contact);
    VersionInfo v2 =
        services
            .registry()
            .upload(
                Map.of(AnalystApiTest.CONTACT, edited.getBytes(StandardCharsets.UTF_8)),
                null,
                "metrics-test",
                "four a week");
    services.registry().activate(v2.sequence(), "metrics-test");

    String activated = scrape();
    assertThat(value(activated, "nba_ruleset_active_info{version=\"" + v2.label() + "\"}"))
        .isEqualTo(1);
    assertThat(activated).doesNotContain("version=\"" + v1 + "\"");

    services.registry().rollback(1, "metrics-test");
    String rolledBack = scrape();
    assertThat(value(rolledBack, "nba_ruleset_active_info{version=\"" + v1 + "\"}")).isEqualTo(1);
    assertThat(rolledBack).doesNotContain("version=\"" + v2.label() + "\"");
  }

  @Test
  @Order(5)
  void aDecisionFailingOnOurSide_countsAsFailed_andAsA5xxError() {
    DecisionEngine failing = TestApi.failingEngine();
    ApiConfig config = TestApi.config();
    Services opened = Services.open(vertx, config);
    Services broken = new Services(failing, opened.registry(), opened.security(), opened.db());
    ApiServer.deploy(vertx, broken, config).await();

    HttpResponse<Buffer> r =
        TestApi.client(vertx, config, TestApi.AGENT_KEY)
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(TestApi.EXAMPLE))
            .await();
    assertThat(r.statusCode()).isEqualTo(500);

    String s = broken.metrics().scrape();
    assertThat(value(s, "nba_decision_seconds_count{outcome=\"failed\"}")).isEqualTo(1);
    assertThat(value(s, "nba_decision_seconds_count{outcome=\"ok\"}")).isZero();
    assertThat(value(s, "nba_errors_total{status_class=\"5xx\",type=\"internal-server-error\"}"))
        .isEqualTo(1);
  }
}
