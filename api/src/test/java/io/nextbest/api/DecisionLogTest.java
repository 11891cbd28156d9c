package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a decision leaves in the logs: its id on every line, what was decided, and nothing the
 * customer sent.
 */
class DecisionLogTest {
  /** Values only the request carries: none may reach a log line. */
  static final String CUSTOMER = "cust-canary-4711";

  static final String COMPLAINT = "C-CANARY-77";
  static final String REASON = "billing dispute raised by Jane Canary";

  static final String REQUEST =
      TestApi.EXAMPLE
          .replace("\"c-1\"", "\"" + CUSTOMER + "\"")
          .replace("C-12", COMPLAINT)
          .replace("\"billing\"", "\"" + REASON + "\"");

  static Vertx vertx;
  static WebClient agent;
  static ListAppender<ILoggingEvent> captured = new ListAppender<>();
  static LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
  static Level handlersLevel;
  static Level problemsLevel;

  @BeforeAll
  static void start() {
    captured.setContext(logging);
    captured.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
    handlersLevel = logging.getLogger(CustomerHandlers.class).getLevel();
    problemsLevel = logging.getLogger(ProblemHandler.class).getLevel();
    logging.getLogger(CustomerHandlers.class).setLevel(Level.INFO);
    // Client mistakes are logged at debug only; look at those lines too.
    logging.getLogger(ProblemHandler.class).setLevel(Level.DEBUG);
    vertx = Vertx.vertx();
    agent = TestApi.start(vertx, TestApi.config());
  }

  @AfterAll
  static void stop() {
    logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    logging.getLogger(CustomerHandlers.class).setLevel(handlersLevel);
    logging.getLogger(ProblemHandler.class).setLevel(problemsLevel);
    vertx.close().await();
  }

  @BeforeEach
  void clear() {
    captured.list.clear();
  }

  static HttpResponse<Buffer> post(String path, String body) {
    return agent
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  /** The captured lines as the JSON encoder of logback.xml writes them. */
  static List<String> json(List<ILoggingEvent> events) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(logging);
    encoder.start();
    try {
      return events.stream()
          .map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8))
          .toList();
    } finally {
      encoder.stop();
    }
  }

  static List<ILoggingEvent> from(Class<?> logger) {
    return captured.list.stream().filter(e -> e.getLoggerName().equals(logger.getName())).toList();
  }

  @Test
  void aDecision_logsOneLineWithItsIdAndOutcome_andNoCustomerData() {
    HttpResponse<Buffer> r = post(TestApi.DECISIONS, REQUEST);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject decision = r.bodyAsJsonObject();
    String id = decision.getString("decisionId");

    List<ILoggingEvent> lines = from(CustomerHandlers.class);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getMDCPropertyMap()).containsEntry("decisionId", id);
    JsonObject line = new JsonObject(json(lines).get(0));
    assertThat(line.getString("decisionId")).isEqualTo(id);
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("quadrant"))
        .isEqualTo(decision.getJsonObject("segment").getString("quadrant"));
    assertThat(line.getString("topAction"))
        .isEqualTo(decision.getJsonArray("actions").getJsonObject(0).getString("actionId"));
    assertThat(line.getString("ruleSetVersion")).isEqualTo(decision.getString("ruleSetVersion"));
    assertThat(line.getLong("durationMicros")).isPositive();

    assertThat(String.join("\n", json(captured.list)))
        .doesNotContain(CUSTOMER)
        .doesNotContain(COMPLAINT)
        .doesNotContain("Canary");
  }

  @Test
  void aRefusedDecision_logsWithItsId_butNotTheOffendingValue() {
    HttpResponse<Buffer> r =
        post(TestApi.DECISIONS, REQUEST.replace("\"PHONE\"", "\"CANARY_CHANNEL\""));
    assertThat(r.statusCode()).isEqualTo(400);

    List<ILoggingEvent> lines = from(ProblemHandler.class);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getMDCPropertyMap().get("decisionId")).startsWith("d-");
    assertThat(String.join("\n", json(captured.list)))
        .contains("interaction.channel")
        .doesNotContain("CANARY")
        .doesNotContain("Canary")
        .doesNotContain(CUSTOMER);
  }

  @Test
  void feedback_logsWithTheDecisionsId() {
    JsonObject decision = post(TestApi.DECISIONS, REQUEST).bodyAsJsonObject();
    String id = decision.getString("decisionId");
    String action = decision.getJsonArray("actions").getJsonObject(0).getString("actionId");
    captured.list.clear();

    HttpResponse<Buffer> r =
        post(
            "/v1/feedback",
            new JsonObject()
                .put("decisionId", id)
                .put("actionId", action)
                .put("outcome", "ACCEPTED_BY_CUSTOMER")
                .encode());
    assertThat(r.statusCode()).isEqualTo(200);

    List<ILoggingEvent> lines = from(CustomerHandlers.class);
    assertThat(lines).isNotEmpty();
    assertThat(lines)
        .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("decisionId", id));
    assertThat(String.join("\n", json(captured.list))).doesNotContain(CUSTOMER);
  }
}
