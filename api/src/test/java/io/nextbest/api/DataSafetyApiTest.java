package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing acknowledged is dropped and nothing stored is out of reach: event ids per customer,
 * conflicts said as such, misdated complaint resolutions refused, decisions replayable from the
 * audit trail, a customer's records readable, exportable and erasable, refused uploads audited.
 */
@ExtendWith(VertxExtension.class)
class DataSafetyApiTest {
  static Services services;
  static Vertx vertx;
  static ApiConfig config;
  static WebClient agent;
  static WebClient analyst;
  static WebClient admin;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    admin = TestApi.client(vertx, config, TestApi.ADMIN_KEY);
  }

  static HttpResponse<Buffer> post(WebClient client, String path, Object body) {
    return CustomerApiTest.post(client, path, body);
  }

  static JsonObject event(String id, String customer, String type, int daysAgo, Object... fields) {
    return CustomerApiTest.event(id, customer, type, daysAgo, fields);
  }

  @Test
  void anotherCustomersEvent_underAnIdAlreadyUsed_isStored_andTheirProfileExists() {
    assertThat(
            post(
                    agent,
                    "/v1/events",
                    event("shared-id", "ds-a", "SURVEY_ANSWERED", 3, "survey", "CSAT", "value", 2))
                .bodyAsJsonObject()
                .getString("status"))
        .isEqualTo("STORED");
    HttpResponse<Buffer> b =
        post(
            agent,
            "/v1/events",
            event("shared-id", "ds-b", "SURVEY_ANSWERED", 3, "survey", "CSAT", "value", 2));
    assertThat(b.statusCode()).as(b.bodyAsString()).isEqualTo(200);
    assertThat(b.bodyAsJsonObject().getString("status")).isEqualTo("STORED");
    HttpResponse<Buffer> profile = agent.get("/v1/customers/ds-b/profile").send().await();
    assertThat(profile.statusCode()).as(profile.bodyAsString()).isEqualTo(200);
    assertThat(profile.bodyAsJsonObject().getInteger("storedEvents")).isEqualTo(1);
  }

  @Test
  void aDifferentEventUnderAKnownId_isAConflict_notADuplicate_andTheBatchKeepsItsValidEvents() {
    post(
        agent,
        "/v1/events",
        event("c-1", "ds-c", "SURVEY_ANSWERED", 3, "survey", "CSAT", "value", 4));
    HttpResponse<Buffer> one =
        post(
            agent,
            "/v1/events",
            event("c-1", "ds-c", "SURVEY_ANSWERED", 3, "survey", "CSAT", "value", 1));
    assertThat(one.statusCode()).as(one.bodyAsString()).isEqualTo(409);
    assertThat(one.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(one.bodyAsJsonObject().getString("type")).endsWith("/event-conflict");
    assertThat(one.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("id");

    JsonArray batch =
        new JsonArray()
            .add(event("c-1", "ds-c", "SURVEY_ANSWERED", 3, "survey", "CSAT", "value", 1))
            .add(event("c-2", "ds-c", "SURVEY_ANSWERED", 2, "survey", "CSAT", "value", 5))
            .add(event("c-SURROGATE", "ds-c", "SURVEY_ANSWERED", 2, "survey", "CSAT", "value", 5))
            .add(event("c-3", "ds-c", "SURVEY_ANSWERED", 1, "survey", "CSAT", "value", 3));
    // An id holding a lone surrogate (as JSON can write it: an escape) is not Unicode text: the
    // whole
    // body is refused before anything is stored, every time it is sent, so nothing is half-taken.
    for (int round = 0; round < 2; round++) {
      HttpResponse<Buffer> r =
          post(agent, "/v1/events", batch.encode().replace("c-SURROGATE", "c-\\ud800"));
      assertThat(r.statusCode()).as("round " + round + ": " + r.bodyAsString()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("lone UTF-16 surrogate");
    }
    JsonObject before = analyst.get("/v1/customers/ds-c/events").send().await().bodyAsJsonObject();
    assertThat(
            before.getJsonArray("events").stream()
                .map(o -> ((JsonObject) o).getString("id"))
                .toList())
        .as("nothing of the refused batch is stored")
        .containsExactly("c-1");
    batch.remove(2);
    for (int round = 0; round < 2; round++) {
      HttpResponse<Buffer> r = post(agent, "/v1/events", batch.encode());
      assertThat(r.statusCode()).as("round " + round + ": " + r.bodyAsString()).isEqualTo(207);
      JsonObject body = r.bodyAsJsonObject();
      List<String> statuses =
          body.getJsonArray("results").stream()
              .map(o -> ((JsonObject) o).getString("status"))
              .toList();
      assertThat(statuses)
          .isEqualTo(
              round == 0
                  ? List.of("CONFLICT", "STORED", "STORED")
                  : List.of("CONFLICT", "DUPLICATE", "DUPLICATE"));
      assertThat(body.getInteger("conflicts")).isEqualTo(1);
    }
    JsonObject events = analyst.get("/v1/customers/ds-c/events").send().await().bodyAsJsonObject();
    assertThat(
            events.getJsonArray("events").stream()
                .map(o -> ((JsonObject) o).getString("id"))
                .toList())
        .containsExactly("c-1", "c-2", "c-3");
    assertThat(events.getJsonArray("events").getJsonObject(0).getInteger("value"))
        .as("the first event stays")
        .isEqualTo(4);
  }

  @Test
  void aComplaintResolvedBeforeItOpened_isRefused_whicheverArrivesSecond() {
    post(
        agent,
        "/v1/events",
        event("k-1", "ds-k", "COMPLAINT_OPENED", 5, "complaintId", "K-1", "severity", "HIGH"));
    HttpResponse<Buffer> early =
        post(
            agent,
            "/v1/events",
            event("k-2", "ds-k", "COMPLAINT_RESOLVED", 6, "complaintId", "K-1"));
    assertThat(early.statusCode()).as(early.bodyAsString()).isEqualTo(422);
    assertThat(early.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("at");
    assertThat(early.bodyAsJsonObject().getString("detail")).contains("before it was opened");
    assertThat(
            post(
                    agent,
                    "/v1/events",
                    event("k-3", "ds-k", "COMPLAINT_RESOLVED", 4, "complaintId", "K-1"))
                .statusCode())
        .isEqualTo(200);

    // Within one batch, and the other way round: an opening after the resolution already sent.
    JsonArray batch =
        new JsonArray()
            .add(event("k-4", "ds-k", "COMPLAINT_RESOLVED", 3, "complaintId", "K-2"))
            .add(
                event(
                    "k-5", "ds-k", "COMPLAINT_OPENED", 2, "complaintId", "K-2", "severity", "LOW"))
            .add(event("k-6", "ds-k", "SURVEY_ANSWERED", 1, "survey", "CSAT", "value", 4));
    JsonObject r = post(agent, "/v1/events", batch).bodyAsJsonObject();
    assertThat(r.getJsonArray("results").getJsonObject(1).getString("status"))
        .isEqualTo("REJECTED");
    assertThat(
            r.getJsonArray("results")
                .getJsonObject(1)
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("field"))
        .isEqualTo("[1].at");
    assertThat(r.getInteger("stored")).isEqualTo(2);
    JsonObject profile = agent.get("/v1/customers/ds-k/profile").send().await().bodyAsJsonObject();
    assertThat(profile.encode())
        .as("K-1 counts as resolved")
        .doesNotContain("\"openComplaints\":1");
  }

  @Test
  void aRecordedDecision_replaysOnItsVersion_fromItsInputs_andMatches() {
    post(agent, "/v1/events", CustomerApiTest.happyCustomer("ds-r"));
    JsonObject d =
        decide(
            "{\"customerId\":\"ds-r\",\"interaction\":{\"channel\":\"PHONE\",\"reason\":\"billing\"}}");
    // Later events and learning must not change what the replay decides from.
    post(
        agent,
        "/v1/events",
        event(
            "ds-r-9", "ds-r", "COMPLAINT_OPENED", 0, "complaintId", "R-1", "severity", "CRITICAL"));
    String action = d.getJsonArray("actions").getJsonObject(0).getString("actionId");
    post(
        agent,
        "/v1/feedback",
        new JsonObject()
            .put("decisionId", d.getString("decisionId"))
            .put("actionId", action)
            .put("outcome", "ACCEPTED_BY_CUSTOMER"));

    HttpResponse<Buffer> r =
        analyst.post("/v1/decisions/" + d.getString("decisionId") + "/replay").send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject replay = r.bodyAsJsonObject();
    assertThat(replay.getBoolean("inputsIntact")).isTrue();
    assertThat(replay.getJsonArray("differences")).isEmpty();
    assertThat(replay.getBoolean("matches")).isTrue();
    assertThat(replay.getJsonObject("replayed").getJsonArray("actions"))
        .isEqualTo(d.getJsonArray("actions"));
    JsonObject verboseReplay =
        analyst
            .post("/v1/decisions/" + d.getString("decisionId") + "/replay?verbose=true")
            .send()
            .await()
            .bodyAsJsonObject();
    assertThat(verboseReplay.getBoolean("matches")).isTrue();
    assertThat(
            verboseReplay
                .getJsonObject("replayed")
                .getJsonArray("actions")
                .getJsonObject(0)
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .getJsonArray("contextFactors"))
        .as("the replay gives back the evidence the answer left out")
        .isNotEmpty();

    JsonObject rec =
        analyst.get("/v1/decisions/" + d.getString("decisionId")).send().await().bodyAsJsonObject();
    assertThat(rec.getJsonObject("inputs").getJsonObject("context").getString("customerId"))
        .isEqualTo("ds-r");
    // Keyed as learning counts them: the treatment (the action on the channel it went out on) in
    // the decision's segment.
    JsonObject top = d.getJsonArray("actions").getJsonObject(0);
    String treatment =
        d.getJsonObject("segment").getString("quadrant")
            + "|"
            + action
            + "|"
            + top.getString("channel");
    assertThat(rec.getJsonObject("inputs").getJsonObject("propensities").fieldNames())
        .contains(treatment);

    assertThat(analyst.post("/v1/decisions/d-nothing/replay").send().await().statusCode())
        .isEqualTo(404);
    assertThat(
            agent
                .post("/v1/decisions/" + d.getString("decisionId") + "/replay")
                .send()
                .await()
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void aRecordWithTamperedInputs_doesNotMatch_andOneWithoutInputsCannotBeReplayed() {
    JsonObject d =
        decide(
            "{\"customerId\":\"ds-t\",\"interaction\":{\"channel\":\"CHAT\",\"reason\":\"billing\"}}");
    var rec = services.customers().decision(d.getString("decisionId")).orElseThrow();
    var ctx = rec.inputs().context();
    var tampered =
        new io.nextbest.engine.ledger.DecisionRecord(
            "d-tampered",
            rec.customerId(),
            rec.decidedAt(),
            rec.ruleSetVersion(),
            rec.inputsDigest(),
            rec.decision(),
            new io.nextbest.engine.DecisionEngine.Inputs(
                ctx.withAsOf(ctx.asOf().minusSeconds(86_400L * 400)),
                false,
                rec.inputs().propensities()));
    var old =
        new io.nextbest.engine.ledger.DecisionRecord(
            "d-old",
            rec.customerId(),
            rec.decidedAt(),
            rec.ruleSetVersion(),
            rec.inputsDigest(),
            rec.decision());
    services.customers().store().saveDecisions(List.of(tampered, old));

    JsonObject r =
        analyst.post("/v1/decisions/d-tampered/replay").send().await().bodyAsJsonObject();
    assertThat(r.getBoolean("inputsIntact")).isFalse();
    assertThat(r.getBoolean("matches")).isFalse();
    HttpResponse<Buffer> none = analyst.post("/v1/decisions/d-old/replay").send().await();
    assertThat(none.statusCode()).as(none.bodyAsString()).isEqualTo(409);
    assertThat(none.bodyAsJsonObject().getString("type")).endsWith("/not-replayable");
  }

  @Test
  void aCustomersRecords_areReadExportedAndErased_byTheRightRoles_andEachIsAudited() {
    post(agent, "/v1/events", CustomerApiTest.happyCustomer("ds-e"));
    post(
        agent,
        "/v1/events",
        event("ds-e-8", "ds-e", "OUTREACH_SENT", 1, "actionId", "survey-ask", "channel", "EMAIL"));
    JsonObject d = decide("{\"customerId\":\"ds-e\"}");

    assertThat(agent.get("/v1/customers/ds-e/events").send().await().statusCode()).isEqualTo(403);
    assertThat(analyst.get("/v1/customers/ds-e/export").send().await().statusCode()).isEqualTo(403);
    assertThat(analyst.delete("/v1/customers/ds-e").send().await().statusCode()).isEqualTo(403);

    assertThat(
            analyst
                .get("/v1/customers/ds-e/events")
                .send()
                .await()
                .bodyAsJsonObject()
                .getJsonArray("events"))
        .hasSize(8);
    assertThat(
            analyst
                .get("/v1/customers/ds-e/ledger")
                .send()
                .await()
                .bodyAsJsonObject()
                .getJsonArray("ledger"))
        .hasSize(1);
    await(() -> services.customers().store().decision(d.getString("decisionId")).isPresent());
    JsonObject export = admin.get("/v1/customers/ds-e/export").send().await().bodyAsJsonObject();
    assertThat(export.getJsonArray("events")).hasSize(8);
    assertThat(export.getJsonArray("ledger")).hasSize(1);
    assertThat(export.getJsonArray("decisions")).hasSize(1);
    assertThat(export.getJsonObject("profile").getInteger("storedEvents")).isEqualTo(8);

    HttpResponse<Buffer> erased = admin.delete("/v1/customers/ds-e").send().await();
    assertThat(erased.statusCode()).as(erased.bodyAsString()).isEqualTo(200);
    assertThat(erased.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("customerId", "ds-e")
                .put("events", 8)
                .put("ledgerLines", 1)
                .put("decisions", 1));
    assertThat(agent.get("/v1/customers/ds-e/profile").send().await().statusCode()).isEqualTo(404);
    assertThat(
            analyst.get("/v1/decisions/" + d.getString("decisionId")).send().await().statusCode())
        .isEqualTo(404);
    assertThat(
            admin
                .get("/v1/customers/ds-e/export")
                .send()
                .await()
                .bodyAsJsonObject()
                .getJsonArray("events"))
        .isEmpty();

    JsonArray audit = analyst.get("/v1/audit?limit=50").send().await().bodyAsJsonArray();
    List<String> actions =
        audit.stream()
            .map(o -> (JsonObject) o)
            .filter(e -> e.getString("detail", "").startsWith("customer ds-e:"))
            .map(e -> e.getString("action"))
            .toList();
    assertThat(actions)
        .contains(
            "customer-events-read", "customer-ledger-read", "customer-export", "customer-erase");
    JsonObject erase =
        audit.stream()
            .map(o -> (JsonObject) o)
            .filter(e -> "customer-erase".equals(e.getString("action")))
            .findFirst()
            .orElseThrow();
    assertThat(erase.getString("actor")).startsWith("key:admin:");
    assertThat(erase.getString("detail")).contains("8 events");
  }

  @Test
  void refusedUploads_areAudited_andAMultipartDrlIs403LikeARawOne() throws java.io.IOException {
    byte[] drl =
        "package x; rule R when then System.exit(0); end"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<Buffer> raw =
        analyst
            .post("/v1/rulesets?path=rules/evil.drl")
            .putHeader("Content-Type", "application/xml")
            .sendBuffer(Buffer.buffer(drl))
            .await();
    assertThat(raw.statusCode()).as(raw.bodyAsString()).isEqualTo(403);
    HttpResponse<Buffer> multipart =
        analyst
            .post("/v1/rulesets")
            .sendMultipartForm(
                MultipartForm.create()
                    .binaryFileUpload("file", "evil.drl", Buffer.buffer(drl), "text/plain"))
            .await();
    assertThat(multipart.statusCode()).as(multipart.bodyAsString()).isEqualTo(403);
    assertThat(multipart.bodyAsJsonObject().getString("type")).endsWith("/forbidden-file");
    HttpResponse<Buffer> empty =
        analyst
            .post("/v1/rulesets?path=dmn/empty.dmn")
            .putHeader("Content-Type", "application/xml")
            .sendBuffer(Buffer.buffer())
            .await();
    assertThat(empty.statusCode()).as(empty.bodyAsString()).isIn(400, 422);
    // Over the upload limit: refused on the declared length, before the body is read, and the
    // connection closed; a raw socket reads that answer where a client still sending would see the
    // close.
    assertThat(oversizeUpload(TestApi.ANALYST_KEY)).startsWith("HTTP/1.1 413");
    assertThat(oversizeUpload(null))
        .as("refused, but without credentials not audited")
        .matches("(?s)HTTP/1.1 (401|413).*");

    JsonArray audit = analyst.get("/v1/audit?limit=50").send().await().bodyAsJsonArray();
    List<String> refused =
        audit.stream()
            .map(o -> (JsonObject) o)
            .filter(e -> "upload-refused".equals(e.getString("action")))
            .map(e -> e.getString("detail"))
            .toList();
    assertThat(refused).anyMatch(t -> t.contains("rules/evil.drl"));
    assertThat(refused).anyMatch(t -> t.contains("evil.drl") && !t.contains("rules/"));
    assertThat(refused).anyMatch(t -> t.contains("empty"));
    assertThat(refused.stream().filter(t -> t.startsWith("413")))
        .as("the one with an analyst's key only")
        .hasSize(1);
    assertThat(
            audit.stream()
                .map(o -> (JsonObject) o)
                .filter(e -> "upload-refused".equals(e.getString("action")))
                .map(e -> e.getString("actor")))
        .allMatch(a -> a.startsWith("key:analyst:"));
  }

  /**
   * The status line and headers the server answers to an upload declaring one byte over the limit.
   */
  static String oversizeUpload(String key) throws java.io.IOException {
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), config.httpPort())) {
      socket.setSoTimeout(20_000);
      String head =
          "POST /v1/rulesets?path=dmn/big.dmn HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\n"
              + (key == null ? "" : Security.API_KEY_HEADER + ": " + key + "\r\n")
              + "Content-Length: "
              + (ApiConfig.DEFAULT_MAX_UPLOAD_BYTES + 1)
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n;
            (n = socket.getInputStream().read(buf)) >= 0
                && !got.toString(java.nio.charset.StandardCharsets.US_ASCII)
                    .contains("\r\n\r\n"); ) {
          got.write(buf, 0, n);
        }
      } catch (java.io.IOException reset) {
        // what came before the reset is the answer
      }
      return got.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  static JsonObject decide(String body) {
    HttpResponse<Buffer> r = post(agent, "/v1/decisions", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
