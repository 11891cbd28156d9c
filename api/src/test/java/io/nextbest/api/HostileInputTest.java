package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks of the adversarial pass, one by one: each is refused with a 4xx, never runs, fetches,
 * hangs or answers 5xx.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  static Vertx vertx;
  static ApiConfig config;
  static WebClient analyst;
  static WebClient agent;
  static String label;

  static final String JAVA_DECISION =
      "<decision id=\"_Leak\" name=\"Leak\"><variable id=\"_LeakV\" name=\"Leak\" typeRef=\"string\"/>"
          + "<literalExpression id=\"_LeakE\"><text>(function(k) external { java: { class: \"java.lang.System\", method signature: \"getenv(java.lang.String)\" } })(\"NBA_API_KEYS\")</text></literalExpression></decision>";

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    // A short read timeout and a small connection limit, so slow clients show what they get
    // quickly.
    config = TestApi.config().withConnections(2, 16);
    agent = TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    label = agent.get("/health").send().await().bodyAsJsonObject().getString("ruleSetVersion");
  }

  static String contactPolicy() {
    return TestApi.ruleSet().source().text("dmn/contact-policy.dmn");
  }

  static HttpResponse<Buffer> uploadXml(String path, String xml) {
    return analyst
        .post("/v1/rulesets")
        .addQueryParam("path", path)
        .putHeader("Content-Type", "application/xml")
        .sendBuffer(Buffer.buffer(xml))
        .await();
  }

  static JsonObject problem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    return r.bodyAsJsonObject();
  }

  static double errors5xx() {
    String metrics = agent.get("/metrics").send().await().bodyAsString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("nba_errors_total{") && l.contains("status_class=\"5xx\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aDmnUploadCallingJava_isForbidden_namingTheElement_asXmlJsonOrMultipart() {
    int versions =
        analyst
            .get("/v1/rulesets")
            .send()
            .await()
            .bodyAsJsonObject()
            .getJsonArray("versions")
            .size();
    String dmn = contactPolicy();
    int at = dmn.indexOf("<dmndi:DMNDI");
    String evil = dmn.substring(0, at) + JAVA_DECISION + dmn.substring(at);
    JsonObject raw = problem(uploadXml("dmn/contact-policy.dmn", evil), 403);
    assertThat(raw.getString("type")).endsWith("forbidden-file");
    assertThat(raw.getString("detail"))
        .contains("decision 'Leak'")
        .contains("external (Java) function");
    assertThat(raw.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("dmn/contact-policy.dmn#_LeakE");
    JsonObject json =
        new JsonObject()
            .put(
                "files",
                new JsonObject()
                    .put(
                        "dmn/contact-policy.dmn",
                        evil.replace("external {", "external /* x */ {")));
    problem(
        analyst
            .post("/v1/rulesets")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(json.toBuffer())
            .await(),
        403);
    String kindJava =
        dmn.substring(0, at)
            + "<businessKnowledgeModel id=\"_B\" name=\"env\"><encapsulatedLogic id=\"_BL\" kind=\"Java\"><literalExpression><text>1</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>"
            + dmn.substring(at);
    assertThat(problem(uploadXml("dmn/contact-policy.dmn", kindJava), 403).getString("detail"))
        .contains("businessKnowledgeModel 'env'")
        .contains("kind=\"Java\"");
    assertThat(
            analyst.get("/v1/rulesets").send().await().bodyAsJsonObject().getJsonArray("versions"))
        .hasSize(versions);
  }

  @Test
  void aDoctype_isRefused_andItsDtdNeverFetched_norAreEntitiesExpanded() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(500);
      String xml =
          contactPolicy()
              .replaceFirst(
                  "\\?>",
                  "?>\n<!DOCTYPE definitions SYSTEM \"http://127.0.0.1:"
                      + listener.getLocalPort()
                      + "/evil.dtd\">");
      JsonObject p = problem(uploadXml("dmn/contact-policy.dmn", xml), 422);
      assertThat(p.getString("detail")).contains("DOCTYPE declaration is not allowed");
      boolean fetched;
      try {
        listener.accept().close();
        fetched = true;
      } catch (SocketTimeoutException e) {
        fetched = false;
      }
      assertThat(fetched).isFalse();
    }
    String laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><definitions>&c;</definitions>";
    assertThat(problem(uploadXml("dmn/x.dmn", laughs), 422).getString("detail"))
        .contains("DOCTYPE");
  }

  @Test
  void notXml_saysSoWithALine_neverLineNullNorAJavaMessage() {
    JsonObject p =
        problem(uploadXml("dmn/contact-policy.dmn", "rule \"Sneaky\"\nwhen\nthen\nend\n"), 422);
    assertThat(p.getString("detail"))
        .contains("is not well-formed XML at line 1")
        .doesNotContain("null")
        .doesNotContain("Exception")
        .doesNotContain("dmndefs");
  }

  @Test
  void versionIds_acceptTheLabelDecisionsReport_andRefuseAnythingElseWith400() {
    assertThat(analyst.get("/v1/rulesets/" + label).send().await().statusCode()).isEqualTo(200);
    assertThat(analyst.get("/v1/rulesets/" + label + "/models").send().await().statusCode())
        .isEqualTo(200);
    assertThat(
            analyst
                .get("/v1/rulesets/diff")
                .addQueryParam("from", label)
                .addQueryParam("to", "1")
                .send()
                .await()
                .statusCode())
        .isEqualTo(200);
    for (String bad :
        List.of(
            "%201", "1%20", "0", "-1", "1.0", "abc", "v1", "v1-XYZ", "1e3", "%00", "9999999999")) {
      HttpResponse<Buffer> r = analyst.get("/v1/rulesets/" + bad).send().await();
      assertThat(r.statusCode()).as(bad + ": " + r.bodyAsString()).isEqualTo(400);
    }
    assertThat(
            problem(analyst.get("/v1/rulesets/v1-000000000000").send().await(), 404)
                .getString("detail"))
        .contains(label);
    assertThat(analyst.post("/v1/rulesets/%201/validate").send().await().statusCode())
        .isEqualTo(400);
  }

  @Test
  void aStoredVersionThatDoesNotCompile_isExplained_onEveryRoute_neverA500() {
    // Well-formed XML with a FEEL error: stored as a candidate, refused by its gate.
    String broken = contactPolicy().replaceFirst("&lt; 30", "&lt; 30 +* 2");
    HttpResponse<Buffer> up = uploadXml("dmn/contact-policy.dmn", broken);
    assertThat(up.statusCode()).as(up.bodyAsString()).isEqualTo(201);
    int v = up.bodyAsJsonObject().getInteger("sequence");
    assertThat(
            problem(analyst.get("/v1/rulesets/" + v + "/models").send().await(), 409)
                .getJsonArray("errors"))
        .isNotEmpty();
    problem(
        analyst
            .post("/v1/rulesets/" + v + "/models/Contact%20Policy/evaluate")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{}"))
            .await(),
        409);
    JsonObject test = problem(analyst.post("/v1/rulesets/" + v + "/test").send().await(), 409);
    assertThat(test.getString("detail")).contains("does not compile, so its scenarios cannot run");
    assertThat(test.getJsonArray("errors")).isNotEmpty();
    assertThat(
            analyst
                .get("/v1/rulesets/diff")
                .addQueryParam("from", "1")
                .addQueryParam("to", String.valueOf(v))
                .send()
                .await()
                .statusCode())
        .isEqualTo(200);
    assertThat(
            analyst
                .post("/v1/rulesets/" + v + "/validate")
                .send()
                .await()
                .bodyAsJsonObject()
                .getBoolean("compiles"))
        .isFalse();
  }

  @Test
  void hugeNumbers_areRefusedAt400_onModels_decisions_andEvents() {
    for (String n : List.of("1e100000000", "1e3000000", "-1e-100000000")) {
      JsonObject p =
          problem(
              agent
                  .post("/v1/models/Contact%20Policy/evaluate")
                  .putHeader("Content-Type", "application/json")
                  .sendBuffer(
                      Buffer.buffer("{\"Experience Index\": " + n + ", \"Quadrant\": \"Q1\"}"))
                  .await(),
              400);
      assertThat(p.getString("detail")).contains("out of range");
      problem(
          agent
              .post("/v1/decisions")
              .putHeader("Content-Type", "application/json")
              .sendBuffer(Buffer.buffer(TestApi.EXAMPLE.replace("\"value\":5", "\"value\":" + n)))
              .await(),
          400);
      problem(
          agent
              .post("/v1/events")
              .putHeader("Content-Type", "application/json")
              .sendBuffer(
                  Buffer.buffer(
                      "[{\"type\":\"SURVEY_ANSWERED\",\"survey\":\"CSAT\",\"id\":\"e-1\",\"customerId\":\"c-9\",\"at\":\"2026-11-01T10:00:00Z\",\"value\":"
                          + n
                          + "}]"))
              .await(),
          400);
    }
  }

  @Test
  void anEventIdWithALoneSurrogate_isRefused_andResendingStaysSafe() {
    String body =
        "[{\"type\":\"SURVEY_ANSWERED\",\"survey\":\"CSAT\",\"id\":\"e-\\ud800\",\"customerId\":\"c-sur\",\"at\":\"2026-11-01T10:00:00Z\",\"value\":5}]";
    for (int i = 0; i < 3; i++) {
      assertThat(
              problem(
                      agent
                          .post("/v1/events")
                          .putHeader("Content-Type", "application/json")
                          .sendBuffer(Buffer.buffer(body))
                          .await(),
                      400)
                  .getString("detail"))
          .contains("lone UTF-16 surrogate");
    }
  }

  @Test
  void theUploadLimit_isTheOneThe413Names() {
    byte[] big = new byte[(int) config.maxUploadBytes() + 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    JsonObject p =
        problem(
            analyst
                .post("/v1/rulesets")
                .addQueryParam("path", "dmn/x.dmn")
                .putHeader("Content-Type", "application/xml")
                .sendBuffer(Buffer.buffer(big))
                .await(),
            413);
    assertThat(p.getString("detail")).contains(String.valueOf(config.maxUploadBytes()));
  }

  @Test
  void aMultipartOfManyParts_is400_withoutCountingA5xx_orLeavingFiles() throws Exception {
    double before = errors5xx();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      body.append("--b\r\nContent-Disposition: form-data; name=\"f")
          .append(i)
          .append("\"; filename=\"f")
          .append(i)
          .append(".dmn\"\r\nContent-Type: application/xml\r\n\r\n<x/>\r\n");
    }
    body.append("--b--\r\n");
    HttpResponse<Buffer> r =
        analyst
            .post("/v1/rulesets")
            .putHeader("Content-Type", "multipart/form-data; boundary=b")
            .sendBuffer(Buffer.buffer(body.toString()))
            .await();
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errors5xx()).isEqualTo(before);
    // Deleted asynchronously, the last ones once the connection is done with the request (its next
    // request, or the close after the read timeout).
    for (int i = 0; i < 100 && !uploads().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(uploads()).isEmpty();
  }

  @Test
  void anAnonymousUploadWithoutItsClosingBoundary_gets401AtOnce_andLeavesNoFile()
      throws IOException {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/rulesets HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String part =
          "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.dmn\"\r\n\r\n"
              + "x".repeat(5000)
              + "\r\n";
      out.write(
          (Integer.toHexString(part.length()) + "\r\n" + part + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = read(s);
      assertThat(answer).startsWith("HTTP/1.1 401").contains("WWW-Authenticate");
    }
    assertThat(uploads()).isEmpty();
  }

  @Test
  void anAnalystsUploadThatNeverEnds_gets408_andLeavesNoFile() throws Exception {
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/rulesets HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                  + TestApi.ANALYST_KEY
                  + "\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String part =
          "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.dmn\"\r\n\r\n"
              + "x".repeat(5000)
              + "\r\n";
      out.write(
          (Integer.toHexString(part.length()) + "\r\n" + part + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(read(s)).startsWith("HTTP/1.1 408");
    }
    // The scratch file is deleted asynchronously once the answer has ended.
    for (int i = 0; i < 50 && !uploads().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(uploads()).isEmpty();
  }

  @Test
  void brokenChunkSizes_are400() throws IOException {
    for (String chunk : List.of("zz", "FFFFFFFFFFFFFFFFFFFF", "-1")) {
      try (Socket s = socket()) {
        s.getOutputStream()
            .write(
                ("POST /v1/decisions HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                        + TestApi.AGENT_KEY
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunk
                        + "\r\nabc\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(read(s)).as(chunk).startsWith("HTTP/1.1 400");
      }
    }
  }

  @Test
  void slowClients_areClosed_andCannotLockOutLiveness() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      // More than the connection limit, each sending a header line now and then, never finishing.
      for (int i = 0; i < 40; i++) {
        Socket s = socket();
        s.getOutputStream()
            .write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(1);
        slow.add(s);
      }
      // Trickling keeps the idle timeout from firing: only the read timeout can end them.
      List<Socket> open = new ArrayList<>(slow);
      int livenessAnswers = 0;
      for (int round = 0; round < 60 && !open.isEmpty(); round++) {
        try {
          HttpResponse<Buffer> live =
              TestApi.client(vertx, config, null).get("/health/live").send().await();
          livenessAnswers += live.statusCode() == 200 ? 1 : 0;
        } catch (io.vertx.core.http.HttpClosedException refusedAtTheLimit) {
          // While the slow clients hold every connection the probe's is closed: not an answer.
        }
        open.removeIf(HostileInputTest::closedByServer);
        for (Socket s : open) {
          try {
            s.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException closed) {
            // closed between the check and the write
          }
        }
        Thread.sleep(500);
      }
      assertThat(open).as("slow clients the server never closed").isEmpty();
      assertThat(livenessAnswers).isPositive();
      assertThat(
              TestApi.client(vertx, config, null).get("/health/live").send().await().statusCode())
          .isEqualTo(200);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** Whether the server has closed the socket (end of stream or a reset), without waiting. */
  static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      int b;
      while ((b = in.read()) >= 0) {
        // a 408 may come first
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void aClientThatLeavesEarly_countsNo5xx() throws Exception {
    double before = errors5xx();
    for (int i = 0; i < 5; i++) {
      try (Socket s = socket()) {
        s.getOutputStream()
            .write(
                ("POST /v1/decisions HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                        + TestApi.AGENT_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"customerId\":")
                    .getBytes(StandardCharsets.US_ASCII));
      }
    }
    assertThat(agent.get("/health/live").send().await().statusCode()).isEqualTo(200);
    assertThat(errors5xx()).isEqualTo(before);
  }

  @Test
  void uploadScratchFilesLeftByAKilledProcess_areRemovedAtStart() throws IOException {
    Path dir = Files.createDirectories(config.dataDir().resolve("leftover-uploads"));
    Files.writeString(dir.resolve("f1"), "partial upload");
    Files.writeString(dir.resolve("f2"), "another");
    ApiServer.purgeUploads(dir);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void a401_saysHowToAuthenticate() {
    HttpResponse<Buffer> r = TestApi.client(vertx, config, null).get("/v1/rulesets").send().await();
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.getHeader("WWW-Authenticate")).contains("Bearer").contains("X-API-Key");
  }

  static Socket socket() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), config.httpPort());
    s.setSoTimeout(20_000);
    return s;
  }

  /** Everything the server sends until it closes the connection or a whole response has come. */
  static String read(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        int head = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (head >= 0 && m.find() && text.length() >= head + 4 + Integer.parseInt(m.group(1))) {
          break;
        }
      }
    } catch (IOException reset) {
      // what came before the reset is the answer
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  static List<Path> uploads() throws IOException {
    Path dir = config.dataDir().resolve("uploads");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
