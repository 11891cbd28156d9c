package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.PropensityModel;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.experiments.ExperimentStore;
import io.nextbest.engine.experiments.Experiments;
import io.nextbest.engine.experiments.SqliteExperimentStore;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.redis.RedisExperimentStore;
import io.nextbest.engine.redis.RedisRegistryStore;
import io.nextbest.engine.registry.RegistryStore;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.store.Sqlite;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the handlers work on, built once per process and shared by every verticle.
 *
 * @param engine the one decision pipeline
 * @param registry rule-set versions, their gate and activation
 * @param security authentication and roles
 * @param db the embedded store
 * @param customers live customer context: events, profiles, ledger, audit trail, learned
 *     propensities
 * @param redis the shared Redis connection when {@code NBA_STORE=redis}, else null
 * @param metrics the process's meters, served at {@code GET /metrics}
 * @param warmUp the decisions made, without side effects, before the node is ready and before a
 *     rule set becomes active
 * @param kafka the consumer of customer events from Kafka once it is started (empty when {@code
 *     events.kafka.*} is not set), whose health readiness reports
 */
public record Services(
    DecisionEngine engine,
    RuleSetRegistry registry,
    Security security,
    Sqlite db,
    CustomerService customers,
    Redis redis,
    ServiceMetrics metrics,
    WarmUp warmUp,
    AtomicReference<KafkaEvents> kafka)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  /** How often a node looks for a rule-set activation made on another node (Redis only). */
  static final long FOLLOW_MILLIS = 1_000;

  public Services {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(customers, "customers");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(warmUp, "warmUp");
    Objects.requireNonNull(kafka, "kafka");
  }

  /** Services around a given engine, with customer state in the embedded store {@code db}. */
  public Services(DecisionEngine engine, RuleSetRegistry registry, Security security, Sqlite db) {
    this(engine, registry, security, db, new ServiceMetrics());
  }

  private Services(
      DecisionEngine engine,
      RuleSetRegistry registry,
      Security security,
      Sqlite db,
      ServiceMetrics metrics) {
    this(
        engine,
        registry,
        security,
        db,
        CustomerService.builder()
            .store(new SqliteCustomerStore(db), false)
            .engine(engine)
            .experiments(
                new Experiments(new SqliteExperimentStore(db), registry, Clock.systemUTC()))
            .build(),
        null,
        metrics,
        new WarmUp(
            WarmUpConfig.OFF,
            engine.ruleSet(),
            PropensityModel.PRIORS,
            engine.clock(),
            engine::ruleSet,
            metrics),
        new AtomicReference<>());
    metrics.ruleSetActive(engine.ruleSet().version());
    metrics.situations(engine);
  }

  /**
   * Opens the embedded store in the data directory, the registry on it (the bundled rule set is
   * version 1 on first start), and the engine on the active version; every later activation swaps
   * the engine's rule set atomically. Compiles before any event loop serves, and makes one decision
   * so the first client does not pay for lazy initialisation.
   */
  public static Services open(Vertx vertx, ApiConfig config) {
    return open(vertx, config, StoreConfig.EMBEDDED);
  }

  /**
   * As {@link #open(Vertx, ApiConfig)}, with customer state and the registry where {@code store}
   * says: with Redis, every node sharing the server shares events, ledger, propensities, audit
   * trail and rule-set versions, and adopts another node's activation within {@link
   * #FOLLOW_MILLIS}.
   */
  public static Services open(Vertx vertx, ApiConfig config, StoreConfig store) {
    return open(vertx, config, store, new ServiceMetrics());
  }

  /**
   * As {@link #open(Vertx, ApiConfig, StoreConfig)}, recording into {@code metrics} (the registry
   * {@code vertx} was created with, see {@link ServiceMetrics#newVertx}): the engine reports every
   * rule firing to it, and every activation its version.
   */
  static Services open(Vertx vertx, ApiConfig config, StoreConfig store, ServiceMetrics metrics) {
    return open(vertx, config, store, metrics, WarmUpConfig.OFF);
  }

  /**
   * As {@link #open(Vertx, ApiConfig, StoreConfig, ServiceMetrics)}, warming as {@code warmUp}
   * says: every later activation warms the new rule set before it becomes active, and {@link
   * WarmUp#start()} (which Main calls) warms the active one before the node says it is ready.
   */
  static Services open(
      Vertx vertx,
      ApiConfig config,
      StoreConfig store,
      ServiceMetrics metrics,
      WarmUpConfig warmUp) {
    Sqlite db = Sqlite.open(config.dataDir());
    Redis redis = null;
    CustomerService customers = null;
    try {
      boolean shared = store.kind() == StoreConfig.Kind.REDIS;
      redis = shared ? Redis.connect(store.redisUrl(), store.redisTimeout()) : null;
      RegistryStore registryStore =
          shared
              ? new RedisRegistryStore(redis, Clock.systemUTC())
              : new SqliteRegistryStore(db, Clock.systemUTC());
      CustomerStore customerStore =
          shared ? new RedisCustomerStore(redis) : new SqliteCustomerStore(db);
      RuleSetRegistry registry = RuleSetRegistry.open(registryStore, RuleSetSource.bundled());
      BetaPropensities propensities =
          BetaPropensities.withPriorStrength(BetaPropensities.DEFAULT_PRIOR_STRENGTH);
      DecisionEngine engine =
          DecisionEngine.builder()
              .ruleSet(registry.active())
              .propensities(propensities)
              .observer(metrics)
              .build();
      WarmUp warming =
          new WarmUp(
              warmUp, registry.active(), propensities, engine.clock(), engine::ruleSet, metrics);
      // Warmed before it is swapped in: no decision ever reaches a rule set still cold.
      registry.beforeActivate(warming::beforeActivation);
      registry.onActivate(engine::activate);
      metrics.ruleSetActive(registry.active().version());
      registry.onActivate(active -> metrics.ruleSetActive(active.version()));
      metrics.situations(engine);
      engine.decide(new CustomerContext("warm-up", null, null, null, null));
      ExperimentStore experimentStore =
          shared ? new RedisExperimentStore(redis) : new SqliteExperimentStore(db);
      Experiments experiments = new Experiments(experimentStore, registry, Clock.systemUTC());
      customers =
          CustomerService.builder()
              .store(customerStore, shared)
              .engine(engine)
              .propensities(propensities)
              .experiments(experiments)
              .build();
      Security security =
          Security.create(
              vertx, config.apiKeys(), config.jwtSecret(), config.jwtMaxLifetimeSeconds());
      if (shared) {
        vertx.setPeriodic(
            FOLLOW_MILLIS,
            id ->
                vertx
                    .executeBlocking(registry::follow, false)
                    .onFailure(
                        e -> LOG.debug("cannot follow the active rule set: {}", e.getMessage())));
      }
      return new Services(
          engine,
          registry,
          security,
          db,
          customers,
          redis,
          metrics,
          warming,
          new AtomicReference<>());
    } catch (RuntimeException e) {
      if (customers != null) {
        customers.close();
      }
      if (redis != null) {
        redis.close();
      }
      db.close();
      throw e;
    }
  }

  @Override
  public void close() {
    warmUp.close();
    customers.close();
    if (redis != null) {
      redis.close();
    }
    db.close();
  }
}
