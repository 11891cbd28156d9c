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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
                  "CREATE INDEX IF NOT EXISTS decision_audit_by_time ON decision_audit (decided_at)")),
          new Sqlite.Migration(
              5,
              "decision records written a batch to a row (their bodies compressed together) with an index row per decision;"
                  + " records of earlier releases stay where they are and read as before",
              List.of(
                  "CREATE TABLE decision_audit_batch (batch INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                  // Where each record's body is in its batch (bytes [start, start + length) of the
                  // decompressed bodies), with what it is found by.
                  "CREATE TABLE decision_audit_entry (decision_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, decided_at INTEGER,"
                      + " batch INTEGER NOT NULL, start INTEGER NOT NULL, length INTEGER NOT NULL) WITHOUT ROWID",
                  "CREATE INDEX decision_audit_entry_by_customer ON decision_audit_entry (customer_id, batch, start)",
                  "CREATE INDEX decision_audit_entry_by_time ON decision_audit_entry (decided_at)")));

  private final Sqlite db;
  private final Connection reader;

  /**
   * Whether records of an earlier release (one row each in {@code decision_audit}) were there at
   * open: only then must a new record's id be looked up there too (nothing adds such rows since).
   */
  private final boolean legacyAudit;

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
    legacyAudit =
        db.tx(
            c -> {
              try (Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM decision_audit)")) {
                return rs.next() && rs.getBoolean(1);
              }
            });
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
    whereIn(
        c,
        "SELECT customer_id, id, body FROM customer_event WHERE id IN (",
        events.stream().map(CustomerEvent::id).toList(),
        rs ->
            found.put(scoped(rs.getString(1), rs.getString(2)), StoredJson.event(rs.getString(3))));
    return found;
  }

  /** What a query's rows are read into, one row at a time. */
  private interface Rows {
    void read(ResultSet row) throws SQLException;
  }

  /**
   * Runs {@code select} (ending in {@code IN (}) for {@code keys}, in chunks of 400 bound
   * parameters (below SQLite's limit), handing every row to {@code rows}.
   */
  private static void whereIn(Connection c, String select, List<String> keys, Rows rows)
      throws SQLException {
    int chunk = 400;
    for (int from = 0; from < keys.size(); from += chunk) {
      int n = Math.min(chunk, keys.size() - from);
      StringBuilder sql = new StringBuilder(select);
      for (int i = 0; i < n; i++) {
        sql.append(i == 0 ? "?" : ",?");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
        for (int i = 0; i < n; i++) {
          ps.setString(i + 1, keys.get(from + i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.read(rs);
          }
        }
      }
    }
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

  /**
   * Writes the records in one transaction: their bodies (as they are, UTF-8) compressed together in
   * batch rows of up to {@link AuditBatches#MAX_BODIES} bytes of bodies, and one index row per
   * record. A record whose id is stored already (in either layout) keeps the stored one; the
   * duplicate's bytes are zeroed in its batch, so nothing unindexed stays behind (erasure finds
   * records through their index rows).
   */
  @Override
  public void saveEncodedDecisions(List<EncodedDecision> records) {
    if (records.isEmpty()) {
      return;
    }
    db.tx(
        c -> {
          try (PreparedStatement batchIns =
                  c.prepareStatement(
                      "INSERT INTO decision_audit_batch (body) VALUES (?) RETURNING batch");
              PreparedStatement entryIns =
                  c.prepareStatement(
                      "INSERT OR IGNORE INTO decision_audit_entry (decision_id, customer_id, decided_at, batch, start, length)"
                          + " VALUES (?,?,?,?,?,?)")) {
            java.util.Set<String> earlier = legacyAudit ? inLegacyAudit(c, records) : Set.of();
            int from = 0;
            while (from < records.size()) {
              int to = from;
              int size = 0;
              do {
                size += records.get(to++).json().length;
              } while (to < records.size()
                  && size + records.get(to).json().length <= AuditBatches.MAX_BODIES);
              byte[] bodies = new byte[size];
              int at = 0;
              for (int i = from; i < to; i++) {
                byte[] json = records.get(i).json();
                System.arraycopy(json, 0, bodies, at, json.length);
                at += json.length;
              }
              batchIns.setBytes(1, AuditBatches.compress(bodies, size));
              long batch;
              try (ResultSet rs = batchIns.executeQuery()) {
                rs.next();
                batch = rs.getLong(1);
              }
              at = 0;
              for (int i = from; i < to; i++) {
                EncodedDecision r = records.get(i);
                entryIns.setString(1, r.decisionId());
                entryIns.setString(2, r.customerId());
                if (r.decidedAt() == null) {
                  entryIns.setNull(3, java.sql.Types.INTEGER);
                } else {
                  entryIns.setLong(3, r.decidedAt().toEpochMilli());
                }
                entryIns.setLong(4, batch);
                entryIns.setInt(5, at);
                entryIns.setInt(6, r.json().length);
                at += r.json().length;
                if (!earlier.contains(r.decisionId())) {
                  entryIns.addBatch();
                }
              }
              int[] counts = entryIns.executeBatch();
              boolean ignored = false;
              at = 0;
              for (int i = from, k = 0; i < to; i++) {
                EncodedDecision r = records.get(i);
                int length = r.json().length;
                if (earlier.contains(r.decisionId()) || counts[k++] == 0) {
                  Arrays.fill(bodies, at, at + length, (byte) 0);
                  ignored = true;
                }
                at += length;
              }
              if (ignored) {
                rewrite(c, batch, bodies);
              }
              from = to;
            }
          }
          return null;
        });
  }

  /** Which of the records' ids a record of an earlier release (one row each) has. */
  private static java.util.Set<String> inLegacyAudit(Connection c, List<EncodedDecision> records)
      throws SQLException {
    java.util.Set<String> found = new java.util.HashSet<>();
    whereIn(
        c,
        "SELECT decision_id FROM decision_audit WHERE decision_id IN (",
        records.stream().map(EncodedDecision::decisionId).toList(),
        rs -> found.add(rs.getString(1)));
    return found;
  }

  /** Stores a batch's bodies again after some were zeroed; a batch of zeros only is deleted. */
  private static void rewrite(Connection c, long batch, byte[] bodies) throws SQLException {
    boolean empty = true;
    for (byte b : bodies) {
      if (b != 0) {
        empty = false;
        break;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            empty
                ? "DELETE FROM decision_audit_batch WHERE batch = ?"
                : "UPDATE decision_audit_batch SET body = ? WHERE batch = ?")) {
      int i = 1;
      if (!empty) {
        ps.setBytes(i++, AuditBatches.compress(bodies, bodies.length));
      }
      ps.setLong(i, batch);
      ps.executeUpdate();
    }
  }

  @Override
  public Erased erase(String customerId) {
    return db.tx(
        c -> {
          int[] n = new int[4];
          String[] tables = {
            "customer_event", "contact_ledger", "decision_audit", "decision_audit_entry"
          };
          // The customer's records in batches: their bytes zeroed (the batch stored again
          // without them) before their index rows go.
          eraseFromBatches(c, customerId);
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
          return new Erased(customerId, n[0], n[1], n[2] + n[3]);
        });
  }

  private static void eraseFromBatches(Connection c, String customerId) throws SQLException {
    Map<Long, List<int[]>> places = new java.util.LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT batch, start, length FROM decision_audit_entry WHERE customer_id = ?")) {
      ps.setString(1, customerId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          places
              .computeIfAbsent(rs.getLong(1), b -> new ArrayList<>())
              .add(new int[] {rs.getInt(2), rs.getInt(3)});
        }
      }
    }
    for (Map.Entry<Long, List<int[]>> e : places.entrySet()) {
      byte[] bodies = batch(c, e.getKey());
      if (bodies == null) {
        continue;
      }
      for (int[] place : e.getValue()) {
        Arrays.fill(bodies, place[0], place[0] + place[1], (byte) 0);
      }
      rewrite(c, e.getKey(), bodies);
    }
  }

  /** A batch's bodies, decompressed; null when there is no such batch. */
  private static byte[] batch(Connection c, long batch) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT body FROM decision_audit_batch WHERE batch = ?")) {
      ps.setLong(1, batch);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? AuditBatches.decompress(rs.getBytes(1)) : null;
      }
    }
  }

  /**
   * The records at {@code places} (batch, start, length each), in that order. Callers list them in
   * the order they were written, so a batch's records are next to each other: only the batch in
   * hand is kept decompressed (a window of offline evaluation spans hundreds of batches).
   */
  private static List<DecisionRecord> fromBatches(Connection c, List<long[]> places)
      throws SQLException {
    List<DecisionRecord> out = new ArrayList<>(places.size());
    long inHand = -1;
    byte[] bodies = null;
    for (long[] p : places) {
      if (bodies == null || p[0] != inHand) {
        bodies = batch(c, p[0]);
        if (bodies == null) {
          throw new StoreException("decision record in audit batch " + p[0] + " is missing");
        }
        inHand = p[0];
      }
      out.add(StoredJson.record(bodies, (int) p[1], (int) p[2]));
    }
    return out;
  }

  /**
   * Records of earlier releases (one row each) first, as they were written; then those written in
   * batches, as they were written.
   */
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
          List<long[]> places = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT batch, start, length FROM decision_audit_entry WHERE customer_id = ?"
                      + " ORDER BY batch, start")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                places.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
              }
            }
          }
          out.addAll(fromBatches(c, places));
          return out;
        });
  }

  @Override
  public List<DecisionRecord> decisionsBetween(
      java.time.Instant from, java.time.Instant to, int limit) {
    return read(
        c -> {
          // The latest of each layout, merged by (decided_at, decision_id) descending.
          record Found(long at, String id, String body, long[] place) {}
          List<Found> found = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT decided_at, decision_id, body FROM decision_audit WHERE decided_at >= ? AND decided_at < ?"
                      + " ORDER BY decided_at DESC, decision_id DESC LIMIT ?")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.add(new Found(rs.getLong(1), rs.getString(2), rs.getString(3), null));
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT decided_at, decision_id, batch, start, length FROM decision_audit_entry"
                      + " WHERE decided_at >= ? AND decided_at < ?"
                      + " ORDER BY decided_at DESC, decision_id DESC LIMIT ?")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.add(
                    new Found(
                        rs.getLong(1),
                        rs.getString(2),
                        null,
                        new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)}));
              }
            }
          }
          // Oldest first, as decision_id compares in SQLite (BINARY: UTF-8 bytes, code point
          // order).
          found.sort(
              java.util.Comparator.comparingLong(Found::at)
                  .thenComparing(Found::id, SqliteCustomerStore::byCodePoint));
          List<Found> latest = found.subList(Math.max(0, found.size() - limit), found.size());
          List<long[]> places = new ArrayList<>();
          for (Found f : latest) {
            if (f.place() != null) {
              places.add(f.place());
            }
          }
          java.util.Iterator<DecisionRecord> batched = fromBatches(c, places).iterator();
          List<DecisionRecord> out = new ArrayList<>(latest.size());
          for (Found f : latest) {
            out.add(f.place() == null ? StoredJson.record(f.body()) : batched.next());
          }
          return out;
        });
  }

  private static int byCodePoint(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  @Override
  public Optional<DecisionRecord> decision(String decisionId) {
    return Optional.ofNullable(
        read(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT batch, start, length FROM decision_audit_entry WHERE decision_id = ?")) {
                ps.setString(1, decisionId);
                try (ResultSet rs = ps.executeQuery()) {
                  if (rs.next()) {
                    return fromBatches(
                            c, List.of(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}))
                        .get(0);
                  }
                }
              }
              // A record of an earlier release, one row of JSON text.
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT body FROM decision_audit WHERE decision_id = ?")) {
                ps.setString(1, decisionId);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? StoredJson.record(rs.getString(1)) : null;
                }
              }
            }));
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
