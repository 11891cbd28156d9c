package io.nextbest.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded durable store: one SQLite database file under the data directory, in WAL mode with
 * {@code synchronous=FULL}, so a committed transaction survives the process being killed (and a
 * power cut). SQLite serialises writers anyway; one connection behind a lock keeps that explicit.
 */
public final class Sqlite implements AutoCloseable {
  /** Work inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private Sqlite(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if needed) {@code nextbest.db} in {@code dataDir}. */
  public static Sqlite open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    Path file = dataDir.resolve("nextbest.db");
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA foreign_keys=ON");
      }
      c.setAutoCommit(false);
      return new Sqlite(file, c);
    } catch (SQLException e) {
      throw new StoreException("cannot open the embedded store at " + file, e);
    }
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T tx(Work<T> work) {
    lock.lock();
    try {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new StoreException("embedded store failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Creates tables idempotently. */
  public void schema(String... ddl) {
    tx(
        c -> {
          try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
              s.execute(sql);
            }
          }
          return null;
        });
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing the embedded store failed", e);
    } finally {
      lock.unlock();
    }
  }
}
