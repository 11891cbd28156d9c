package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the service: {@code java -jar nba-api.jar}, configured by {@code NBA_*} environment variables (see {@link ApiConfig}). */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    ApiConfig config;
    try {
      config = ApiConfig.fromEnv(System.getenv());
      Files.createDirectories(config.dataDir());
    } catch (IllegalArgumentException | IOException e) {
      LOG.error("cannot start: {}", e.toString());
      System.exit(2);
      return;
    }
    LOG.info(
        "NextBest API: port {}, data dir {}, max body {} bytes, {} event loops",
        config.httpPort(),
        config.dataDir().toAbsolutePath(),
        config.maxBodyBytes(),
        config.eventLoops());

    DecisionEngine engine;
    try {
      engine = engine();
    } catch (RuntimeException e) {
      LOG.error("cannot compile the bundled rule set", e);
      System.exit(1);
      return;
    }

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(vertx), "nba-shutdown"));
    ApiServer.deploy(vertx, engine, config)
        .onSuccess(id -> LOG.info("listening on port {}", config.httpPort()))
        .onFailure(
            e -> {
              LOG.error("cannot listen on port {}", config.httpPort(), e);
              // exit() runs the shutdown hook, which closes Vert.x.
              System.exit(1);
            });
  }

  /**
   * Compiles the bundled rule set here, before Vert.x starts, so no event loop ever waits for it,
   * and makes one decision so the first client does not pay for lazy initialisation.
   */
  private static DecisionEngine engine() {
    RuleSet ruleSet = RuleSet.compile(RuleSetSource.bundled());
    DecisionEngine engine = DecisionEngine.builder().ruleSet(ruleSet).build();
    engine.decide(new CustomerContext("warm-up", null, null, null, null));
    LOG.info("rule set {} compiled in {} ms: {} rules", ruleSet.version(), ruleSet.compileTime().toMillis(), ruleSet.ruleCount());
    return engine;
  }

  private static void shutDown(Vertx vertx) {
    LOG.info("shutting down");
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
      LOG.info("stopped");
    } catch (TimeoutException e) {
      LOG.warn("Vert.x did not close within 10 s");
    } catch (RuntimeException e) {
      LOG.warn("closing Vert.x failed", e);
    }
  }
}
