package io.nextbest.engine.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nextbest.engine.Json;
import io.nextbest.engine.store.Sqlite;
import io.nextbest.engine.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Experiments in the process's SQLite file (new tables: an existing data directory gains them on
 * start).
 */
public final class SqliteExperimentStore implements ExperimentStore {
  private final Sqlite db;

  public SqliteExperimentStore(Sqlite db) {
    this.db = db;
    db.schema(
        "CREATE TABLE IF NOT EXISTS experiment (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS experiment_member (experiment_id TEXT NOT NULL, customer_id TEXT NOT NULL, arm TEXT NOT NULL,"
            + " first_at INTEGER NOT NULL, succeeded INTEGER NOT NULL, PRIMARY KEY (experiment_id, customer_id))",
        "CREATE TABLE IF NOT EXISTS experiment_decisions (experiment_id TEXT NOT NULL, arm TEXT NOT NULL, decisions INTEGER NOT NULL,"
            + " PRIMARY KEY (experiment_id, arm))",
        "CREATE TABLE IF NOT EXISTS experiment_disqualified (experiment_id TEXT NOT NULL, customer_id TEXT NOT NULL,"
            + " PRIMARY KEY (experiment_id, customer_id))");
  }

  @Override
  public void save(Experiment e) {
    String body = json(e);
    db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO experiment (id, body) VALUES (?,?) ON CONFLICT(id) DO UPDATE SET body = excluded.body")) {
            ps.setString(1, e.id());
            ps.setString(2, body);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean replaceRunning(Experiment e) {
    String body = json(e);
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE experiment SET body = ? WHERE id = ? AND json_extract(body, '$.status') = 'RUNNING'")) {
            ps.setString(1, body);
            ps.setString(2, e.id());
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** One process owns the data directory and serialises its own changes: always granted. */
  @Override
  public Optional<Hold> hold(Duration wait, Duration lease) {
    return Optional.of(() -> {});
  }

  @Override
  public Optional<Experiment> find(String id) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT body FROM experiment WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.<Experiment>empty();
            }
          }
        });
  }

  @Override
  public List<Experiment> all() {
    return db.tx(
        c -> {
          List<Experiment> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT body FROM experiment ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(parse(rs.getString(1)));
            }
          }
          return out;
        });
  }

  @Override
  public void expose(List<Exposure> exposures) {
    if (exposures.isEmpty()) {
      return;
    }
    db.tx(
        c -> {
          try (PreparedStatement member =
                  c.prepareStatement(
                      "INSERT OR IGNORE INTO experiment_member (experiment_id, customer_id, arm, first_at, succeeded) VALUES (?,?,?,?,0)");
              PreparedStatement decisions =
                  c.prepareStatement(
                      "INSERT INTO experiment_decisions (experiment_id, arm, decisions) VALUES (?,?,1)"
                          + " ON CONFLICT(experiment_id, arm) DO UPDATE SET decisions = decisions + 1")) {
            for (Exposure x : exposures) {
              member.setString(1, x.experimentId());
              member.setString(2, x.customerId());
              member.setString(3, x.arm());
              member.setLong(4, x.at().toEpochMilli());
              member.addBatch();
              decisions.setString(1, x.experimentId());
              decisions.setString(2, x.arm());
              decisions.addBatch();
            }
            member.executeBatch();
            decisions.executeBatch();
          }
          return null;
        });
  }

  @Override
  public boolean succeed(String experimentId, String customerId, Instant at, int withinDays) {
    long latest = withinDays < 0 ? Long.MAX_VALUE : Duration.ofDays(withinDays).toMillis();
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE experiment_member SET succeeded = 1 WHERE experiment_id = ? AND customer_id = ? AND succeeded = 0"
                      + " AND first_at <= ? AND ? - first_at <= ?")) {
            ps.setString(1, experimentId);
            ps.setString(2, customerId);
            ps.setLong(3, at.toEpochMilli());
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, latest);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean disqualify(String experimentId, String customerId, Instant at, int withinDays) {
    long latest = Duration.ofDays(withinDays).toMillis();
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO experiment_disqualified (experiment_id, customer_id)"
                      + " SELECT experiment_id, customer_id FROM experiment_member WHERE experiment_id = ? AND customer_id = ?"
                      + " AND first_at <= ? AND ? - first_at <= ?")) {
            ps.setString(1, experimentId);
            ps.setString(2, customerId);
            ps.setLong(3, at.toEpochMilli());
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, latest);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Map<String, Absences> absences(String experimentId, Instant maturedBy) {
    return db.tx(
        c -> {
          Map<String, Absences> out = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT m.arm, SUM(CASE WHEN m.first_at <= ? THEN 1 ELSE 0 END), SUM(CASE WHEN m.first_at > ? THEN 1 ELSE 0 END)"
                      + " FROM experiment_member m LEFT JOIN experiment_disqualified d"
                      + " ON d.experiment_id = m.experiment_id AND d.customer_id = m.customer_id"
                      + " WHERE m.experiment_id = ? AND m.succeeded = 0 AND d.customer_id IS NULL GROUP BY m.arm")) {
            ps.setLong(1, maturedBy.toEpochMilli());
            ps.setLong(2, maturedBy.toEpochMilli());
            ps.setString(3, experimentId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), new Absences(rs.getLong(2), rs.getLong(3)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Map<String, ArmCounts> counts(String experimentId) {
    return db.tx(
        c -> {
          Map<String, long[]> n = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT arm, COUNT(*), SUM(succeeded) FROM experiment_member WHERE experiment_id = ? GROUP BY arm")) {
            ps.setString(1, experimentId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long[] v = n.computeIfAbsent(rs.getString(1), k -> new long[3]);
                v[0] = rs.getLong(2);
                v[2] = rs.getLong(3);
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT arm, decisions FROM experiment_decisions WHERE experiment_id = ?")) {
            ps.setString(1, experimentId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                n.computeIfAbsent(rs.getString(1), k -> new long[3])[1] = rs.getLong(2);
              }
            }
          }
          Map<String, ArmCounts> out = new HashMap<>();
          n.forEach((arm, v) -> out.put(arm, new ArmCounts(v[0], v[1], v[2])));
          return out;
        });
  }

  static String json(Experiment e) {
    try {
      return Json.mapper().writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("an experiment always serialises", ex);
    }
  }

  static Experiment parse(String body) {
    try {
      return Json.mapper().readValue(body, Experiment.class);
    } catch (JsonProcessingException ex) {
      throw new StoreException(
          "a stored experiment does not parse: " + ex.getOriginalMessage(), ex);
    }
  }
}
