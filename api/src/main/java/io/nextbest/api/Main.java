package io.nextbest.api;

import io.nextbest.engine.RuleSet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the service: {@code java -jar nba-api.jar [--config nba.yaml]}, configured by a YAML file
 * and {@code NBA_*} environment variables over it (see {@link Settings}, {@link ApiConfig}, {@link
 * StoreConfig}). Exit code 2 for a usage or settings mistake and a port or data directory already
 * in use (each found before the rule set is compiled), 1 when the store or the rule set cannot be
 * opened.
 */
@Command(
    name = "nba-api",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    usageHelpWidth = 110,
    description = {
      "The NextBest next-best-action service: ranked actions with their reasons over HTTP, an agent desk at /desk/",
      "and its contract at /openapi.json. Every setting comes from the YAML file and from NBA_* variables, which win."
    },
    footer = {
      "",
      "Settings most often changed (every one: docs/nba.example.yaml, and the README's Configuration):",
      "  NBA_HTTP_PORT         http.port          port to listen on (default 8080)",
      "  NBA_DATA_DIR          dataDir            embedded store and generated API keys (default ./nba-data)",
      "  NBA_API_KEYS          security.apiKeys   key=role pairs; unset: generated in <dataDir>/api-keys.properties",
      "  NBA_STORE             store.kind         embedded (SQLite, one process) or redis (shared by several nodes)",
      "  NBA_LOG_FORMAT        log.format         json or text; unset: text at a terminal, json otherwise",
      "  NBA_WARMUP_DECISIONS  warmup.decisions   decisions before ready, warming the JIT (default 200000; 0: off)"
    })
public final class Main implements Callable<Integer> {
  /** Set once the log format is known: logging must not start before the settings are read. */
  private static Logger LOG;

  /** Set by the shutdown hook: a deployment cut short by it is no failure to report. */
  private static volatile boolean stopping;

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = "YAML settings file (default: the one NBA_CONFIG names, else none)")
  Path configFile;

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main(System.getenv())).execute(args);
    // 0: the service runs on Vert.x's threads (or --help / --version printed and nothing runs).
    if (code != 0) {
      stopLogging();
      System.exit(code);
    }
  }

  /** Writes out the lines still queued for the log (its appender is asynchronous) and stops it. */
  static void stopLogging() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }

  /**
   * Starts the service; returns once it listens (0) or with the exit code it could not start with.
   */
  @Override
  public Integer call() {
    long started = System.nanoTime();
    Settings settings;
    ApiConfig config;
    StoreConfig store;
    EventsKafkaConfig kafka;
    WarmUpConfig warmUp;
    try {
      settings = Settings.forStart(configFile, env);
      config = settings.api();
      store = settings.store();
      kafka = settings.eventsKafka();
      warmUp = settings.warmUp();
    } catch (IllegalArgumentException e) {
      // Logging is not configured yet (its format is one of the settings).
      System.err.println("cannot start: " + e.getMessage());
      return 2;
    }
    // logback.xml reads these; system properties win over the environment there, so the file's
    // values count too.
    System.setProperty(Settings.LOG_FORMAT, settings.logFormat(System.console() != null));
    System.setProperty(Settings.LOG_LEVEL, settings.logLevel());
    LOG = LoggerFactory.getLogger(Main.class);
    LOG.info("NextBest API {} starting, settings from {}", version(), settings.describe());
    DataDirLock lock;
    String keys;
    try {
      Files.createDirectories(config.dataDir());
      lock = DataDirLock.acquire(config.dataDir());
      requirePortFree(config.httpPort());
      if (config.apiKeys().isEmpty()) {
        config = config.withApiKeys(ApiKeysFile.loadOrCreate(config.dataDir()));
        keys = "API keys in " + config.dataDir().resolve(ApiKeysFile.NAME).toAbsolutePath();
      } else {
        keys = "API keys from " + ApiConfig.API_KEYS;
      }
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      LOG.error("cannot start: {}", e.getMessage());
      return 2;
    }
    LOG.info(
        "port {}, data dir {}, max body {} bytes, {} event loops, {} API keys, JWT {}, store {}",
        config.httpPort(),
        config.dataDir().toAbsolutePath(),
        config.maxBodyBytes(),
        config.eventLoops(),
        config.apiKeys().size(),
        config.jwtSecret() == null ? "off" : "on",
        store.describe());

    ServiceMetrics metrics = new ServiceMetrics();
    Vertx vertx = metrics.newVertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    Services services;
    try {
      services = Services.open(vertx, config, store, metrics, warmUp);
    } catch (RuntimeException e) {
      LOG.error("cannot open the store or compile the rule set", e);
      vertx.close();
      return 1;
    }
    RuleSet active = services.engine().ruleSet();
    LOG.info(
        "rule set {} active, compiled in {} ms: {} rules",
        active.version(),
        active.compileTime().toMillis(),
        active.ruleCount());
    LOG.info("warm-up: {}", warmUp.describe());
    // On a thread of its own, while the server starts: /health/ready says DOWN until it is done.
    services.warmUp().start();
    RulesWatcher watcher =
        config.rulesDir() == null
            ? null
            : new RulesWatcher(config.rulesDir(), services.registry()).start();

    // Readiness reports the consumer's health once it is here.
    AtomicReference<KafkaEvents> consumer = services.kafka();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> shutDown(vertx, services, watcher, lock, consumer.get()), "nba-shutdown"));
    ApiConfig listening = config;
    String keysAt = keys;
    LOG.info("events from Kafka: {}", kafka.describe());
    ApiServer.deploy(vertx, services, config)
        .onSuccess(
            id -> {
              String base = "http://localhost:" + listening.httpPort();
              LOG.info(
                  "NextBest API {} {} in {} s on port {}: desk {}/desk/, contract {}/openapi.json, {}",
                  version(),
                  services.warmUp().pending() == null
                      ? "ready"
                      : "listening (ready once warmed up)",
                  String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                  listening.httpPort(),
                  base,
                  base,
                  keysAt);
              if (kafka.enabled()) {
                ApiContract.load(vertx)
                    .map(
                        contract ->
                            consumer.updateAndGet(
                                none ->
                                    new KafkaEvents(
                                            kafka,
                                            new EventIntake(services.customers(), contract),
                                            services.metrics())
                                        .start()))
                    .onFailure(
                        e -> {
                          LOG.error("cannot start the Kafka consumer: {}", e.getMessage(), e);
                          new Thread(() -> System.exit(1), "nba-exit").start();
                        });
              }
            })
        .onFailure(
            e -> {
              if (stopping) {
                return;
              }
              LOG.error(
                  "cannot listen on port {} ({} or http.port): {}",
                  listening.httpPort(),
                  ApiConfig.HTTP_PORT,
                  e.getMessage());
              // Not on the event loop: exit() waits for the shutdown hook, which needs the loops to
              // close Vert.x.
              new Thread(() -> System.exit(2), "nba-exit").start();
            });
    return 0;
  }

  /**
   * Fails when something already listens on {@code port}, so a taken port is reported at once
   * rather than after the rule set has compiled. Vert.x's own bind, later, still reports the rare
   * port taken in between.
   */
  static void requirePortFree(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is already in use; stop what listens there or choose another port with "
              + ApiConfig.HTTP_PORT
              + " (http.port in the file)");
    }
  }

  /** This build's version, from the runnable jar's manifest (none when run from classes). */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "NextBest API " + version(),
        "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name")
      };
    }
  }

  private static void shutDown(
      Vertx vertx,
      Services services,
      RulesWatcher watcher,
      DataDirLock lock,
      KafkaEvents consumer) {
    stopping = true;
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
      try {
        lock.close();
      } catch (IOException e) {
        LOG.debug("cannot release the data directory lock: {}", e.getMessage());
      }
      stopLogging();
    }
  }
}
