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
  void localCache_isInvalidatedByWrites_andNeverServesAnOlderProfile() {
    ProfileCache cache = new ProfileCache(store, false, 100);
    assertThat(cache.get("c8").events()).isEmpty();
    store.append(List.of(csat("i1", "c8", 5)));
    assertThat(cache.get("c8").events()).as("without invalidation the cached entry stays").isEmpty();
    cache.invalidate("c8");
    assertThat(cache.get("c8").events()).hasSize(1);
  }
}
