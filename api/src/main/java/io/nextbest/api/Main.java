package io.nextbest.api;

import io.nextbest.engine.RuleSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service: {@code java -jar nba-api.jar [--config nba.yaml]}, configured by a YAML file
 * and {@code NBA_*} environment variables over it (see {@link Settings}, {@link ApiConfig}, {@link
 * StoreConfig}).
 */
public final class Main {
  /** Set once the log format is known: logging must not start before the settings are read. */
  private static Logger LOG;

  private Main() {}

  public static void main(String[] args) {
    Settings settings;
    ApiConfig config;
    StoreConfig store;
    EventsKafkaConfig kafka;
    try {
      settings = Settings.load(args, System.getenv());
      config = settings.api();
      store = settings.store();
      kafka = settings.eventsKafka();
    } catch (IllegalArgumentException e) {
      // Logging is not configured yet (its format is one of the settings).
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    // logback.xml reads these; system properties win over the environment there, so the file's values count too.
    System.setProperty(Settings.LOG_FORMAT, settings.logFormat());
    System.setProperty(Settings.LOG_LEVEL, settings.logLevel());
    LOG = LoggerFactory.getLogger(Main.class);
    LOG.info("settings from {}", settings.describe());
    try {
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

    AtomicReference<KafkaEvents> consumer = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(vertx, services, watcher, consumer.get()), "nba-shutdown"));
    ApiConfig listening = config;
    LOG.info("events from Kafka: {}", kafka.describe());
    ApiServer.deploy(vertx, services, config)
        .compose(id -> kafka.enabled() ? ApiContract.load(vertx).map(contract -> consumer.updateAndGet(none -> new KafkaEvents(kafka, new EventIntake(services.customers(), contract), services.metrics()).start())) : Future.succeededFuture())
        .onSuccess(id -> LOG.info("listening on port {}", listening.httpPort()))
        .onFailure(
            e -> {
              LOG.error("cannot listen on port {} or start the Kafka consumer", listening.httpPort(), e);
              // exit() runs the shutdown hook, which closes Vert.x.
              System.exit(1);
            });
  }

  private static void shutDown(Vertx vertx, Services services, RulesWatcher watcher, KafkaEvents consumer) {
    LOG.info("shutting down");
    if (watcher != null) {
      watcher.close();
    }
    if (consumer != null) {
      // First: the batch in hand is stored and committed before the store closes.
      consumer.close();
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
