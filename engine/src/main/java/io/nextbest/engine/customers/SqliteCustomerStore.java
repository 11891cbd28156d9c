package io.nextbest.engine.customers;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.store.Sqlite;
import io.nextbest.engine.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Customer state in the embedded SQLite store (the file the registry uses, tables of its own). A
 * batch of events is one transaction, so one fsync; it is committed before {@link #append} returns.
 * One process owns the file: caches in that process see every write (no version check is needed).
 * Reads use a second connection, so they never wait for a writer's fsync.
 */
public final class SqliteCustomerStore implements CustomerStore {
  /** The component name of these tables in {@code schema_version}. */
  static final String SCHEMA = "customers";

  /**
   * The customer tables, release by release. Version 1 is what the first release created (adopted
   * unchanged when found without a recorded version); never edit a step once released, add one.
   */
  static final List<Sqlite.Migration> MIGRATIONS =
      List.of(
          new Sqlite.Migration(
              1,
              "events, contact ledger, learned outcomes, propensity counts, decision audit",
              List.of(
                  "CREATE TABLE IF NOT EXISTS customer_event (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                      + " customer_id TEXT NOT NULL, body TEXT NOT NULL)",
                  "CREATE INDEX IF NOT EXISTS customer_event_by_customer ON customer_event (customer_id, seq)",
                  "CREATE TABLE IF NOT EXISTS contact_ledger (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                      + " customer_id TEXT NOT NULL, decision_id TEXT, kind TEXT NOT NULL, body TEXT NOT NULL)",
                  "CREATE INDEX IF NOT EXISTS contact_ledger_by_customer ON contact_ledger (customer_id, seq)",
                  "CREATE TABLE IF NOT EXISTS learned_outcome (decision_id TEXT NOT NULL, action_id TEXT NOT NULL, success INTEGER NOT NULL,"
                      + " PRIMARY KEY (decision_id, action_id))",
                  "CREATE TABLE IF NOT EXISTS propensity_count (key TEXT PRIMARY KEY, successes INTEGER NOT NULL, failures INTEGER NOT NULL)",
                  "CREATE TABLE IF NOT EXISTS decision_audit (decision_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, body TEXT NOT NULL)")),
          new Sqlite.Migration(
              2,
              "event and ledger-line ids are unique per customer (as in the Redis store); decisions found by customer for export and erasure",
              List.of(
                  // Rows keep their seq, so every customer's order of events is unchanged.
                  "CREATE TABLE customer_event_v2 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, customer_id TEXT NOT NULL, body TEXT NOT NULL,"
                      + " UNIQUE (customer_id, id))",
                  "INSERT INTO customer_event_v2 (seq, id, customer_id, body) SELECT seq, id, customer_id, body FROM customer_event",
                  "DROP TABLE customer_event",
                  "ALTER TABLE customer_event_v2 RENAME TO customer_event",
                  "CREATE INDEX customer_event_by_customer ON customer_event (customer_id, seq)",
                  "CREATE TABLE contact_ledger_v2 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, customer_id TEXT NOT NULL, decision_id TEXT,"
                      + " kind TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (customer_id, id))",
                  "INSERT INTO contact_ledger_v2 (seq, id, customer_id, decision_id, kind, body) SELECT seq, id, customer_id, decision_id, kind, body FROM contact_ledger",
                  "DROP TABLE contact_ledger",
                  "ALTER TABLE contact_ledger_v2 RENAME TO contact_ledger",
                  "CREATE INDEX contact_ledger_by_customer ON contact_ledger (customer_id, seq)",
                  "CREATE INDEX IF NOT EXISTS decision_audit_by_customer ON decision_audit (customer_id)")),
          new Sqlite.Migration(
              3,
              "how many of a customer's outcomes counted per treatment (the per-customer cap); every customer starts at zero",
              List.of(
                  "CREATE TABLE IF NOT EXISTS customer_outcome (customer_id TEXT NOT NULL, key TEXT NOT NULL, counted INTEGER NOT NULL,"
                      + " PRIMARY KEY (customer_id, key))")),
          new Sqlite.Migration(
              4,
              "decisions found by when they were decided (offline evaluation over a window); existing records indexed from their bodies",
              List.of(
                  "ALTER TABLE decision_audit ADD COLUMN decided_at INTEGER",
                  // decidedAt is ISO-8601 in UTC (…Z); julianday reads it to the millisecond.
                  "UPDATE decision_audit SET decided_at = CAST(ROUND((julianday(json_extract(body, '$.decidedAt')) - 2440587.5) * 86400000.0) AS INTEGER)"
                      + " WHERE json_extract(body, '$.decidedAt') IS NOT NULL",
                  "CREATE INDEX IF NOT EXISTS decision_audit_by_time ON decision_audit (decided_at)")));

  private final Sqlite db;
  private final Connection reader;
  private final ReentrantLock readLock = new ReentrantLock();

  public SqliteCustomerStore(Sqlite db) {
    this.db = db;
    db.migrate(SCHEMA, MIGRATIONS);
    // An ingest batch dirties index pages all over the customer index; a larger page cache and
    // fewer WAL checkpoints (each rewrites and fsyncs the pages into the database file) let a page
    // written by several batches be checkpointed once. Durability is unchanged: every commit is
    // still
    // fsynced to the WAL (synchronous=FULL).
    db.schema("PRAGMA cache_size=-32768", "PRAGMA wal_autocheckpoint=10000");
    // Reads get a connection of their own: in WAL mode they see the last commit without waiting for
    // a writer's fsync, so a cache miss is not stuck behind an ingest batch or the audit writer.
    try {
      reader = DriverManager.getConnection("jdbc:sqlite:" + db.file().toAbsolutePath());
      try (Statement st = reader.createStatement()) {
        st.execute("PRAGMA query_only=1");
        st.execute("PRAGMA busy_timeout=5000");
      }
      reader.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("cannot open a reader on the embedded store at " + db.file(), e);
    }
  }

  /** One read transaction (a consistent snapshot) on the reader connection. */
  private <T> T read(Sqlite.Work<T> work) {
    readLock.lock();
    try {
      try {
        return work.run(reader);
      } finally {
        reader.commit();
      }
    } catch (SQLException e) {
      throw new StoreException("embedded store read failed: " + e.getMessage(), e);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public List<Appended> append(List<CustomerEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    // Encoding happens before the lock is taken: the transaction holds it only for SQL.
    List<String> bodies = new ArrayList<>(events.size());
    for (CustomerEvent e : events) {
      bodies.add(StoredJson.event(e));
    }
    return db.tx(
        c -> {
          // The transaction holds the store's only connection: ids found absent here stay absent
          // until
          // it commits, so one lookup and one batched insert decide every event of the batch.
          Map<String, CustomerEvent> known = existing(c, events);
          Appended[] out = new Appended[events.size()];
          List<Integer> inserted = new ArrayList<>(events.size());
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO customer_event (id, customer_id, body) VALUES (?,?,?) ON CONFLICT DO NOTHING")) {
            for (int i = 0; i < events.size(); i++) {
              CustomerEvent e = events.get(i);
              CustomerEvent before = known.putIfAbsent(scoped(e.customerId(), e.id()), e);
              if (before != null) {
                out[i] = before.equals(e) ? Appended.DUPLICATE : Appended.CONFLICT;
                continue;
              }
              ins.setString(1, e.id());
              ins.setString(2, e.customerId());
              ins.setString(3, bodies.get(i));
              ins.addBatch();
              inserted.add(i);
            }
            int[] counts = ins.executeBatch();
            for (int k = 0; k < inserted.size(); k++) {
              int i = inserted.get(k);
              // A row the lookup did not see but the unique index did (two ids SQLite stores
              // alike):
              // read what is there and answer as for any known id, never as stored.
              out[i] = counts[k] == 0 ? againstStored(c, events.get(i)) : Appended.STORED;
            }
          }
          List<LedgerEntry> newLines = new ArrayList<>();
          for (int i = 0; i < events.size(); i++) {
            LedgerEntry line =
                out[i] == Appended.STORED ? StoredJson.sentLine(events.get(i)) : null;
            if (line != null) {
              newLines.add(line);
            }
          }
          if (!newLines.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_LINE)) {
              for (LedgerEntry line : newLines) {
                bindLine(ps, line);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return List.of(out);
        });
  }

  /** Event ids are unique per customer: the key of one within the store. */
  private static String scoped(String customerId, String id) {
    return customerId + '\u0000' + id;
  }

  /** The events stored under the ids of {@code events}, by {@link #scoped} key. */
  private static Map<String, CustomerEvent> existing(Connection c, List<CustomerEvent> events)
      throws SQLException {
    Map<String, CustomerEvent> found = new HashMap<>();
    int chunk = 400;
    for (int from = 0; from < events.size(); from += chunk) {
      int n = Math.min(chunk, events.size() - from);
      StringBuilder sql =
          new StringBuilder("SELECT customer_id, id, body FROM customer_event WHERE id IN (");
      for (int i = 0; i < n; i++) {
        sql.append(i == 0 ? "?" : ",?");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
        for (int i = 0; i < n; i++) {
          ps.setString(i + 1, events.get(from + i).id());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.put(scoped(rs.getString(1), rs.getString(2)), StoredJson.event(rs.getString(3)));
          }
        }
      }
    }
    return found;
  }

  private static Appended againstStored(Connection c, CustomerEvent e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT body FROM customer_event WHERE customer_id = ? AND id = ?")) {
      ps.setString(1, e.customerId());
      ps.setString(2, e.id());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && StoredJson.event(rs.getString(1)).equals(e)
            ? Appended.DUPLICATE
            : Appended.CONFLICT;
      }
    }
  }

  @Override
  public History history(String customerId, int fromEvent) {
    return read(
        c -> {
          List<CustomerEvent> events = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT body FROM customer_event WHERE customer_id = ? ORDER BY seq LIMIT -1 OFFSET ?")) {
            ps.setString(1, customerId);
            ps.setInt(2, fromEvent);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                events.add(StoredJson.event(rs.getString(1)));
              }
            }
          }
          int total;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COUNT(*) FROM customer_event WHERE customer_id = ?")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              total = rs.getInt(1);
            }
          }
          List<LedgerEntry> sent =
              lines(
                  c,
                  "SELECT body FROM contact_ledger WHERE customer_id = ? AND kind = 'SENT' ORDER BY seq",
                  customerId);
          return new History(customerId, events, total, sent, version(c, customerId));
        });
  }

  @Override
  public long version(String customerId) {
    return read(c -> version(c, customerId));
  }

  @Override
  public Recorded record(LedgerEntry entry, OutcomeKey key, Boolean learn, int perCustomerCap) {
    return db.tx(
        c -> {
          if (!insertLine(c, entry)) {
            return new Recorded(false, false);
          }
          if (learn == null || entry.decisionId() == null) {
            return new Recorded(true, false);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO learned_outcome (decision_id, action_id, success) VALUES (?,?,?)")) {
            ps.setString(1, entry.decisionId());
            ps.setString(2, entry.actionId());
            ps.setInt(3, learn ? 1 : 0);
            if (ps.executeUpdate() == 0) {
              return new Recorded(true, false);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO customer_outcome (customer_id, key, counted) VALUES (?,?,1)"
                      + " ON CONFLICT(customer_id, key) DO UPDATE SET counted = counted + 1 WHERE counted < ?")) {
            ps.setString(1, entry.customerId());
            ps.setString(2, key.encoded());
            ps.setInt(3, perCustomerCap);
            if (ps.executeUpdate() == 0) {
              return new Recorded(true, false);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO propensity_count (key, successes, failures) VALUES (?,?,?)"
                      + " ON CONFLICT(key) DO UPDATE SET successes = successes + excluded.successes, failures = failures + excluded.failures")) {
            for (OutcomeKey k :
                key.channel() == null
                    ? java.util.List.of(key)
                    : java.util.List.of(key, key.action())) {
              ps.setString(1, k.encoded());
              ps.setInt(2, learn ? 1 : 0);
              ps.setInt(3, learn ? 0 : 1);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return new Recorded(true, true);
        });
  }

  @Override
  public List<LedgerEntry> ledger(String customerId) {
    return read(
        c ->
            lines(
                c,
                "SELECT body FROM contact_ledger WHERE customer_id = ? ORDER BY seq",
                customerId));
  }

  @Override
  public List<String> customerIds(String prefix, int limit) {
    String end = CustomerStore.prefixEnd(prefix);
    // The (customer_id, seq) index answers the range in order; DISTINCT with LIMIT stops as soon as
    // enough customers were seen. Text compares as UTF-8 bytes (BINARY), which is code point order.
    String sql =
        "SELECT DISTINCT customer_id FROM customer_event WHERE customer_id >= ?"
            + (end == null ? "" : " AND customer_id < ?")
            + " ORDER BY customer_id LIMIT ?";
    return read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, prefix);
            if (end != null) {
              ps.setString(i++, end);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void saveEncodedDecisions(List<EncodedDecision> records) {
    if (records.isEmpty()) {
      return;
    }
    db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO decision_audit (decision_id, customer_id, decided_at, body) VALUES (?,?,?,?)")) {
            for (int i = 0; i < records.size(); i++) {
              EncodedDecision r = records.get(i);
              ps.setString(1, r.decisionId());
              ps.setString(2, r.customerId());
              if (r.decidedAt() == null) {
                ps.setNull(3, java.sql.Types.INTEGER);
              } else {
                ps.setLong(3, r.decidedAt().toEpochMilli());
              }
              ps.setString(4, r.body());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public Erased erase(String customerId) {
    return db.tx(
        c -> {
          int[] n = new int[3];
          String[] tables = {"customer_event", "contact_ledger", "decision_audit"};
          for (int i = 0; i < tables.length; i++) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + tables[i] + " WHERE customer_id = ?")) {
              ps.setString(1, customerId);
              n[i] = ps.executeUpdate();
            }
          }
          // The per-customer cap's counts name the customer; the propensity counts they fed stay
          // (aggregates).
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM customer_outcome WHERE customer_id = ?")) {
            ps.setString(1, customerId);
            ps.executeUpdate();
          }
          return new Erased(customerId, n[0], n[1], n[2]);
        });
  }

  @Override
  public List<DecisionRecord> decisions(String customerId) {
    return read(
        c -> {
          List<DecisionRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT body FROM decision_audit WHERE customer_id = ? ORDER BY rowid")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(StoredJson.record(rs.getString(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public List<DecisionRecord> decisionsBetween(
      java.time.Instant from, java.time.Instant to, int limit) {
    return read(
        c -> {
          List<DecisionRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT body FROM decision_audit WHERE decided_at >= ? AND decided_at < ?"
                      + " ORDER BY decided_at DESC, decision_id DESC LIMIT ?")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(StoredJson.record(rs.getString(1)));
              }
            }
          }
          java.util.Collections.reverse(out);
          return out;
        });
  }

  @Override
  public Optional<DecisionRecord> decision(String decisionId) {
    String body =
        read(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT body FROM decision_audit WHERE decision_id = ?")) {
                ps.setString(1, decisionId);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              }
            });
    return body == null ? Optional.empty() : Optional.of(StoredJson.record(body));
  }

  @Override
  public Map<OutcomeKey, Counts> propensityCounts() {
    return read(
        c -> {
          Map<OutcomeKey, Counts> out = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT key, successes, failures FROM propensity_count");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(OutcomeKey.decode(rs.getString(1)), new Counts(rs.getLong(2), rs.getLong(3)));
            }
          }
          return out;
        });
  }

  /** A trivial query on the reader: false once the store is closed or the file cannot be read. */
  @Override
  public boolean reachable() {
    try {
      return read(
          c -> {
            try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
              return rs.next();
            }
          });
    } catch (StoreException e) {
      return false;
    }
  }

  /**
   * Closes the reader; the database belongs to whoever opened it (the registry shares it) and stays
   * open.
   */
  @Override
  public void close() {
    readLock.lock();
    try {
      reader.close();
    } catch (SQLException e) {
      throw new StoreException("closing the embedded store's reader failed", e);
    } finally {
      readLock.unlock();
    }
  }

  private static final String INSERT_LINE =
      "INSERT OR IGNORE INTO contact_ledger (id, customer_id, decision_id, kind, body) VALUES (?,?,?,?,?)";

  private static boolean insertLine(Connection c, LedgerEntry line) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_LINE)) {
      bindLine(ps, line);
      return ps.executeUpdate() == 1;
    }
  }

  private static void bindLine(PreparedStatement ps, LedgerEntry line) throws SQLException {
    ps.setString(1, line.id());
    ps.setString(2, line.customerId());
    ps.setString(3, line.decisionId());
    ps.setString(4, line.kind().name());
    ps.setString(5, StoredJson.ledger(line));
  }

  /**
   * Events and ledger lines are only ever added, so together they count every change: a version.
   */
  private static long version(Connection c, String customerId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT (SELECT COUNT(*) FROM customer_event WHERE customer_id = ?) + (SELECT COUNT(*) FROM contact_ledger WHERE customer_id = ?)")) {
      ps.setString(1, customerId);
      ps.setString(2, customerId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<LedgerEntry> lines(Connection c, String sql, String customerId)
      throws SQLException {
    List<LedgerEntry> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, customerId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(StoredJson.ledger(rs.getString(1)));
        }
      }
    }
    return out;
  }
}
