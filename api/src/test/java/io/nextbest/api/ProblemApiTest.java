package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad request gets an RFC 9457 problem naming what is wrong, never a 5xx, and the
 * service keeps serving.
 */
@ExtendWith(VertxExtension.class)
class ProblemApiTest {
  private static final String TYPES = "tag:nextbest.io,2025:problem/";

  private static Vertx vertx;
  private static ApiConfig config;
  private static WebClient client;
  private static WebClient failingClient;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    config = TestApi.config();
    client = TestApi.start(vertx, config);
    DecisionEngine failing = TestApi.failingEngine();
    failingClient = TestApi.start(vertx, failing, TestApi.config());
  }

  @Test
  void malformedJson_is400ProblemSayingWhereItBroke() {
    JsonObject problem =
        problem(
            post("{\"customerId\":\"c-1\",\"profile\":{\"csat\":[{\"value\":5,}]}}"),
            400,
            "malformed-json");

    assertThat(problem.getString("detail")).contains("line 1, column");
    assertThat(field(problem)).isEqualTo("profile.csat[0]");
  }

  @Test
  void emptyBody_is400Malformed() {
    JsonObject problem = problem(post(""), 400, "malformed-json");

    assertThat(problem.getString("detail")).contains("empty");
    assertThat(problem.getJsonArray("errors")).isEmpty();
  }

  @Test
  void trailingContent_is400Malformed() {
    problem(post("{\"customerId\":\"c-1\"} {\"customerId\":\"c-2\"}"), 400, "malformed-json");
  }

  @Test
  void bodyThatIsNotAnObject_is400InvalidType() {
    assertThat(problem(post("[]"), 400, "invalid-type").getString("detail"))
        .contains("must be a JSON object", "an array");
    assertThat(problem(post("null"), 400, "invalid-type").getString("detail")).contains("was null");
  }

  @Test
  void wrongType_is400NamingTheFieldByItsJsonPath() {
    JsonObject problem =
        problem(
            post(profile("\"csat\":[{\"at\":\"2026-11-01T10:00:00Z\",\"value\":\"five\"}]")),
            400,
            "invalid-type");

    assertThat(field(problem)).isEqualTo("profile.csat[0].value");
    assertThat(message(problem)).isEqualTo("must be a whole number, was a string");
  }

  @Test
  void unparsableDate_is400NamingTheField() {
    JsonObject problem =
        problem(post("{\"customerId\":\"c-1\",\"asOf\":\"yesterday\"}"), 400, "invalid-type");

    assertThat(field(problem)).isEqualTo("asOf");
    assertThat(message(problem)).contains("ISO-8601", "\"yesterday\"");
  }

  @Test
  void integerOverflow_is400NamingTheField() {
    JsonObject problem =
        problem(post(profile("\"tenureMonths\":99999999999999")), 400, "invalid-type");

    assertThat(field(problem)).isEqualTo("profile.tenureMonths");
    assertThat(message(problem)).contains("out of range");
  }

  @Test
  void unknownEnumValue_is400NamingTheFieldAndTheAllowedValues() {
    JsonObject problem =
        problem(
            post("{\"customerId\":\"c-1\",\"interaction\":{\"channel\":\"FAX\"}}"),
            400,
            "unknown-value");

    assertThat(field(problem)).isEqualTo("interaction.channel");
    assertThat(message(problem))
        .isEqualTo("must be one of [PHONE, CHAT, EMAIL, SMS, PUSH, APP, WEB, BRANCH], was \"FAX\"");
  }

  @Test
  void numberForAnEnum_is400UnknownValue() {
    JsonObject problem =
        problem(
            post(
                profile(
                    "\"complaints\":[{\"id\":\"C-1\",\"openedAt\":\"2026-11-01T10:00:00Z\",\"severity\":2}]")),
            400,
            "unknown-value");

    assertThat(field(problem)).isEqualTo("profile.complaints[0].severity");
    assertThat(message(problem)).contains("[LOW, MEDIUM, HIGH, CRITICAL]");
  }

  @Test
  void unknownEnumMapKey_is400NamingTheMap() {
    JsonObject problem = problem(post(profile("\"consent\":{\"FAX\":true}")), 400, "unknown-value");

    assertThat(field(problem)).isEqualTo("profile.consent");
    assertThat(message(problem)).contains("EMAIL", "\"FAX\"");
  }

  @Test
  void unknownProperty_is400NamingItAndTheKnownOnes() {
    JsonObject problem = problem(post(profile("\"shoeSize\":42")), 400, "unknown-property");

    assertThat(field(problem)).isEqualTo("profile.shoeSize");
    assertThat(message(problem)).contains("csat", "complaints");
  }

  @Test
  void missingRequiredField_is422NamingIt() {
    JsonObject problem = problem(post("{\"profile\":{}}"), 422, "invalid-context");

    assertThat(field(problem)).isEqualTo("customerId");
    assertThat(message(problem)).isEqualTo("is required");
  }

  @Test
  void outOfRangeValue_is422NamingIt() {
    JsonObject problem =
        problem(
            post(profile("\"csat\":[{\"at\":\"2026-11-01T10:00:00Z\",\"value\":9}]")),
            422,
            "invalid-context");

    assertThat(field(problem)).isEqualTo("profile.csat[0].value");
    assertThat(message(problem)).contains("between 1 and 5");
  }

  @Test
  void futureDate_is422NamingIt() {
    JsonObject problem =
        problem(
            post(profile("\"csat\":[{\"at\":\"2027-01-01T10:00:00Z\",\"value\":4}]")),
            422,
            "invalid-context");

    assertThat(field(problem)).isEqualTo("profile.csat[0].at");
    assertThat(message(problem)).contains("must not be after the decision time");
  }

  @Test
  void everyInvalidField_isNamed() {
    JsonObject problem =
        problem(
            post(
                "{\"limit\":0,\"profile\":{\"csat\":[{\"at\":\"2026-11-01T10:00:00Z\",\"value\":0}]}}"),
            422,
            "invalid-context");

    assertThat(
            problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("customerId", "limit", "profile.csat[0].value");
  }

  @Test
  void oversizeBody_is413() {
    String big = "{\"customerId\":\"" + "x".repeat((int) config.maxBodyBytes()) + "\"}";

    JsonObject problem = problem(post(big), 413, null);

    assertThat(problem.getString("detail")).contains(String.valueOf(config.maxBodyBytes()));
  }

  @Test
  void oversizeChunkedBody_is413() {
    HttpClient http = vertx.createHttpClient();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setPort(config.httpPort())
            .setHost("localhost")
            .setURI(TestApi.DECISIONS);
    Buffer chunk = Buffer.buffer("x".repeat(64 * 1024));

    Map.Entry<HttpClientResponse, Buffer> answer =
        http.request(options)
            .compose(
                request -> {
                  request
                      .setChunked(true)
                      .putHeader("Content-Type", "application/json")
                      .putHeader(Security.API_KEY_HEADER, TestApi.AGENT_KEY);
                  request.write("{\"customerId\":\"");
                  for (int i = 0; i < 5; i++) {
                    request.write(chunk);
                  }
                  request.end("\"}");
                  return request.response();
                })
            .compose(r -> r.body().map(body -> Map.entry(r, body)))
            .await();
    HttpClientResponse response = answer.getKey();
    Buffer body = answer.getValue();

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(body.toJsonObject().getInteger("status")).isEqualTo(413);
  }

  @Test
  void wrongContentType_is415() {
    HttpResponse<Buffer> response =
        client
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "text/plain")
            .sendBuffer(Buffer.buffer(TestApi.EXAMPLE))
            .await();

    JsonObject problem = problem(response, 415, null);

    assertThat(problem.getString("detail")).contains("application/json", "text/plain");
    assertThat(response.getHeader("Accept-Post")).isEqualTo("application/json");
  }

  @Test
  void formEncodedBody_is415() {
    HttpResponse<Buffer> response =
        client
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/x-www-form-urlencoded")
            .sendBuffer(Buffer.buffer("customerId=" + "x".repeat(20_000)))
            .await();

    problem(response, 415, null);
  }

  @Test
  void unknownRoute_is404Problem() {
    JsonObject problem = problem(client.get("/v1/nowhere").send().await(), 404, null);

    assertThat(problem.getString("detail")).contains("/v1/nowhere");
  }

  @Test
  void wrongMethod_is405ProblemWithAllow() {
    HttpResponse<Buffer> response = client.get(TestApi.DECISIONS).send().await();

    JsonObject problem = problem(response, 405, null);

    assertThat(response.getHeader("Allow")).isEqualTo("POST");
    assertThat(problem.getString("detail")).contains("allows POST, not GET");
  }

  @Test
  void unexpectedFailure_is500ProblemWithoutInternals() {
    HttpResponse<Buffer> response =
        failingClient
            .post(TestApi.DECISIONS)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(TestApi.EXAMPLE))
            .await();

    problem(response, 500, null);
    assertThat(response.bodyAsString())
        .doesNotContain("decision ids ran out", "Exception", "at io.");
  }

  @Test
  void badRequests_leaveTheServiceServing() {
    for (String bad :
        new String[] {
          "{",
          "[]",
          "{\"customerId\":\"c-1\",\"limit\":1e999999}",
          "\u0000",
          "{\"a\":" + "[".repeat(5_000)
        }) {
      assertThat(post(bad).statusCode()).as(bad).isBetween(400, 499);
    }

    assertThat(client.get("/health").send().await().statusCode()).isEqualTo(200);
    assertThat(post(TestApi.EXAMPLE).statusCode()).isEqualTo(200);
  }

  private static String profile(String fields) {
    return "{\"customerId\":\"c-1\",\"asOf\":\"2026-11-23T10:00:00Z\",\"profile\":{"
        + fields
        + "}}";
  }

  private static HttpResponse<Buffer> post(String body) {
    return client
        .post(TestApi.DECISIONS)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  /**
   * Asserts the response is a problem document with this status and type (null: about:blank) and
   * returns it.
   */
  private static JsonObject problem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo(type == null ? "about:blank" : TYPES + type);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getJsonArray("errors")).isNotNull();
    return problem;
  }

  private static String field(JsonObject problem) {
    return first(problem).getString("field");
  }

  private static String message(JsonObject problem) {
    return first(problem).getString("message");
  }

  private static JsonObject first(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors");
    assertThat(errors).as("errors of %s", problem).isNotEmpty();
    return errors.getJsonObject(0);
  }
}
