package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.model.Decision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DecisionApiTest {
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    client = TestApi.start(vertx, TestApi.config());
  }

  @Test
  void validContext_is200DecisionJson() throws Exception {
    HttpResponse<Buffer> response = post(TestApi.EXAMPLE).await();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    Decision decision = Json.mapper().readValue(response.bodyAsString(), Decision.class);
    assertThat(decision.customerId()).isEqualTo("c-1");
    assertThat(decision.ruleSetVersion())
        .startsWith("v1-")
        .endsWith(TestApi.ruleSet().source().contentHash().substring(0, 12));
    assertThat(decision.decisionId()).isNotBlank();
    assertThat(decision.actions()).isNotEmpty();
  }

  @Test
  void theAgentsAnswer_namesGapsInsteadOfCopyingThem_andVerboseAddsTheEvidence() {
    JsonObject compact = post(TestApi.EXAMPLE).await().bodyAsJsonObject();
    HttpResponse<Buffer> verboseResponse =
        client
            .post(TestApi.DECISIONS + "?verbose=true")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(TestApi.EXAMPLE))
            .await();
    assertThat(verboseResponse.statusCode()).isEqualTo(200);
    JsonObject verbose = verboseResponse.bodyAsJsonObject();

    JsonObject gap = compact.getJsonArray("criticalGaps").getJsonObject(0);
    String ref = gap.getString("kind") + ":" + gap.getString("ref");
    List<JsonObject> gapHolds = new ArrayList<>();
    assertThat(compact.containsKey("suppressed"))
        .as("compact: each hold once, not every held action with its reasons")
        .isFalse();
    for (Object o : compact.getJsonArray("held")) {
      JsonObject by = (JsonObject) o;
      assertThat(by.containsKey("evidence")).as("compact: no evidence values").isFalse();
      if (by.getString("gap") != null) {
        gapHolds.add(by);
      }
    }
    // The holds are the verbose answer's suppressions grouped by reason: every action under every
    // reason that held it, and nothing else.
    Map<String, List<String>> fromVerbose = new LinkedHashMap<>();
    for (Object o : verbose.getJsonArray("suppressed")) {
      JsonObject s = (JsonObject) o;
      for (Object b : s.getJsonArray("by")) {
        JsonObject by = ((JsonObject) b).copy();
        by.remove("evidence");
        fromVerbose
            .computeIfAbsent(by.encode(), k -> new ArrayList<>())
            .add(s.getString("actionId"));
      }
    }
    Map<String, List<String>> fromCompact = new LinkedHashMap<>();
    for (Object o : compact.getJsonArray("held")) {
      JsonObject h = ((JsonObject) o).copy();
      List<String> held = new ArrayList<>();
      h.remove("actions");
      for (Object id : ((JsonObject) o).getJsonArray("actions")) {
        held.add((String) id);
      }
      fromCompact.put(h.encode(), held);
    }
    assertThat(fromCompact).isEqualTo(fromVerbose);
    assertThat(verbose.getJsonArray("held")).isEqualTo(compact.getJsonArray("held"));
    // The gap held many offers; each rule's hold for it is said once, with the offers it held.
    assertThat(gapHolds.stream().mapToInt(h -> h.getJsonArray("actions").size()).sum())
        .isGreaterThan(5);
    assertThat(gapHolds.stream().map(h -> h.getString("rule")).distinct().count())
        .isEqualTo(gapHolds.size());
    // Components without a score (no evidence, no weight) are said by the coverage; the verbose
    // answer lists them with their sentences.
    for (String index : List.of("experience", "engagement")) {
      JsonObject c = compact.getJsonObject("indices").getJsonObject(index);
      JsonObject v = verbose.getJsonObject("indices").getJsonObject(index);
      assertThat(c.getJsonArray("components"))
          .allSatisfy(o -> assertThat(((JsonObject) o).getValue("score")).isNotNull());
      assertThat(v.getJsonArray("components").size())
          .isGreaterThan(c.getJsonArray("components").size());
      assertThat(c.getDouble("value")).isEqualTo(v.getDouble("value"));
    }
    assertThat(gapHolds)
        .as("the loyalty and growth offers wait for the open complaint")
        .allSatisfy(
            by -> {
              assertThat(by.getString("gap")).isEqualTo(ref);
              assertThat(by.getString("reason")).doesNotContain(gap.getString("description"));
            });
    assertThat(
            compact
                .getJsonArray("actions")
                .getJsonObject(0)
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .containsKey("contextFactors"))
        .isFalse();
    assertThat(
            verbose
                .getJsonArray("actions")
                .getJsonObject(0)
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .getJsonArray("contextFactors"))
        .isNotEmpty();
    assertThat(verbose.getJsonArray("criticalGaps").getJsonObject(0).getJsonObject("evidence"))
        .isNotNull();
    assertThat(compact.encode().length())
        .as("the compact answer is the verbose one without its evidence")
        .isLessThan(verbose.encode().length());
    // Same decision otherwise: the same actions in the same order.
    assertThat(ids(compact.getJsonArray("actions")))
        .isEqualTo(ids(verbose.getJsonArray("actions")));
  }

  private static List<String> ids(io.vertx.core.json.JsonArray actions) {
    List<String> out = new ArrayList<>();
    for (Object o : actions) {
      out.add(((JsonObject) o).getString("actionId"));
    }
    return out;
  }

  @Test
  void jsonWithCharset_isAccepted() {
    HttpResponse<Buffer> response =
        client
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .sendBuffer(Buffer.buffer(TestApi.EXAMPLE))
            .await();

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void health_isUpWithTheRuleSet() {
    HttpResponse<Buffer> response = client.get("/health").send().await();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    RuleSet ruleSet = TestApi.ruleSet();
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("status", "UP")
                .put("ruleSetVersion", "v1-" + ruleSet.source().contentHash().substring(0, 12))
                .put("rules", ruleSet.ruleCount()));
    assertThat(ruleSet.ruleCount()).isPositive();
  }

  @Test
  void twoHundredConcurrentDecisions_allSucceed() {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(post(TestApi.EXAMPLE.replace("\"c-1\"", "\"c-" + i + "\"")));
    }

    Future.all(sent).await();

    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<Buffer> response = sent.get(i).result();
      assertThat(response.statusCode())
          .as("request %d: %s", i, response.bodyAsString())
          .isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("customerId")).isEqualTo("c-" + i);
    }
  }

  private static Future<HttpResponse<Buffer>> post(String body) {
    return client
        .post(TestApi.DECISIONS)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body));
  }
}
