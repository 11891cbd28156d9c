package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCustomerStoreTest extends CustomerStoreContract {
  @TempDir Path dir;
  Sqlite db;
  SqliteCustomerStore store;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
    store = new SqliteCustomerStore(db);
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  @Override
  CustomerStore store() {
    return store;
  }

  @Test
  void storedEvents_surviveReopening() {
    store.append(List.of(csat("r1", "c9", 5)));
    store.close();
    db.close();
    db = Sqlite.open(dir);
    store = new SqliteCustomerStore(db);
    assertThat(store.history("c9", 0).events()).extracting(CustomerEvent::id).containsExactly("r1");
  }

  @Test
  void aDataDirectoryFromBeforeTreatments_keepsItsCountsAsTheActionLevel() {
    store.close();
    db.close();
    Path old = dir.resolve("old");
    db = Sqlite.open(old);
    // The learning tables as a data directory made before treatments and the per-customer cap has them.
    db.schema(
        "CREATE TABLE learned_outcome (decision_id TEXT NOT NULL, action_id TEXT NOT NULL, success INTEGER NOT NULL, PRIMARY KEY (decision_id, action_id))",
        "CREATE TABLE propensity_count (key TEXT PRIMARY KEY, successes INTEGER NOT NULL, failures INTEGER NOT NULL)",
        "INSERT INTO propensity_count VALUES ('Q4|upgrade', 5, 2)");
    store = new SqliteCustomerStore(db);
    io.nextbest.engine.ledger.OutcomeKey action = new io.nextbest.engine.ledger.OutcomeKey("upgrade", io.nextbest.engine.model.Quadrant.Q4);
    assertThat(store.propensityCounts()).containsEntry(action, new io.nextbest.engine.ledger.Counts(5, 2));
    io.nextbest.engine.ledger.OutcomeKey email = new io.nextbest.engine.ledger.OutcomeKey("upgrade", io.nextbest.engine.model.Quadrant.Q4, io.nextbest.engine.model.Channel.EMAIL);
    assertThat(store.record(line("d-up", "upgrade", io.nextbest.engine.ledger.LedgerKind.ACCEPTED_BY_CUSTOMER), email, true, 3).learned()).isTrue();
    assertThat(store.propensityCounts()).containsEntry(action, new io.nextbest.engine.ledger.Counts(6, 2)).containsEntry(email, new io.nextbest.engine.ledger.Counts(1, 0));
  }

  @Test
  void localCache_isInvalidatedByWrites_andNeverServesAnOlderProfile() {
    ProfileCache cache = new ProfileCache(store, false, 100);
    assertThat(cache.get("c8").events()).isEmpty();
    store.append(List.of(csat("i1", "c8", 5)));
    assertThat(cache.get("c8").events()).as("without invalidation the cached entry stays").isEmpty();
    cache.invalidate("c8");
    assertThat(cache.get("c8").events()).hasSize(1);
  }
}
