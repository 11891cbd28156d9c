package io.nextbest.engine.registry;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.store.Sqlite;
import io.nextbest.engine.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The registry in the embedded SQLite store: versions and their files, the active pointer, the
 * audit log.
 */
public final class SqliteRegistryStore implements RegistryStore {
  private final Sqlite db;
  private final Clock clock;

  public SqliteRegistryStore(Sqlite db, Clock clock) {
    this.db = db;
    this.clock = clock;
    db.migrate(SCHEMA, MIGRATIONS);
  }

  /** The component name of these tables in {@code schema_version}. */
  static final String SCHEMA = "registry";

  /**
   * The registry tables, release by release (see {@link Sqlite#migrate}); never edit a released
   * step, add one.
   */
  static final List<Sqlite.Migration> MIGRATIONS =
      List.of(
          new Sqlite.Migration(
              1,
              "versions, their files, the active pointer, the audit log",
              List.of(
                  "CREATE TABLE IF NOT EXISTS ruleset_version (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
                      + " author TEXT NOT NULL, created_at TEXT NOT NULL, comment TEXT, based_on INTEGER, origin TEXT NOT NULL)",
                  "CREATE TABLE IF NOT EXISTS ruleset_file (seq INTEGER NOT NULL REFERENCES ruleset_version(seq), path TEXT NOT NULL,"
                      + " content BLOB NOT NULL, PRIMARY KEY (seq, path))",
                  "CREATE TABLE IF NOT EXISTS ruleset_active (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL REFERENCES ruleset_version(seq))",
                  "CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,"
                      + " action TEXT NOT NULL, version INTEGER, detail TEXT)")));

  @Override
  public List<VersionInfo> versions() {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM ruleset_version ORDER BY seq")) {
            return read(ps);
          }
        });
  }

  @Override
  public Optional<VersionInfo> version(int sequence) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM ruleset_version WHERE seq = ?")) {
            ps.setInt(1, sequence);
            return read(ps).stream().findFirst();
          }
        });
  }

  @Override
  public Optional<VersionInfo> byHash(String hash) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM ruleset_version WHERE hash = ?")) {
            ps.setString(1, hash);
            return read(ps).stream().findFirst();
          }
        });
  }

  @Override
  public VersionInfo add(
      RuleSetSource source, String author, String comment, Integer basedOn, String origin) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM ruleset_version WHERE hash = ?")) {
            ps.setString(1, source.contentHash());
            List<VersionInfo> existing = read(ps);
            if (!existing.isEmpty()) {
              return existing.get(0);
            }
          }
          int seq;
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM ruleset_version");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getInt(1);
          }
          Instant now = clock.instant();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ruleset_version (seq, hash, name, author, created_at, comment, based_on, origin) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setInt(1, seq);
            ps.setString(2, source.contentHash());
            ps.setString(3, source.name());
            ps.setString(4, author);
            ps.setString(5, now.toString());
            ps.setString(6, comment);
            if (basedOn == null) {
              ps.setNull(7, Types.INTEGER);
            } else {
              ps.setInt(7, basedOn);
            }
            ps.setString(8, origin);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO ruleset_file (seq, path, content) VALUES (?,?,?)")) {
            for (String path : source.paths()) {
              ps.setInt(1, seq);
              ps.setString(2, path);
              ps.setBytes(3, source.bytes(path));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return new VersionInfo(seq, source.contentHash(), author, now, comment, basedOn, origin);
        });
  }

  @Override
  public RuleSetSource source(int sequence) {
    return db.tx(
        c -> {
          String name;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT name FROM ruleset_version WHERE seq = ?")) {
            ps.setInt(1, sequence);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new StoreException("no rule-set version " + sequence);
              }
              name = rs.getString(1);
            }
          }
          Map<String, byte[]> files = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT path, content FROM ruleset_file WHERE seq = ?")) {
            ps.setInt(1, sequence);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                files.put(rs.getString(1), rs.getBytes(2));
              }
            }
          }
          return RuleSetSource.of(name, files);
        });
  }

  @Override
  public OptionalInt active() {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT seq FROM ruleset_active WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
          }
        });
  }

  @Override
  public void setActive(int sequence) {
    db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ruleset_active (id, seq) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq")) {
            ps.setInt(1, sequence);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void audit(String actor, String action, Integer version, String detail) {
    db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit_log (at, actor, action, version, detail) VALUES (?,?,?,?,?)")) {
            ps.setString(1, clock.instant().toString());
            ps.setString(2, actor);
            ps.setString(3, action);
            if (version == null) {
              ps.setNull(4, Types.INTEGER);
            } else {
              ps.setInt(4, version);
            }
            ps.setString(5, detail);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public List<AuditEntry> audit(int limit) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int v = rs.getInt("version");
                out.add(
                    new AuditEntry(
                        rs.getLong("id"),
                        Instant.parse(rs.getString("at")),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.wasNull() ? null : v,
                        rs.getString("detail")));
              }
            }
            return out;
          }
        });
  }

  private static List<VersionInfo> read(PreparedStatement ps) throws SQLException {
    List<VersionInfo> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int based = rs.getInt("based_on");
        Integer basedOn = rs.wasNull() ? null : based;
        out.add(
            new VersionInfo(
                rs.getInt("seq"),
                rs.getString("hash"),
                rs.getString("author"),
                Instant.parse(rs.getString("created_at")),
                rs.getString("comment"),
                basedOn,
                rs.getString("origin")));
      }
    }
    return out;
  }
}
