package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bundled rule set, compiled once for every test class in the JVM (it takes seconds), and
 * servers on free ports.
 */
final class TestApi {
  static final String DECISIONS = "/v1/decisions";

  /** The example context from the API documentation. */
  static final String EXAMPLE =
      """
      {"customerId":"c-1","asOf":"2026-11-23T10:00:00Z",
       "profile":{"csat":[{"at":"2026-11-01T10:00:00Z","value":5}],
                  "complaints":[{"id":"C-12","openedAt":"2026-11-14T10:00:00Z","severity":"HIGH","product":"BROADBAND"}],
                  "consent":{"EMAIL":true,"SMS":true},
                  "products":[{"product":"BROADBAND","since":"2024-01-01T00:00:00Z"}]},
       "interaction":{"channel":"PHONE","reason":"billing","sentiment":"NEGATIVE"}}
      """;

  private TestApi() {}

  private static final class Compiled {
    static final RuleSet RULE_SET = RuleSet.compile(RuleSetSource.bundled());
  }

  static RuleSet ruleSet() {
    return Compiled.RULE_SET;
  }

  static DecisionEngine engine() {
    return DecisionEngine.builder().ruleSet(ruleSet()).build();
  }

  /**
   * An engine that fails on our side for every decision (its id supplier throws): what a 500 looks
   * like.
   */
  static DecisionEngine failingEngine() {
    return DecisionEngine.builder()
        .ruleSet(ruleSet())
        .decisionIds(
            () -> {
              throw new IllegalStateException("decision ids ran out");
            })
        .build();
  }

  static final String AGENT_KEY = "test-agent-key-0123456789";
  static final String ANALYST_KEY = "test-analyst-key-0123456789";
  static final String ADMIN_KEY = "test-admin-key-0123456789";
  static final String JWT_SECRET = "test-jwt-secret-0123456789-0123456789";

  /** A configuration on a free port with a fresh data directory and one key per role. */
  static ApiConfig config() {
    Path dir;
    try {
      Files.createDirectories(Path.of("target"));
      dir = Files.createTempDirectory(Path.of("target"), "nba-data-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ApiConfig(
        freePort(),
        dir,
        ApiConfig.DEFAULT_MAX_BODY_BYTES,
        ApiConfig.DEFAULT_MAX_UPLOAD_BYTES,
        2,
        Map.of(AGENT_KEY, Role.AGENT, ANALYST_KEY, Role.ANALYST, ADMIN_KEY, Role.ADMIN),
        JWT_SECRET,
        null);
  }

  /** Deploys the whole service as Main does, and answers an agent's client aimed at it. */
  static WebClient start(Vertx vertx, ApiConfig config) {
    Services services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    return client(vertx, config, AGENT_KEY);
  }

  /** Deploys the service around a given engine (e.g. one made to fail), with the agent's client. */
  static WebClient start(Vertx vertx, DecisionEngine engine, ApiConfig config) {
    Services opened = Services.open(vertx, config);
    Services services = new Services(engine, opened.registry(), opened.security(), opened.db());
    ApiServer.deploy(vertx, services, config).await();
    return client(vertx, config, AGENT_KEY);
  }

  /** A client that sends {@code key} with every request (null: no credentials). */
  static WebClient client(Vertx vertx, ApiConfig config, String key) {
    WebClient plain =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("localhost").setDefaultPort(config.httpPort()),
            new PoolOptions().setHttp1MaxSize(16));
    return key == null
        ? plain
        : WebClientSession.create(plain).addHeader(Security.API_KEY_HEADER, key);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
