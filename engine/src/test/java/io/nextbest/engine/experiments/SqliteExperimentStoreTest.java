package io.nextbest.engine.experiments;

import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteExperimentStoreTest extends ExperimentStoreContract {
  @TempDir Path dir;
  Sqlite db;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Override
  ExperimentStore store() {
    return new SqliteExperimentStore(db);
  }
}
