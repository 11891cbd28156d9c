package io.nextbest.engine.library;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.StandaloneModel;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.store.Sqlite;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Standalone DMN models, apart from the live rule set: each upload of a model (filed under its
 * {@code definitions/@name}) becomes its next version, immutable and content-hashed; a model is
 * evaluated on its own runtime, so nothing here changes what customer decisions use. Kept in the
 * embedded store of the node. Thread-safe.
 */
public final class ModelLibrary {
  /** A stored version of a model; {@code warnings} only on the answer to its upload. */
  public record ModelVersion(
      String name,
      int version,
      String hash,
      String namespace,
      String author,
      Instant createdAt,
      String comment,
      List<RuleSetMessage> warnings) {
    public ModelVersion {
      warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    ModelVersion withWarnings(List<RuleSetMessage> w) {
      return new ModelVersion(name, version, hash, namespace, author, createdAt, comment, w);
    }
  }

  private record Key(String name, int version) {}

  private final Sqlite db;
  private final Clock clock;
  private final Cache<Key, StandaloneModel> compiled =
      Caffeine.newBuilder().maximumSize(64).build();

  private ModelLibrary(Sqlite db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The library in {@code db}, its table created if needed. */
  public static ModelLibrary open(Sqlite db, Clock clock) {
    db.schema(
        "CREATE TABLE IF NOT EXISTS model_version (name TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, namespace TEXT,"
            + " author TEXT NOT NULL, created_at TEXT NOT NULL, comment TEXT, content BLOB NOT NULL, PRIMARY KEY (name, version))");
    return new ModelLibrary(db, clock);
  }

  /**
   * Validates and compiles {@code xml}, then stores it as the next version of its model; the same
   * content as the model's latest version returns that version (with the warnings found now).
   *
   * @param strict whether the DMN validator's errors refuse the model (they are warnings otherwise)
   * @throws io.nextbest.engine.RuleSetException when it does not compile (or, strict, validate)
   */
  public ModelVersion upload(
      String fileName, byte[] xml, String author, String comment, boolean strict) {
    StandaloneModel model = StandaloneModel.compile(fileName, xml, strict);
    String hash = sha256(xml);
    ModelVersion stored =
        db.tx(
            c -> {
              Optional<ModelVersion> latest = latest(c, model.name());
              if (latest.isPresent() && latest.get().hash().equals(hash)) {
                return latest.get();
              }
              int next = latest.map(v -> v.version() + 1).orElse(1);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO model_version (name, version, hash, namespace, author, created_at, comment, content) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, model.name());
                ps.setInt(2, next);
                ps.setString(3, hash);
                ps.setString(4, model.namespace());
                ps.setString(5, author);
                ps.setString(6, clock.instant().toString());
                ps.setString(7, comment);
                ps.setBytes(8, xml);
                ps.executeUpdate();
              }
              return latest(c, model.name()).orElseThrow();
            });
    compiled.put(new Key(stored.name(), stored.version()), model);
    return stored.withWarnings(model.warnings());
  }

  /** The latest version of every model, by name. */
  public List<ModelVersion> models() {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, version, hash, namespace, author, created_at, comment FROM model_version m"
                      + " WHERE version = (SELECT MAX(version) FROM model_version WHERE name = m.name) ORDER BY name")) {
            return read(ps);
          }
        });
  }

  /** Every version of a model, oldest first. */
  public List<ModelVersion> versions(String name) {
    List<ModelVersion> out =
        db.tx(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, version, hash, namespace, author, created_at, comment FROM model_version WHERE name = ? ORDER BY version")) {
                ps.setString(1, name);
                return read(ps);
              }
            });
    if (out.isEmpty()) {
      throw notFound(name);
    }
    return out;
  }

  /** The version's record; the latest when {@code version} is null. */
  public ModelVersion version(String name, Integer version) {
    List<ModelVersion> all = versions(name);
    if (version == null) {
      return all.get(all.size() - 1);
    }
    return all.stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(
            () ->
                new RegistryException(
                    RegistryException.Reason.NOT_FOUND,
                    "model '"
                        + name
                        + "' has no version "
                        + version
                        + "; it has 1 to "
                        + all.size(),
                    null));
  }

  /** The compiled model (the latest version when {@code version} is null). */
  public StandaloneModel model(String name, Integer version) {
    ModelVersion v = version(name, version);
    return compiled.get(
        new Key(v.name(), v.version()),
        k -> StandaloneModel.compile(k.name(), xml(k.name(), k.version()), false));
  }

  /** The DMN file of a version, as uploaded. */
  public byte[] xml(String name, int version) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT content FROM model_version WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw notFound(name);
              }
              return rs.getBytes(1);
            }
          }
        });
  }

  private static Optional<ModelVersion> latest(java.sql.Connection c, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, version, hash, namespace, author, created_at, comment FROM model_version WHERE name = ? ORDER BY version DESC LIMIT 1")) {
      ps.setString(1, name);
      return read(ps).stream().findFirst();
    }
  }

  private static List<ModelVersion> read(PreparedStatement ps) throws SQLException {
    List<ModelVersion> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ModelVersion(
                rs.getString("name"),
                rs.getInt("version"),
                rs.getString("hash"),
                rs.getString("namespace"),
                rs.getString("author"),
                Instant.parse(rs.getString("created_at")),
                rs.getString("comment"),
                List.of()));
      }
    }
    return out;
  }

  private static RegistryException notFound(String name) {
    return new RegistryException(
        RegistryException.Reason.NOT_FOUND,
        "the model library has no model named '" + name + "'",
        null);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
