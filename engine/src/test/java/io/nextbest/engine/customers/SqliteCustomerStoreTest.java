package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /**
   * A data directory the first release wrote (made by its schema code, events for two customers, an
   * outreach line and a learned outcome): this release opens it, migrates it and keeps it all.
   */
  @Test
  void aDataDirectoryOfThePreviousRelease_opensMigrated_withEverythingInPlace() throws Exception {
    store.close();
    db.close();
    Path old = dir.resolve("release-0.1");
    java.nio.file.Files.createDirectories(old);
    try (var in = getClass().getResourceAsStream("/store/release-0.1/nextbest.db")) {
      java.nio.file.Files.copy(in, old.resolve("nextbest.db"));
    }
    db = Sqlite.open(old);
    assertThat(db.schemaVersion(SqliteCustomerStore.SCHEMA))
        .as("the first release recorded no version")
        .isZero();
    store = new SqliteCustomerStore(db);
    assertThat(db.schemaVersion(SqliteCustomerStore.SCHEMA))
        .isEqualTo(SqliteCustomerStore.MIGRATIONS.size());

    assertThat(store.history("alice", 0).events())
        .extracting(CustomerEvent::id)
        .containsExactly("e1", "e2", "e3");
    assertThat(store.history("alice", 0).sent()).hasSize(1);
    assertThat(store.history("bob", 0).events())
        .extracting(CustomerEvent::id)
        .containsExactly("b1");
    assertThat(store.ledger("bob")).hasSize(1);
    assertThat(store.propensityCounts()).hasSize(1);
    assertThat(store.customerIds("", 10)).containsExactly("alice", "bob");
    // What the migration is for: bob may now use an id alice used.
    assertThat(store.append(List.of(csat("e1", "bob", 3))))
        .containsExactly(CustomerStore.Appended.STORED);
    assertThat(store.append(List.of(csat("e1", "alice", 1))))
        .containsExactly(CustomerStore.Appended.CONFLICT);

    // The registry's tables in the same file are versioned the same way, each component on its own.
    new io.nextbest.engine.registry.SqliteRegistryStore(db, java.time.Clock.systemUTC());
    assertThat(db.schemaVersion("registry")).isEqualTo(1);
    assertThat(db.schemaVersion(SqliteCustomerStore.SCHEMA))
        .isEqualTo(SqliteCustomerStore.MIGRATIONS.size());

    // Opening again applies nothing twice.
    store.close();
    db.close();
    db = Sqlite.open(old);
    store = new SqliteCustomerStore(db);
    assertThat(store.history("bob", 0).events()).hasSize(2);
  }

  /**
   * The first release's counts ({@code Q4|upgrade}, per quadrant) are what a rule set segmenting by
   * quadrant reads now, and new outcomes in that segment add to them.
   */
  @Test
  void theFirstReleasesQuadrantCounts_areReadByTheQuadrantSegmentation() throws Exception {
    store.close();
    db.close();
    Path old = dir.resolve("release-0.1-segments");
    java.nio.file.Files.createDirectories(old);
    try (var in = getClass().getResourceAsStream("/store/release-0.1/nextbest.db")) {
      java.nio.file.Files.copy(in, old.resolve("nextbest.db"));
    }
    db = Sqlite.open(old);
    store = new SqliteCustomerStore(db);
    io.nextbest.engine.model.Segment q4 =
        new io.nextbest.engine.model.Segment(
            io.nextbest.engine.model.Quadrant.Q4,
            "Q4",
            io.nextbest.engine.model.Level.HIGH,
            io.nextbest.engine.model.Level.HIGH);
    String label =
        io.nextbest.engine.Segmentation.QUADRANT.label(
            q4, io.nextbest.engine.model.CustomerProfile.EMPTY, null);
    assertThat(label).isEqualTo("Q4");
    io.nextbest.engine.ledger.OutcomeKey action =
        new io.nextbest.engine.ledger.OutcomeKey("upgrade", label, null);
    assertThat(store.propensityCounts())
        .containsEntry(action, new io.nextbest.engine.ledger.Counts(1, 0));

    io.nextbest.engine.learning.BetaPropensities model =
        io.nextbest.engine.learning.BetaPropensities.withPriorStrength(20);
    model.replaceAll(store.propensityCounts());
    io.nextbest.engine.model.CatalogueAction upgrade =
        new io.nextbest.engine.model.CatalogueAction(
            "upgrade",
            "upgrade",
            io.nextbest.engine.model.ActionFamily.values()[0],
            List.of(io.nextbest.engine.model.Channel.EMAIL),
            10,
            0.3,
            false,
            false,
            false,
            null,
            false,
            null);
    io.nextbest.engine.model.Propensity p =
        model.mean(upgrade, io.nextbest.engine.model.Channel.EMAIL, label);
    assertThat(p.level()).isEqualTo("action");
    assertThat(p.outcomes()).isEqualTo(1);
    assertThat(p.segment()).isEqualTo("Q4");
    // (0.3 * 20 + 1) / 21
    assertThat(p.value()).isEqualTo(0.3333);

    assertThat(
            store
                .record(
                    line(
                        "d-new",
                        "upgrade",
                        io.nextbest.engine.ledger.LedgerKind.DECLINED_BY_CUSTOMER),
                    new io.nextbest.engine.ledger.OutcomeKey(
                        "upgrade", label, io.nextbest.engine.model.Channel.EMAIL),
                    false,
                    3)
                .learned())
        .isTrue();
    assertThat(store.propensityCounts())
        .as("a new outcome in the segment joins the stored counts")
        .containsEntry(action, new io.nextbest.engine.ledger.Counts(1, 1));
  }

  /** Audit records written before they were indexed by time are found by the time in their body. */
  @Test
  void decisionsOfTheRelease_beforeTheTimeIndex_areFoundByWhenTheyWereDecided() throws Exception {
    store.close();
    db.close();
    Path old = dir.resolve("before-time-index");
    db = Sqlite.open(old);
    db.migrate(SqliteCustomerStore.SCHEMA, SqliteCustomerStore.MIGRATIONS.subList(0, 3));
    java.time.Instant at = java.time.Instant.parse("2026-03-01T10:00:00.123456789Z");
    String body = StoredJson.record(CustomerStoreContract.recordAt("d-old", "c-old", at));
    db.tx(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "INSERT INTO decision_audit (decision_id, customer_id, body) VALUES (?,?,?)")) {
            ps.setString(1, "d-old");
            ps.setString(2, "c-old");
            ps.setString(3, body);
            ps.executeUpdate();
          }
          return null;
        });
    store = new SqliteCustomerStore(db);
    assertThat(store.decisionsBetween(at.minusMillis(1), at.plusMillis(1), 10))
        .extracting(io.nextbest.engine.ledger.DecisionRecord::decisionId)
        .containsExactly("d-old");
    assertThat(store.decisionsBetween(at.plusMillis(1), at.plusSeconds(1), 10)).isEmpty();
  }

  /**
   * Audit records of the release before batches (one row of JSON text each, schema 4): after the
   * migration they still read back by id, by customer (before the newer ones) and by time, merged
   * with records written since, and an erasure removes both.
   */
  @Test
  void decisionsOfTheReleaseBeforeBatches_readBackBesideNewOnes_andAreErased() throws Exception {
    store.close();
    db.close();
    Path old = dir.resolve("before-batches");
    db = Sqlite.open(old);
    db.migrate(SqliteCustomerStore.SCHEMA, SqliteCustomerStore.MIGRATIONS.subList(0, 4));
    java.time.Instant t = java.time.Instant.parse("2026-03-01T10:00:00Z");
    List<io.nextbest.engine.ledger.DecisionRecord> before =
        List.of(
            CustomerStoreContract.recordAt("d-old-1", "c-a", t),
            CustomerStoreContract.recordAt("d-old-2", "c-b", t.plusSeconds(2)));
    db.tx(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "INSERT INTO decision_audit (decision_id, customer_id, decided_at, body) VALUES (?,?,?,?)")) {
            for (var r : before) {
              ps.setString(1, r.decisionId());
              ps.setString(2, r.customerId());
              ps.setLong(3, r.decidedAt().toEpochMilli());
              ps.setString(4, StoredJson.record(r));
              ps.executeUpdate();
            }
          }
          return null;
        });
    store = new SqliteCustomerStore(db);
    var after =
        List.of(
            CustomerStoreContract.recordAt("d-new-1", "c-a", t.plusSeconds(1)),
            CustomerStoreContract.recordAt("d-new-2", "c-b", t.plusSeconds(3)));
    store.saveDecisions(after);

    assertThat(store.decision("d-old-1")).contains(before.get(0));
    assertThat(store.decision("d-new-1")).contains(after.get(0));
    assertThat(store.decisions("c-a")).containsExactly(before.get(0), after.get(0));
    assertThat(store.decisionsBetween(t, t.plusSeconds(10), 10))
        .extracting(io.nextbest.engine.ledger.DecisionRecord::decisionId)
        .containsExactly("d-old-1", "d-new-1", "d-old-2", "d-new-2");
    assertThat(store.decisionsBetween(t, t.plusSeconds(10), 2))
        .extracting(io.nextbest.engine.ledger.DecisionRecord::decisionId)
        .containsExactly("d-old-2", "d-new-2");
    // An id stored before keeps its record.
    store.saveDecisions(List.of(CustomerStoreContract.recordAt("d-old-1", "c-z", t)));
    assertThat(store.decision("d-old-1")).contains(before.get(0));

    assertThat(store.erase("c-a").decisions()).isEqualTo(2);
    assertThat(store.decision("d-old-1")).isEmpty();
    assertThat(store.decision("d-new-1")).isEmpty();
    assertThat(store.decisions("c-b")).containsExactly(before.get(1), after.get(1));
  }

  /**
   * Records written together share a compressed batch: an erasure leaves none of the erased
   * customer's bytes in it while the others' records still read back, and a duplicate id leaves no
   * unindexed copy behind.
   */
  @Test
  void erasure_removesTheCustomersBytesFromSharedBatches_andDuplicatesLeaveNoCopy()
      throws Exception {
    java.time.Instant t = java.time.Instant.parse("2026-03-01T10:00:00Z");
    var kept = CustomerStoreContract.recordAt("d-kept", "c-kept", t);
    store.saveDecisions(
        List.of(
            CustomerStoreContract.recordAt("d-gone-1", "c-gone", t),
            kept,
            CustomerStoreContract.recordAt("d-gone-2", "c-gone", t)));
    // The same id again, about another customer: the first record stays, no copy of this one.
    store.saveDecisions(List.of(CustomerStoreContract.recordAt("d-kept", "c-other", t)));
    assertThat(batchText()).contains("c-gone").doesNotContain("c-other");

    assertThat(store.erase("c-gone").decisions()).isEqualTo(2);
    assertThat(batchText()).doesNotContain("c-gone").contains("c-kept");
    assertThat(store.decision("d-kept")).contains(kept);
    assertThat(store.decisions("c-kept")).containsExactly(kept);

    assertThat(store.erase("c-kept").decisions()).isEqualTo(1);
    assertThat(rows("decision_audit_batch")).isZero();
  }

  /** Every audit batch decompressed, as text. */
  private String batchText() {
    return db.tx(
        c -> {
          StringBuilder out = new StringBuilder();
          try (var st = c.createStatement();
              var rs = st.executeQuery("SELECT body FROM decision_audit_batch")) {
            while (rs.next()) {
              out.append(
                  new String(
                      AuditBatches.decompress(rs.getBytes(1)),
                      java.nio.charset.StandardCharsets.UTF_8));
            }
          }
          return out.toString();
        });
  }

  private long rows(String table) {
    return db.tx(
        c -> {
          try (var st = c.createStatement();
              var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Test
  void aDataDirectoryOfALaterRelease_isRefused_notWrittenWithAnOlderSchema() {
    db.migrate(
        SqliteCustomerStore.SCHEMA,
        java.util.stream.IntStream.rangeClosed(1, SqliteCustomerStore.MIGRATIONS.size() + 1)
            .mapToObj(v -> new Sqlite.Migration(v, "step " + v, List.of()))
            .toList());
    assertThatThrownBy(() -> new SqliteCustomerStore(db))
        .isInstanceOf(io.nextbest.engine.store.StoreException.class)
        .hasMessageContaining("newer than this release's " + SqliteCustomerStore.MIGRATIONS.size());
  }

  @Test
  void aDataDirectoryFromBeforeTreatments_keepsItsCountsAsTheActionLevel() {
    store.close();
    db.close();
    Path old = dir.resolve("old");
    db = Sqlite.open(old);
    // The learning tables as a data directory made before treatments and the per-customer cap has
    // them.
    db.schema(
        "CREATE TABLE learned_outcome (decision_id TEXT NOT NULL, action_id TEXT NOT NULL, success INTEGER NOT NULL, PRIMARY KEY (decision_id, action_id))",
        "CREATE TABLE propensity_count (key TEXT PRIMARY KEY, successes INTEGER NOT NULL, failures INTEGER NOT NULL)",
        "INSERT INTO propensity_count VALUES ('Q4|upgrade', 5, 2)");
    store = new SqliteCustomerStore(db);
    io.nextbest.engine.ledger.OutcomeKey action =
        new io.nextbest.engine.ledger.OutcomeKey("upgrade", io.nextbest.engine.model.Quadrant.Q4);
    assertThat(store.propensityCounts())
        .containsEntry(action, new io.nextbest.engine.ledger.Counts(5, 2));
    io.nextbest.engine.ledger.OutcomeKey email =
        new io.nextbest.engine.ledger.OutcomeKey(
            "upgrade",
            io.nextbest.engine.model.Quadrant.Q4,
            io.nextbest.engine.model.Channel.EMAIL);
    assertThat(
            store
                .record(
                    line(
                        "d-up",
                        "upgrade",
                        io.nextbest.engine.ledger.LedgerKind.ACCEPTED_BY_CUSTOMER),
                    email,
                    true,
                    3)
                .learned())
        .isTrue();
    assertThat(store.propensityCounts())
        .containsEntry(action, new io.nextbest.engine.ledger.Counts(6, 2))
        .containsEntry(email, new io.nextbest.engine.ledger.Counts(1, 0));
  }

  @Test
  void localCache_isInvalidatedByWrites_andNeverServesAnOlderProfile() {
    ProfileCache cache = new ProfileCache(store, false, 100);
    assertThat(cache.get("c8").events()).isEmpty();
    store.append(List.of(csat("i1", "c8", 5)));
    assertThat(cache.get("c8").events())
        .as("without invalidation the cached entry stays")
        .isEmpty();
    cache.invalidate("c8");
    assertThat(cache.get("c8").events()).hasSize(1);
  }
}
