package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live customer context on the embedded store: events, profiles, decisions by id, ledger, feedback,
 * audit.
 */
@ExtendWith(VertxExtension.class)
class CustomerApiTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static WebClient agent;
  static WebClient analyst;

  @BeforeAll
  static void start(Vertx vertx) {
    ApiConfig config = TestApi.config();
    agent = TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
  }

  static String ago(int days) {
    return NOW.minus(Duration.ofDays(days)).toString();
  }

  static HttpResponse<Buffer> post(WebClient client, String path, Object body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString()))
        .await();
  }

  static JsonObject event(String id, String customer, String type, int daysAgo, Object... fields) {
    JsonObject e =
        new JsonObject()
            .put("type", type)
            .put("id", id)
            .put("customerId", customer)
            .put("at", ago(daysAgo));
    for (int i = 0; i < fields.length; i += 2) {
      e.put((String) fields[i], fields[i + 1]);
    }
    return e;
  }

  /** A content customer who lets us email and text. */
  static JsonArray happyCustomer(String c) {
    return new JsonArray()
        .add(event(c + "-1", c, "CONSENT_CHANGED", 60, "channel", "EMAIL", "granted", true))
        .add(event(c + "-2", c, "CONSENT_CHANGED", 60, "channel", "SMS", "granted", true))
        .add(event(c + "-3", c, "SURVEY_ANSWERED", 20, "survey", "CSAT", "value", 5))
        .add(event(c + "-4", c, "SURVEY_ANSWERED", 10, "survey", "NPS", "value", 9))
        .add(event(c + "-5", c, "PURCHASE", 30, "product", "BROADBAND", "amount", 40.0))
        .add(event(c + "-6", c, "LOYALTY_ACTIVITY", 40, "kind", "JOINED", "points", 500))
        .add(
            event(
                c + "-7",
                c,
                "INTERACTION_ENDED",
                5,
                "channel",
                "APP",
                "reason",
                "usage",
                "outcome",
                "RESOLVED"));
  }

  static JsonObject decide(String body) {
    HttpResponse<Buffer> r = post(agent, "/v1/decisions", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  void batch_givesPerEventResults_andDuplicatesChangeNothing() {
    JsonArray batch =
        new JsonArray()
            .add(event("b-1", "cb", "SURVEY_ANSWERED", 1, "survey", "CSAT", "value", 4))
            .add(event("b-2", "cb", "SURVEY_ANSWERED", 1, "survey", "CSAT", "value", 9))
            .add(new JsonObject().put("type", "NO_SUCH_TYPE").put("id", "b-3"))
            .add(event("b-4", "cb", "COMPLAINT_OPENED", 1, "complaintId", "K-1"));
    HttpResponse<Buffer> r = post(agent, "/v1/events", batch);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(207);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getInteger("stored")).isEqualTo(1);
    assertThat(body.getInteger("rejected")).isEqualTo(3);
    JsonArray results = body.getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("status")).isEqualTo("STORED");
    assertThat(results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[1].value");
    assertThat(results.getJsonObject(2).getString("status")).isEqualTo("REJECTED");
    assertThat(results.getJsonObject(3).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[3].severity");

    HttpResponse<Buffer> again =
        post(
            agent,
            "/v1/events",
            new JsonArray().add(batch.getJsonObject(0)).add(event("b-5", "cb", "PURCHASE", 1)));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getInteger("duplicates")).isEqualTo(1);
    assertThat(again.bodyAsJsonObject().getInteger("stored")).isEqualTo(1);

    HttpResponse<Buffer> one = post(agent, "/v1/events", batch.getJsonObject(0));
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getString("status")).isEqualTo("DUPLICATE");
    HttpResponse<Buffer> bad = post(agent, "/v1/events", batch.getJsonObject(1));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("value");

    JsonObject profile = agent.get("/v1/customers/cb/profile").send().await().bodyAsJsonObject();
    assertThat(profile.getInteger("storedEvents")).isEqualTo(2);
  }

  @Test
  void profile_showsWindowsIndicesAndQuadrant_fromTheSamePipeline() {
    post(agent, "/v1/events", happyCustomer("cp"));
    HttpResponse<Buffer> r = agent.get("/v1/customers/cp/profile").send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject p = r.bodyAsJsonObject();
    assertThat(p.getInteger("storedEvents")).isEqualTo(7);
    assertThat(p.getJsonObject("aggregates").getJsonObject("last30Days").getDouble("csatAverage"))
        .isEqualTo(5.0);
    assertThat(p.getJsonObject("aggregates").getJsonObject("last7Days").getInteger("interactions"))
        .isEqualTo(1);
    assertThat(p.getJsonObject("aggregates").getJsonObject("last90Days").getInteger("purchases"))
        .isEqualTo(1);
    assertThat(p.getJsonObject("indices").getJsonObject("experience").getDouble("value"))
        .isNotNull();
    String quadrant = p.getJsonObject("segment").getString("quadrant");
    // The same profile decided through POST /v1/decisions lands in the same quadrant.
    assertThat(decide("{\"customerId\":\"cp\"}").getJsonObject("segment").getString("quadrant"))
        .isEqualTo(quadrant);
    assertThat(agent.get("/v1/customers/nobody/profile").send().await().statusCode())
        .isEqualTo(404);
  }

  @Test
  void decisionById_usesTheStoredProfile_andSaysWhichFieldsCameFromWhere() {
    post(agent, "/v1/events", happyCustomer("cd"));
    JsonObject byId =
        decide(
            "{\"customerId\":\"cd\",\"interaction\":{\"channel\":\"PHONE\",\"reason\":\"billing\"}}");
    JsonObject source = byId.getJsonObject("profileSource");
    assertThat(source.getInteger("storedEventsUsed")).isEqualTo(7);
    assertThat(source.getJsonArray("fieldsFromStore").getList())
        .contains("csat", "nps", "consent", "loyalty", "products");
    assertThat(source.getJsonArray("fieldsFromRequest").getList()).isEmpty();
    assertThat(byId.getBoolean("degraded")).isFalse();

    JsonObject overridden =
        decide(
            "{\"customerId\":\"cd\",\"profile\":{\"csat\":[{\"at\":\""
                + ago(1)
                + "\",\"value\":1}]}}");
    assertThat(
            overridden.getJsonObject("profileSource").getJsonArray("fieldsFromRequest").getList())
        .containsExactly("csat");
    assertThat(overridden.getJsonObject("profileSource").getJsonArray("fieldsFromStore").getList())
        .doesNotContain("csat");
    assertThat(overridden.getJsonObject("indices").getJsonObject("experience").getDouble("value"))
        .isLessThan(byId.getJsonObject("indices").getJsonObject("experience").getDouble("value"));
  }

  @Test
  void fullContext_forAnUnknownCustomer_decidesAsBefore() {
    JsonObject d = decide(TestApi.EXAMPLE.replace("\"c-1\"", "\"fresh-1\""));
    assertThat(d.getJsonObject("profileSource").getInteger("storedEventsUsed")).isZero();
    assertThat(d.getJsonObject("profileSource").getJsonArray("fieldsFromStore").getList())
        .isEmpty();
    // Indices and quadrant are what the engine alone makes of the request (propensities may have
    // been learned meanwhile).
    io.nextbest.engine.model.Decision plain;
    try {
      plain =
          TestApi.engine()
              .decide(
                  io.nextbest.engine.Json.mapper()
                      .readValue(TestApi.EXAMPLE, io.nextbest.engine.model.CustomerContext.class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(d.getJsonObject("indices").getJsonObject("experience").getDouble("value"))
        .isEqualTo(plain.indices().experience().value());
    assertThat(d.getJsonObject("segment").getString("quadrant"))
        .isEqualTo(plain.segment().quadrant().name());
    assertThat(d.getJsonArray("criticalGaps").size()).isEqualTo(plain.criticalGaps().size());
  }

  @Test
  void outreachInTheLedger_countsTowardsTheFatigueCap() {
    post(agent, "/v1/events", happyCustomer("cf"));
    JsonObject before = decide("{\"customerId\":\"cf\"}");
    List<String> outboundBefore = outbound(before);
    assertThat(outboundBefore).as("outbound actions are on offer at first").isNotEmpty();
    int cap = before.getJsonObject("contact").getInteger("max7Days");
    // What was sent comes from the ledger: one OUTREACH_SENT event, and one send reported as
    // feedback.
    post(
        agent,
        "/v1/events",
        event(
            "cf-o1", "cf", "OUTREACH_SENT", 1, "actionId", "value-usage-tips", "channel", "EMAIL"));
    String top = outboundBefore.get(0);
    HttpResponse<Buffer> fb =
        post(
            agent,
            "/v1/feedback",
            new JsonObject()
                .put("decisionId", before.getString("decisionId"))
                .put("actionId", top)
                .put("outcome", "SENT"));
    assertThat(fb.statusCode()).as(fb.bodyAsString()).isEqualTo(200);
    for (int i = 2; i < cap; i++) {
      post(
          agent,
          "/v1/events",
          event(
              "cf-o" + i,
              "cf",
              "OUTREACH_SENT",
              2,
              "actionId",
              "value-onboarding-guide",
              "channel",
              "SMS"));
    }
    JsonObject after = decide("{\"customerId\":\"cf\"}");
    assertThat(after.getJsonObject("contact").getInteger("sent7Days")).isEqualTo(Math.max(cap, 2));
    assertThat(outbound(after)).as("no proactive outreach past the weekly cap").isEmpty();
    assertThat(after.getJsonObject("profileSource").getJsonArray("fieldsFromStore").getList())
        .contains("outreach");
  }

  static List<String> outbound(JsonObject decision) {
    List<String> out = new ArrayList<>();
    for (Object o : decision.getJsonArray("actions")) {
      JsonObject a = (JsonObject) o;
      if (a.getBoolean("outbound")) {
        out.add(a.getString("actionId"));
      }
    }
    return out;
  }

  @Test
  void feedback_isRecordedOnce_andTheExplanationShowsTheLearnedPropensity() {
    post(agent, "/v1/events", happyCustomer("cl"));
    JsonObject d =
        decide(
            "{\"customerId\":\"cl\",\"interaction\":{\"channel\":\"PHONE\",\"reason\":\"usage\"}}");
    JsonObject first = d.getJsonArray("actions").getJsonObject(0);
    String action = first.getString("actionId");
    assertThat(
            first
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .getJsonObject("propensity")
                .getString("source"))
        .isEqualTo("prior");
    String quadrant = d.getJsonObject("segment").getString("quadrant");
    assertThat(
            first
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .getJsonObject("propensity")
                .getString("segment"))
        .as("the bundled rule set learns per quadrant, and the explanation says so")
        .isEqualTo(quadrant);

    JsonObject feedback =
        new JsonObject()
            .put("decisionId", d.getString("decisionId"))
            .put("actionId", action)
            .put("outcome", "ACCEPTED_BY_CUSTOMER")
            .put("reason", "liked it");
    JsonObject r = post(agent, "/v1/feedback", feedback).bodyAsJsonObject();
    assertThat(r.getBoolean("recorded")).isTrue();
    assertThat(r.getBoolean("learned")).isTrue();
    assertThat(r.getJsonObject("propensity").getString("source")).isEqualTo("learned");
    assertThat(r.getJsonObject("propensity").getInteger("outcomes")).isEqualTo(1);
    assertThat(r.getJsonObject("propensity").getString("segment")).isEqualTo(quadrant);
    JsonObject again = post(agent, "/v1/feedback", feedback).bodyAsJsonObject();
    assertThat(again.getBoolean("recorded")).isFalse();
    assertThat(again.getJsonObject("propensity").getInteger("outcomes"))
        .as("the same feedback twice counts once")
        .isEqualTo(1);

    JsonObject next =
        decide(
            "{\"customerId\":\"cl\",\"interaction\":{\"channel\":\"PHONE\",\"reason\":\"usage\"}}");
    JsonObject learned = null;
    for (Object o : next.getJsonArray("actions")) {
      if (((JsonObject) o).getString("actionId").equals(action)) {
        learned =
            ((JsonObject) o)
                .getJsonObject("explanation")
                .getJsonObject("priority")
                .getJsonObject("propensity");
      }
    }
    assertThat(learned).as("still recommended").isNotNull();
    assertThat(learned.getString("source")).isEqualTo("learned");
    assertThat(learned.getInteger("outcomes")).isEqualTo(1);

    HttpResponse<Buffer> unknown =
        post(agent, "/v1/feedback", feedback.copy().put("decisionId", "d-nope"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<Buffer> notOffered =
        post(agent, "/v1/feedback", feedback.copy().put("actionId", "no-such-action"));
    assertThat(notOffered.statusCode()).isEqualTo(422);
    assertThat(
            notOffered
                .bodyAsJsonObject()
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("field"))
        .isEqualTo("actionId");
    HttpResponse<Buffer> badOutcome =
        post(agent, "/v1/feedback", feedback.copy().put("outcome", "LOVED_IT"));
    assertThat(badOutcome.statusCode()).isEqualTo(400);
  }

  @Test
  void customers_areListedByPrefix_ascending_upToTheLimit() {
    post(
        agent,
        "/v1/events",
        new JsonArray()
            .add(event("ls-3", "list-c", "PURCHASE", 1))
            .add(event("ls-1", "list-a", "PURCHASE", 1))
            .add(event("ls-2", "list-b", "PURCHASE", 2)));
    HttpResponse<Buffer> r = agent.get("/v1/customers?prefix=list-").send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getJsonArray("customerIds").getList())
        .containsExactly("list-a", "list-b", "list-c");
    assertThat(customerIds("?prefix=list-&limit=2")).containsExactly("list-a", "list-b");
    assertThat(customerIds("?prefix=list-b")).containsExactly("list-b");
    assertThat(customerIds("?prefix=nobody-")).isEmpty();
    List<Object> page = customerIds("");
    assertThat(page).as("the default page").hasSizeLessThanOrEqualTo(20).contains("list-a");
    assertThat(page.stream().map(String::valueOf).toList()).isSorted();
    assertThat(customerIds("?limit=100")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(customerIds("?prefix=")).as("a blank prefix is every customer").isEqualTo(page);
  }

  @Test
  void customers_withABadLimitOrPrefix_areProblemsNamingTheParameter() {
    for (String query :
        List.of(
            "?limit=0",
            "?limit=101",
            "?limit=ten",
            "?limit=2.5",
            "?limit=",
            "?prefix=" + "p".repeat(129))) {
      HttpResponse<Buffer> r = agent.get("/v1/customers" + query).send().await();
      boolean outOfRange =
          query.equals("?limit=0") || query.equals("?limit=101") || query.startsWith("?prefix");
      assertThat(r.statusCode())
          .as(query + ": out of range is 422, not a whole number 400")
          .isEqualTo(outOfRange ? 422 : 400);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      String field = query.startsWith("?limit") ? "limit" : "prefix";
      assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
          .as(query)
          .isEqualTo(field);
    }
  }

  static List<Object> customerIds(String query) {
    HttpResponse<Buffer> r = agent.get("/v1/customers" + query).send().await();
    assertThat(r.statusCode()).as(query + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("customerIds").getList();
  }

  @Test
  void everyDecision_isInTheAuditTrail_withDigestVersionAndOutputs() {
    JsonObject d = decide(TestApi.EXAMPLE.replace("\"c-1\"", "\"audit-1\""));
    JsonObject again = decide(TestApi.EXAMPLE.replace("\"c-1\"", "\"audit-1\""));
    HttpResponse<Buffer> r =
        analyst.get("/v1/decisions/" + d.getString("decisionId")).send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject rec = r.bodyAsJsonObject();
    assertThat(rec.getString("ruleSetVersion")).isEqualTo(d.getString("ruleSetVersion"));
    assertThat(rec.getString("inputsDigest")).hasSize(64);
    assertThat(rec.getJsonObject("decision").getJsonArray("actions"))
        .isEqualTo(d.getJsonArray("actions"));
    JsonObject rec2 =
        analyst
            .get("/v1/decisions/" + again.getString("decisionId"))
            .send()
            .await()
            .bodyAsJsonObject();
    assertThat(rec2.getString("inputsDigest"))
        .as("the same inputs, the same digest")
        .isEqualTo(rec.getString("inputsDigest"));
    assertThat(analyst.get("/v1/decisions/d-unknown").send().await().statusCode()).isEqualTo(404);
    assertThat(agent.get("/v1/decisions/" + d.getString("decisionId")).send().await().statusCode())
        .as("the audit trail is for analysts")
        .isEqualTo(403);
  }
}
