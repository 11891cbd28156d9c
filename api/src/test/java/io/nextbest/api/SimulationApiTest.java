package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An analyst starts a what-if over HTTP, follows it, and fetches its reports. */
@ExtendWith(VertxExtension.class)
class SimulationApiTest {
  static WebClient analyst;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
  }

  static HttpResponse<Buffer> post(String body) {
    return analyst
        .post("/v1/simulations")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  @Test
  void aWhatIf_runsAsAJob_andItsReportsCanBeFetched() throws Exception {
    HttpResponse<Buffer> started =
        post(
            "{\"population\": {\"synthetic\": 300}, \"baseline\": \"active\", \"candidate\": 1, \"overrides\": [\"experience.threshold=70\"], \"seed\": 7}");
    assertThat(started.statusCode()).isEqualTo(202);
    String id = started.bodyAsJsonObject().getString("id");
    JsonObject progress = null;
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      progress = analyst.get("/v1/simulations/" + id).send().await().bodyAsJsonObject();
      if (progress.getString("state").equals("DONE")
          || progress.getString("state").equals("FAILED")) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(progress.getString("state")).as(String.valueOf(progress)).isEqualTo("DONE");
    assertThat(progress.getLong("customers")).isEqualTo(300);

    HttpResponse<Buffer> json = analyst.get("/v1/simulations/" + id + "/report").send().await();
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.bodyAsJsonObject().fieldNames()).isNotEmpty();
    HttpResponse<Buffer> html =
        analyst.get("/v1/simulations/" + id + "/report.html").send().await();
    assertThat(html.getHeader("Content-Type")).startsWith("text/html");
    assertThat(html.bodyAsString()).contains("<svg");
    assertThat(
            analyst
                .get("/v1/simulations/" + id + "/customers.csv")
                .send()
                .await()
                .bodyAsString()
                .lines()
                .count())
        .isGreaterThan(300);
  }

  @Test
  void badRequests_areNamedProblems() {
    // Not a bundled data set: an unknown enumeration value, like any other (400).
    assertThat(post("{\"population\": {\"dataset\": \"/etc/passwd\"}}").statusCode())
        .isEqualTo(400);
    assertThat(post("{\"population\": {\"synthetic\": 0}}").statusCode()).isEqualTo(422);
    assertThat(post("{\"population\": {\"synthetic\": 10}, \"baseline\": 99}").statusCode())
        .isEqualTo(404);
    assertThat(
            post("{\"population\": {\"synthetic\": 10}, \"overrides\": [\"nonsense\"]}")
                .statusCode())
        .isEqualTo(422);
    assertThat(analyst.get("/v1/simulations/sim-999").send().await().statusCode()).isEqualTo(404);
  }
}
