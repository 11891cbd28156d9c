package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A storm of malformed requests over every route of the contract, with a fixed seed: broken and
 * hostile bodies (truncated, wrong types, deep nesting, huge exponents, lone surrogates, invalid
 * UTF-8, not JSON at all), hostile version ids and parameters, wrong media types, as every role.
 * The contract promises no 5xx for bad input: the storm counts them, and there must be none. The
 * figures go to {@code target/malformed-storm.json} (see docs/reliability.md).
 */
@ExtendWith(VertxExtension.class)
class MalformedInputStormTest {
  /**
   * Requests sent: enough to try every route with every mutation many times, bounded for a 2-core
   * build.
   */
  static final int REQUESTS = 12_000;

  static final int IN_FLIGHT = 16;

  static Vertx vertx;
  static ApiConfig config;
  static final Map<String, WebClient> clients = new LinkedHashMap<>();

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    config = TestApi.config();
    clients.put("agent", TestApi.start(vertx, config));
    clients.put("analyst", TestApi.client(vertx, config, TestApi.ANALYST_KEY));
    clients.put("admin", TestApi.client(vertx, config, TestApi.ADMIN_KEY));
  }

  static final List<String> VERSIONS =
      List.of(
          "1",
          "%201",
          "1%20",
          "0",
          "-1",
          "01",
          "1.5",
          "1e3",
          "abc",
          "v1",
          "v1-000000000000",
          "v1-",
          "%00",
          "%ZZ",
          "9999999999",
          "%F0%9F%98%80",
          "..%2F..%2Fetc",
          "%ED%A0%80",
          "x".repeat(300));

  static final List<String> NAMES =
      List.of(
          "Contact%20Policy",
          "Quadrant%20Classification", "nope", "%ED%A0%80", "%00", "..%2F", "a".repeat(500), "%25");

  static final String HUGE = "1e100000000";

  /** Bodies that are not what any route wants, each a way the adversarial pass broke something. */
  static final List<byte[]> BODIES =
      List.of(
          bytes(""),
          bytes("{"),
          bytes("null"),
          bytes("[]"),
          bytes("\"text\""),
          bytes("{}{}"),
          bytes("{\"customerId\": " + HUGE + "}"),
          bytes("{\"In\": " + HUGE + ", \"Experience Index\": 1e-100000000}"),
          bytes(
              "[{\"type\":\"SURVEY_ANSWERED\",\"survey\":\"CSAT\",\"id\":\"e-\\ud800\",\"customerId\":\"c\",\"at\":\"2026-11-01T10:00:00Z\",\"value\":5}]"),
          bytes("{\"customerId\":\"c-\\udfff\",\"interaction\":{\"channel\":\"PHONE\"}}"),
          bytes("[".repeat(5_000) + "]".repeat(5_000)),
          bytes("{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000)),
          new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
          new byte[] {
            '{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
          },
          bytes(
              "{\"customerId\": 12, \"asOf\": true, \"profile\": [], \"interaction\": \"PHONE\"}"),
          bytes(
              "{\"customerId\":\"c\",\"asOf\":\"2026-13-45T99:00:00Z\",\"interaction\":{\"channel\":\"PIGEON\"}}"),
          bytes(
              "{\"decisionId\":\"d-1\",\"actionId\":\"x\",\"outcome\":\"MAYBE\",\"at\":\"yesterday\"}"),
          bytes(
              "{\"files\":{\"dmn/x.dmn\":\"<!DOCTYPE x SYSTEM \\\"http://127.0.0.1:9/x\\\"><x/>\"}}"),
          bytes("{\"files\":{\"drl/x.drl\":\"rule x when then end\"},\"basedOn\":\"v1-zzz\"}"),
          bytes("{\"files\":{\"dmn/x.dmn\":\"not xml\"},\"basedOn\":" + HUGE + "}"),
          bytes("{\"population\":{\"synthetic\":" + HUGE + "},\"baseline\":\"%201\"}"),
          bytes(
              "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><definitions>&b;</definitions>"),
          bytes("rule \"x\" when then end"),
          bytes(
              "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.dmn\"\r\n\r\n<x/>\r\n"),
          bytes("\u0000\u0001\u0002"),
          bytes("{\"customerId\":\"" + "x".repeat(10_000) + "\"}"));

  static final List<String> TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-16",
          "application/xml",
          "text/xml",
          "multipart/form-data; boundary=b",
          "multipart/form-data",
          "text/plain",
          "",
          "application/problem+json",
          "*/*");

  static final List<String> QUERIES =
      List.of(
          "",
          "?limit=-1",
          "?limit=" + HUGE,
          "?limit=abc",
          "?from=%201&to=v1-x",
          "?from=1&to=1e9",
          "?from=" + "9".repeat(40) + "&to=1",
          "?path=..%2Fdrl%2Fx.drl",
          "?basedOn=%201",
          "?cursor=%ED%A0%80",
          "?x=" + "y".repeat(3000));

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** A concrete path for the route with hostile parameters. */
  static String path(Random random, AuthorizationTest.Endpoint e) {
    String path = e.path();
    if (path.equals("/desk/*")) {
      return "/desk/" + pick(random, List.of("desk.js", "..%2F..%2Fpom.xml", "%00", "x"));
    }
    return path.replace(":version", pick(random, VERSIONS))
        .replace(":model", pick(random, NAMES))
        .replace(":id", pick(random, List.of("sim-0", "d-1", "%ED%A0%80", "c-1", "..%2F")))
        .replace(":kind", pick(random, List.of("report.json", "report.html", "customers.csv", "x")))
        .replace(
            "*",
            pick(
                random,
                List.of("dmn/contact-policy.dmn", "..%2F..%2Fetc%2Fpasswd", "drl/x.drl", "%00")));
  }

  /**
   * Error lines of the service and of Vert.x: bad input is the client's doing and never logs one.
   */
  static List<String> ourErrors(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured) {
    return captured.list.stream()
        .filter(
            e ->
                e.getLevel() == ch.qos.logback.classic.Level.ERROR
                    && (e.getLoggerName().startsWith("io.nextbest")
                        || e.getLoggerName().startsWith("io.vertx")
                        || e.getLoggerName().startsWith("io.netty")))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
        .toList();
  }

  @Test
  void aStormOfMalformedRequests_overEveryRoute_getsNo5xx() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
        new ch.qos.logback.core.read.ListAppender<>();
    ch.qos.logback.classic.Logger root =
        ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
            .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
    try {
      storm();
    } finally {
      root.detachAppender(captured);
    }
    assertThat(ourErrors(captured)).isEmpty();
  }

  private void storm() throws Exception {
    Random random = new Random(20261201L);
    List<String> roles = new ArrayList<>(clients.keySet());
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, Integer> perRoute = new TreeMap<>();
    List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      AuthorizationTest.Endpoint e = pick(random, AuthorizationTest.ENDPOINTS);
      // Mostly the route's own method; sometimes another, for the 405 path.
      HttpMethod method =
          random.nextInt(10) == 0
              ? pick(
                  random,
                  List.of(
                      HttpMethod.GET,
                      HttpMethod.POST,
                      HttpMethod.PUT,
                      HttpMethod.DELETE,
                      HttpMethod.PATCH))
              : e.method();
      String uri = path(random, e) + pick(random, QUERIES);
      WebClient client = clients.get(pick(random, roles));
      HttpRequest<Buffer> request =
          client.requestAbs(method, "http://localhost:" + config.httpPort() + uri);
      String type = pick(random, TYPES);
      if (!type.isEmpty()) {
        request.putHeader("Content-Type", type);
      }
      int body = random.nextInt(BODIES.size());
      described.add(
          method
              + " "
              + (uri.length() > 120 ? uri.substring(0, 120) + "…" : uri)
              + " ["
              + type
              + "] body#"
              + body);
      batch.add(
          method == HttpMethod.GET && random.nextBoolean()
              ? request.send()
              : request.sendBuffer(Buffer.buffer(BODIES.get(body))));
      perRoute.merge(e.method() + " " + e.path(), 1, Integer::sum);
      if (batch.size() == IN_FLIGHT || i == REQUESTS - 1) {
        for (int k = 0; k < batch.size(); k++) {
          HttpResponse<Buffer> r;
          try {
            r = batch.get(k).await();
          } catch (RuntimeException closed) {
            // The server may hang up on a request it answered early (its body unread): not a 5xx.
            statuses.merge(0, 1, Integer::sum);
            continue;
          }
          statuses.merge(r.statusCode(), 1, Integer::sum);
          if (r.statusCode() >= 500) {
            failures.add(described.get(k) + " -> " + r.statusCode() + " " + r.bodyAsString());
          }
        }
        batch.clear();
        described.clear();
      }
    }
    int fiveXx =
        statuses.entrySet().stream()
            .filter(en -> en.getKey() >= 500)
            .mapToInt(Map.Entry::getValue)
            .sum();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("requests", REQUESTS);
    figures.put("routes", perRoute.size());
    figures.put("fiveXx", fiveXx);
    figures.put("connectionsClosedEarly", statuses.getOrDefault(0, 0));
    figures.put("statuses", statuses);
    figures.put("perRoute", perRoute);
    Files.writeString(
        Path.of("target", "malformed-storm.json"), new JsonObject(figures).encodePrettily());
    assertThat(failures).isEmpty();
    assertThat(perRoute).hasSize(AuthorizationTest.ENDPOINTS.size());
    assertThat(clients.get("agent").get("/health/live").send().await().statusCode()).isEqualTo(200);
  }
}
