package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.store.Sqlite;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/**
 * What the handlers work on, built once per process and shared by every verticle.
 *
 * @param engine the one decision pipeline
 * @param registry rule-set versions, their gate and activation
 * @param security authentication and roles
 * @param db the embedded store
 */
public record Services(DecisionEngine engine, RuleSetRegistry registry, Security security, Sqlite db) implements AutoCloseable {
  public Services {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(db, "db");
  }

  /**
   * Opens the embedded store in the data directory, the registry on it (the bundled rule set is
   * version 1 on first start), and the engine on the active version; every later activation swaps
   * the engine's rule set atomically. Compiles before any event loop serves, and makes one decision
   * so the first client does not pay for lazy initialisation.
   */
  public static Services open(Vertx vertx, ApiConfig config) {
    Sqlite db = Sqlite.open(config.dataDir());
    try {
      RuleSetRegistry registry = RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), RuleSetSource.bundled());
      DecisionEngine engine = DecisionEngine.builder().ruleSet(registry.active()).build();
      registry.onActivate(engine::activate);
      engine.decide(new CustomerContext("warm-up", null, null, null, null));
      Security security = Security.create(vertx, config.apiKeys(), config.jwtSecret());
      return new Services(engine, registry, security, db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
