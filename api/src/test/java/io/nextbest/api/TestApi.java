package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** The bundled rule set, compiled once for every test class in the JVM (it takes seconds), and servers on free ports. */
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

  static ApiConfig config() {
    return new ApiConfig(freePort(), Path.of("target", "nba-data"), ApiConfig.DEFAULT_MAX_BODY_BYTES, 2);
  }

  /** Deploys the API and answers a client aimed at it. */
  static WebClient start(Vertx vertx, DecisionEngine engine, ApiConfig config) {
    ApiServer.deploy(vertx, engine, config).await();
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(config.httpPort()), new PoolOptions().setHttp1MaxSize(16));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
