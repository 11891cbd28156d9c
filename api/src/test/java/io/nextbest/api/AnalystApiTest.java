package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An analyst's round trip over HTTP: download, edit, upload, validate, test, activate, diff, roll
 * back, audit.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalystApiTest {
  static final String CONTACT = "dmn/contact-policy.dmn";
  static final String CLASSIFICATION = "dmn/quadrant-classification.dmn";
  static final String CHAMPION =
      """
      {"customerId":"champ","asOf":"2026-11-23T15:00:00Z","profile":{
        "csat":[{"at":"2026-10-20T10:00:00Z","value":5},{"at":"2026-11-10T10:00:00Z","value":4}],
        "ces":[{"at":"2026-11-10T10:00:00Z","value":2}],"nps":{"at":"2026-10-01T10:00:00Z","value":10},
        "channels":[{"channel":"APP","interactions90d":12,"lastAt":"2026-11-22T19:00:00Z"}],
        "products":[{"product":"BROADBAND","since":"2019-04-01T00:00:00Z"},{"product":"MOBILE","since":"2020-09-01T00:00:00Z"},{"product":"TV","since":"2022-01-15T00:00:00Z"}],
        "purchases90d":2,"referrals12m":2,"reviews12m":1,"loyalty":{"member":true,"points":4000},
        "community":{"posts90d":5,"follows":4,"lastActivityAt":"2026-11-18T20:00:00Z"},"consent":{"EMAIL":true}}}
      """;

  static WebClient analyst;
  static WebClient agent;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    agent = TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
  }

  static String bundled(String path) {
    return RuleSetSource.bundled().text(path);
  }

  static HttpResponse<Buffer> uploadXml(String path, String xml, String comment) {
    return analyst
        .post("/v1/rulesets")
        .addQueryParam("path", path)
        .addQueryParam("comment", comment)
        .putHeader("Content-Type", "application/xml")
        .sendBuffer(Buffer.buffer(xml))
        .await();
  }

  static JsonObject decideChampion() {
    HttpResponse<Buffer> r =
        agent
            .post("/v1/decisions")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(CHAMPION))
            .await();
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  @Order(1)
  void versionsList_showsTheBundledVersionActive_andItsDmnCanBeDownloaded() throws Exception {
    JsonObject list = analyst.get("/v1/rulesets").send().await().bodyAsJsonObject();
    assertThat(list.getInteger("active")).isEqualTo(1);
    assertThat(list.getJsonArray("versions").getJsonObject(0).getString("origin"))
        .isEqualTo("build");

    HttpResponse<Buffer> file = analyst.get("/v1/rulesets/1/files/" + CONTACT).send().await();
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.getHeader("Content-Type")).isEqualTo("application/xml");
    assertThat(file.bodyAsString()).isEqualTo(bundled(CONTACT));

    HttpResponse<Buffer> zip = analyst.get("/v1/rulesets/1/dmn.zip").send().await();
    List<String> entries = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body().getBytes()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e.getName());
      }
    }
    assertThat(entries)
        .containsExactlyInAnyOrder(
            CONTACT, CLASSIFICATION, "dmn/quadrant-strategy.dmn", "dmn/gap-policy.dmn");
  }

  @Test
  @Order(2)
  void anEditedTable_uploadsValidatesPassesAndGoesLive_withoutARestart() {
    String edited =
        bundled(CONTACT)
            .replaceFirst(
                "(?s)(&gt;= 80</text>.*?<outputEntry[^>]*>\\s*<text>)3(</text>)", "$14$2");
    HttpResponse<Buffer> up =
        uploadXml(CONTACT, edited, "champions may hear from us 4 times a week");
    assertThat(up.statusCode()).isEqualTo(201);
    assertThat(up.getHeader("Location")).isEqualTo("/v1/rulesets/2");
    assertThat(up.bodyAsJsonObject().getInteger("basedOn")).isEqualTo(1);

    JsonObject validation =
        analyst.post("/v1/rulesets/2/validate").send().await().bodyAsJsonObject();
    assertThat(validation.getBoolean("valid")).isTrue();
    JsonObject tests = analyst.post("/v1/rulesets/2/test").send().await().bodyAsJsonObject();
    assertThat(tests.getBoolean("passed")).isTrue();
    assertThat(tests.getInteger("total")).isPositive();

    HttpResponse<Buffer> activation = analyst.post("/v1/rulesets/2/activate").send().await();
    assertThat(activation.statusCode()).isEqualTo(200);
    JsonObject decision = decideChampion();
    assertThat(decision.getString("ruleSetVersion")).startsWith("v2-");
    assertThat(decision.getJsonObject("contact").getInteger("max7Days")).isEqualTo(4);
  }

  @Test
  @Order(3)
  void theDiff_namesTheChangedCell() {
    JsonObject diff =
        analyst.get("/v1/rulesets/diff?from=1&to=2").send().await().bodyAsJsonObject();
    JsonArray changes = diff.getJsonArray("changes");
    assertThat(changes).hasSize(1);
    JsonObject change = changes.getJsonObject(0);
    assertThat(change.getString("kind")).isEqualTo("CELL_CHANGED");
    assertThat(change.getString("location")).isEqualTo("Contact Limits");
    assertThat(change.getString("before")).isEqualTo("3");
    assertThat(change.getString("after")).isEqualTo("4");
  }

  @Test
  @Order(4)
  void rollback_returnsToTheEarlierVersion() {
    assertThat(analyst.post("/v1/rulesets/1/rollback").send().await().statusCode()).isEqualTo(200);
    assertThat(decideChampion().getString("ruleSetVersion")).startsWith("v1-");
    assertThat(analyst.post("/v1/rulesets/2/rollback").send().await().statusCode()).isEqualTo(422);
  }

  @Test
  @Order(5)
  void aBrokenUpload_isReportedWithItsLine_andCannotGoLive() {
    String broken = bundled(CONTACT).replaceFirst("&lt; 30", "&lt; 30 +* 2");
    MultipartForm form =
        MultipartForm.create()
            .binaryFileUpload(
                CONTACT, "contact-policy.dmn", Buffer.buffer(broken), "application/xml")
            .attribute("comment", "typo");
    HttpResponse<Buffer> up = analyst.post("/v1/rulesets").sendMultipartForm(form).await();
    assertThat(up.statusCode()).isEqualTo(201);
    int v = up.bodyAsJsonObject().getInteger("sequence");

    JsonObject validation =
        analyst.post("/v1/rulesets/" + v + "/validate").send().await().bodyAsJsonObject();
    assertThat(validation.getBoolean("valid")).isFalse();
    JsonObject error =
        validation.getJsonArray("messages").stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("level").equals("ERROR"))
            .findFirst()
            .orElseThrow();
    assertThat(error.getString("file")).isEqualTo(CONTACT);
    assertThat(error.getInteger("line")).isPositive();

    HttpResponse<Buffer> refused = analyst.post("/v1/rulesets/" + v + "/activate").send().await();
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
    assertThat(decideChampion().getString("ruleSetVersion")).startsWith("v1-");
  }

  @Test
  @Order(6)
  void aVersionThatBreaksScenarios_isRefused_namingThem() {
    String strict =
        bundled(CLASSIFICATION).replace("&gt;= 60", "&gt;= 99").replace("&lt; 60", "&lt; 99");
    JsonObject body =
        new JsonObject()
            .put("files", new JsonObject().put(CLASSIFICATION, strict))
            .put("comment", "too strict");
    HttpResponse<Buffer> up =
        analyst
            .post("/v1/rulesets")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(body.toBuffer())
            .await();
    int v = up.bodyAsJsonObject().getInteger("sequence");
    JsonObject tests =
        analyst.post("/v1/rulesets/" + v + "/test").send().await().bodyAsJsonObject();
    assertThat(tests.getBoolean("passed")).isFalse();
    assertThat(tests.getLong("failed")).isPositive();
    HttpResponse<Buffer> refused = analyst.post("/v1/rulesets/" + v + "/activate").send().await();
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(
            refused.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(o -> ((JsonObject) o).getString("field")))
        .anyMatch(f -> f.startsWith("scenarios/"));
  }

  @Test
  @Order(7)
  void drlUploads_unknownVersions_andBadParameters_areProblems() {
    HttpResponse<Buffer> drl = uploadXml("drl/gating.drl", "rule \"x\" when then end", "nope");
    assertThat(drl.statusCode()).isEqualTo(403);
    assertThat(drl.bodyAsJsonObject().getString("detail")).contains("DRL");
    assertThat(analyst.get("/v1/rulesets/99").send().await().statusCode()).isEqualTo(404);
    assertThat(analyst.get("/v1/rulesets/abc").send().await().statusCode()).isEqualTo(400);
    assertThat(analyst.get("/v1/rulesets/diff?from=1").send().await().statusCode()).isEqualTo(422);
    assertThat(
            analyst
                .post("/v1/rulesets")
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("x"))
                .await()
                .statusCode())
        .isEqualTo(415);
  }

  @Test
  @Order(8)
  void everyChange_isInTheAuditLog_withWhoDidIt() {
    JsonArray audit = analyst.get("/v1/audit?limit=50").send().await().bodyAsJsonArray();
    List<String> actions = audit.stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertThat(actions).contains("upload", "activate", "rollback", "activate-refused");
    assertThat(
            audit.stream()
                .map(o -> ((JsonObject) o).getString("actor"))
                .filter(a -> a.startsWith("key:analyst")))
        .isNotEmpty();
  }
}
