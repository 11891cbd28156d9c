package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.registry.VersionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warming before ready: readiness is DOWN, with how far it is, until the start's warm-up is done;
 * the warm-up decisions leave nothing behind (no audit record, ledger line, learned count, stored
 * row or decision metric); warm-up 0 answers as before; an activation warms the new version before
 * it becomes active. Small counts, so the tests stay fast.
 */
class WarmUpTest {
  Vertx vertx;
  Services services;
  ServiceMetrics metrics;
  WebClient client;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    if (services != null) {
      services.close();
    }
  }

  void start(WarmUpConfig warmUp) {
    ApiConfig config = TestApi.config();
    metrics = new ServiceMetrics();
    services = Services.open(vertx, config, StoreConfig.EMBEDDED, metrics, warmUp);
    ApiServer.deploy(vertx, services, config).await();
    client = TestApi.client(vertx, config, null);
  }

  HttpResponse<Buffer> get(String path) {
    return client.get(path).send().await();
  }

  @Test
  void readiness_isDownWhileWarming_withHowFar_andUpOnceDone_whileLivenessStaysUp()
      throws InterruptedException {
    start(new WarmUpConfig(120, 120, 0, 1));

    // Not started yet: nothing made, not ready; live all along.
    HttpResponse<Buffer> before = get("/health/ready");
    assertThat(before.statusCode()).isEqualTo(503);
    JsonObject body = before.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getJsonObject("checks").getJsonObject("warmUp"))
        .isEqualTo(
            new JsonObject().put("status", "DOWN").put("reason", "warming up: 0 of 120 decisions"));
    assertThat(body.getJsonObject("checks").getJsonObject("ruleSet").getString("status"))
        .isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getJsonObject("store").getString("status"))
        .isEqualTo("UP");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    services.warmUp().start();
    services.warmUp().awaitStart();

    HttpResponse<Buffer> after = get("/health/ready");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(after.bodyAsJsonObject().getJsonObject("checks").getJsonObject("warmUp"))
        .isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    List<WarmUp.Run> runs = services.warmUp().runs();
    assertThat(runs).hasSize(1);
    WarmUp.Run run = runs.get(0);
    assertThat(run.purpose()).isEqualTo("start");
    assertThat(run.version()).isEqualTo(services.engine().ruleSet().version());
    assertThat(run.made()).isEqualTo(120);
    // Every representative context is one the engine decides: none is wasted on a refusal.
    assertThat(run.failed()).isZero();
    assertThat(run.bounded()).isFalse();
  }

  @Test
  void warmUpDecisions_leaveNoTrace_inTheStoreOrTheDecisionMetrics() throws InterruptedException {
    start(new WarmUpConfig(100, 120, 0, 1));
    Map<String, Long> rowsBefore = rows();
    String firingsBefore = firings(metrics.scrape());

    services.warmUp().start();
    services.warmUp().awaitStart();

    assertThat(services.warmUp().runs())
        .singleElement()
        .extracting(WarmUp.Run::made)
        .isEqualTo(100);
    // No table gained a row: no audit record, ledger line, event, learned outcome or count.
    assertThat(rows()).isEqualTo(rowsBefore);
    assertThat(rowsBefore).containsEntry("decision_audit", 0L);
    String scrape = metrics.scrape();
    assertThat(scrape).doesNotContain("nba_decisions_total{");
    assertThat(scrape).doesNotContain("nba_suppressions_total{");
    assertThat(firings(scrape)).isEqualTo(firingsBefore);
    assertThat(MetricsTest.value(scrape, "nba_warmup_decisions_total{purpose=\"start\"}"))
        .isEqualTo(100);
  }

  @Test
  void warmUpZero_answersReadinessAsBefore_andMakesNoDecision() {
    start(new WarmUpConfig(0, 120, 0, 1));
    services.warmUp().start();

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("status", "UP")
                .put(
                    "checks",
                    new JsonObject()
                        .put(
                            "ruleSet",
                            new JsonObject()
                                .put("status", "UP")
                                .put("version", services.engine().ruleSet().version()))
                        .put("store", new JsonObject().put("status", "UP").put("kind", "sqlite"))));
    assertThat(services.warmUp().runs()).isEmpty();
    assertThat(metrics.scrape()).doesNotContain("nba_warmup_decisions_total{");
  }

  @Test
  void anActivation_warmsTheNewVersion_beforeItBecomesActive_leavingNoTrace() {
    start(new WarmUpConfig(0, 120, 80, 60));
    String v1 = services.engine().ruleSet().version();
    Map<String, Long> rowsBefore = rows();

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
                "warm-up-test",
                "four a week");
    services.registry().activate(v2.sequence(), "warm-up-test");

    assertThat(services.engine().ruleSet().version()).isEqualTo(v2.label());
    List<WarmUp.Run> runs = services.warmUp().runs();
    assertThat(runs).hasSize(1);
    WarmUp.Run run = runs.get(0);
    assertThat(run.purpose()).isEqualTo("activation");
    assertThat(run.version()).isEqualTo(v2.label());
    assertThat(run.made()).isEqualTo(80);
    assertThat(run.failed()).isZero();
    // Warmed while the previous version still took the decisions.
    assertThat(run.activeAtEnd()).isEqualTo(v1);

    Map<String, Long> rowsAfter = rows();
    // The registry records the upload and the activation; customer state gains nothing.
    for (String table : List.of("decision_audit", "contact_ledger", "learned_outcome")) {
      assertThat(rowsAfter.getOrDefault(table, 0L))
          .as(table)
          .isEqualTo(rowsBefore.getOrDefault(table, 0L));
    }
    assertThat(customerTables(rowsAfter)).isEqualTo(customerTables(rowsBefore));
    assertThat(
            MetricsTest.value(
                metrics.scrape(), "nba_warmup_decisions_total{purpose=\"activation\"}"))
        .isEqualTo(80);

    // A rollback goes through the same warm-up (the other version has taken decisions since).
    services.registry().rollback(1, "warm-up-test");
    assertThat(services.warmUp().runs()).hasSize(2);
    assertThat(services.warmUp().runs().get(1).version()).isEqualTo(v1);
  }

  @Test
  void theTimeBound_stopsAWarmUp_withWhatItMade() {
    start(new WarmUpConfig(0, 120, 0, 1));
    WarmUp.Run run =
        services.warmUp().warm(services.engine().ruleSet(), "start", 1_000, Duration.ZERO, n -> {});
    assertThat(run.bounded()).isTrue();
    assertThat(run.made()).isZero();
  }

  /** Rows per table of the embedded store. */
  Map<String, Long> rows() {
    return services
        .db()
        .tx(
            c -> {
              List<String> tables = new ArrayList<>();
              try (Statement s = c.createStatement();
                  ResultSet r =
                      s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (r.next()) {
                  tables.add(r.getString(1));
                }
              }
              Map<String, Long> out = new TreeMap<>();
              for (String t : tables) {
                try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
                  r.next();
                  out.put(t, r.getLong(1));
                }
              }
              return out;
            });
  }

  /** The tables of customer state (events, ledger, audit, learning): not the registry's. */
  static Map<String, Long> customerTables(Map<String, Long> rows) {
    return rows.entrySet().stream()
        .filter(
            e ->
                e.getKey().startsWith("customer_")
                    || e.getKey().startsWith("contact_")
                    || e.getKey().startsWith("decision_")
                    || e.getKey().startsWith("learned_")
                    || e.getKey().startsWith("propensity_"))
        .collect(
            Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  /** The rule-firing counters of a scrape, one line each. */
  static String firings(String scrape) {
    Matcher m = Pattern.compile("(?m)^nba_rule_firings_total\\{.*$").matcher(scrape);
    List<String> lines = new ArrayList<>();
    while (m.find()) {
      lines.add(m.group());
    }
    return String.join("\n", lines);
  }
}
