package io.nextbest.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
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

  /**
   * One step of a component's schema: the statements that take it from {@code version - 1} to
   * {@code version}. Steps are applied in order, each in one transaction with the version it
   * reaches, so a crash leaves the schema at a step boundary and the next start carries on.
   */
  public record Migration(int version, String description, List<String> statements) {
    public Migration {
      if (version < 1) {
        throw new IllegalArgumentException("migration versions start at 1, was " + version);
      }
      statements = List.copyOf(statements);
    }
  }

  /**
   * Brings {@code component}'s tables to the last of {@code migrations} (versions 1, 2, … in order)
   * and records the version reached in {@code schema_version}. A database written before versions
   * were recorded counts as version 0: version 1 must then be the tables as that release created
   * them ({@code IF NOT EXISTS}), so it adopts them unchanged. A database of a later release than
   * this code knows is refused rather than written with an older schema.
   *
   * @return the version the component's tables had before (0 for none recorded)
   */
  public int migrate(String component, List<Migration> migrations) {
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        throw new IllegalArgumentException(
            component
                + " migrations must be numbered 1, 2, … in order; #"
                + (i + 1)
                + " is "
                + migrations.get(i).version());
      }
    }
    return tx(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
          }
          int from = 0;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                from = rs.getInt(1);
              }
            }
          }
          if (from > migrations.size()) {
            throw new StoreException(
                "the embedded store at "
                    + file
                    + " has "
                    + component
                    + " schema version "
                    + from
                    + ", newer than this release's "
                    + migrations.size()
                    + ": run the release that wrote it, or restore a backup");
          }
          for (Migration m : migrations.subList(from, migrations.size())) {
            try (Statement s = c.createStatement()) {
              for (String sql : m.statements()) {
                s.execute(sql);
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO schema_version (component, version, applied_at) VALUES (?,?,?) ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at")) {
              ps.setString(1, component);
              ps.setInt(2, m.version());
              ps.setString(3, java.time.Instant.now().toString());
              ps.executeUpdate();
            }
          }
          return from;
        });
  }

  /** The schema version recorded for {@code component}, 0 when none is. */
  public int schemaVersion(String component) {
    return tx(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
            if (!rs.next()) {
              return 0;
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getInt(1) : 0;
            }
          }
        });
  }

  /**
   * Runs statements in one transaction (settings such as pragmas; tables go through {@link
   * #migrate}).
   */
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
