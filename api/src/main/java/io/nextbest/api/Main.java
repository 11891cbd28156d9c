package io.nextbest.api;

import io.nextbest.engine.RuleSet;
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
    StoreConfig store;
    try {
      config = ApiConfig.fromEnv(System.getenv());
      store = StoreConfig.fromEnv(System.getenv());
      Files.createDirectories(config.dataDir());
      if (config.apiKeys().isEmpty()) {
        config = config.withApiKeys(ApiKeysFile.loadOrCreate(config.dataDir()));
        LOG.info("no NBA_API_KEYS set: using the keys in {}", config.dataDir().resolve(ApiKeysFile.NAME).toAbsolutePath());
      }
    } catch (IllegalArgumentException | IOException e) {
      LOG.error("cannot start: {}", e.toString());
      System.exit(2);
      return;
    }
    LOG.info(
        "NextBest API: port {}, data dir {}, max body {} bytes, {} event loops, {} API keys, JWT {}",
        config.httpPort(),
        config.dataDir().toAbsolutePath(),
        config.maxBodyBytes(),
        config.eventLoops(),
        config.apiKeys().size(),
        config.jwtSecret() == null ? "off" : "on");

    ServiceMetrics metrics = new ServiceMetrics();
    Vertx vertx = metrics.newVertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    Services services;
    try {
      LOG.info("customer store: {}", store.describe());
      services = Services.open(vertx, config, store, metrics);
    } catch (RuntimeException e) {
      LOG.error("cannot open the store or compile the rule set", e);
      vertx.close();
      System.exit(1);
      return;
    }
    RuleSet active = services.engine().ruleSet();
    LOG.info("rule set {} active, compiled in {} ms: {} rules", active.version(), active.compileTime().toMillis(), active.ruleCount());
    RulesWatcher watcher = config.rulesDir() == null ? null : new RulesWatcher(config.rulesDir(), services.registry()).start();

    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(vertx, services, watcher), "nba-shutdown"));
    ApiConfig listening = config;
    ApiServer.deploy(vertx, services, config)
        .onSuccess(id -> LOG.info("listening on port {}", listening.httpPort()))
        .onFailure(
            e -> {
              LOG.error("cannot listen on port {}", listening.httpPort(), e);
              // exit() runs the shutdown hook, which closes Vert.x.
              System.exit(1);
            });
  }

  private static void shutDown(Vertx vertx, Services services, RulesWatcher watcher) {
    LOG.info("shutting down");
    if (watcher != null) {
      watcher.close();
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
      LOG.info("stopped");
    } catch (TimeoutException e) {
      LOG.warn("Vert.x did not close within 10 s");
    } catch (RuntimeException e) {
      LOG.warn("closing Vert.x failed", e);
    } finally {
      services.close();
    }
  }
}
