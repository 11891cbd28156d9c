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
import java.util.List;
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
