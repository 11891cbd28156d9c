package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Development mode: a save goes live through the same gate; a broken save changes nothing. */
class RulesWatcherTest {
  @Test
  void aSavedChange_isActivated_andABrokenSaveIsNot(@TempDir Path data, @TempDir Path rules)
      throws Exception {
    RuleSetSource bundled = RuleSetSource.bundled();
    for (String p : bundled.paths()) {
      Path f = rules.resolve(p);
      Files.createDirectories(f.getParent());
      Files.write(f, bundled.bytes(p));
    }
    try (Sqlite db = Sqlite.open(data)) {
      RuleSetRegistry registry =
          RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), bundled);
      try (RulesWatcher watcher = new RulesWatcher(rules, registry).start()) {
        assertThat(registry.activeSequence()).isEqualTo(1);
        Path contact = rules.resolve("dmn/contact-policy.dmn");
        Files.writeString(
            contact,
            Files.readString(contact)
                .replaceFirst(
                    "(?s)(&gt;= 80</text>.*?<outputEntry[^>]*>\\s*<text>)3(</text>)", "$14$2"));
        GateReport ok = watcher.reload();
        assertThat(ok.activatable()).isTrue();
        int good = registry.activeSequence();
        assertThat(good).isGreaterThan(1);
        assertThat(registry.version(good).origin()).isEqualTo("dev");

        Files.writeString(
            contact, Files.readString(contact).replaceFirst("&lt; 30", "&lt; 30 +* 2"));
        GateReport broken = watcher.reload();
        assertThat(broken.activatable()).isFalse();
        assertThat(registry.activeSequence()).isEqualTo(good);
      }
    }
  }

  @Test
  void theWatcherThread_reloadsOnSave(@TempDir Path data, @TempDir Path rules) throws Exception {
    RuleSetSource bundled = RuleSetSource.bundled();
    for (String p : bundled.paths()) {
      Path f = rules.resolve(p);
      Files.createDirectories(f.getParent());
      Files.write(f, bundled.bytes(p));
    }
    try (Sqlite db = Sqlite.open(data)) {
      RuleSetRegistry registry =
          RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), bundled);
      try (RulesWatcher watcher = new RulesWatcher(rules, registry).start()) {
        Path classification = rules.resolve("dmn/quadrant-classification.dmn");
        Files.writeString(
            classification,
            Files.readString(classification)
                .replace("&gt;= 50", "&gt;= 49")
                .replace("&lt; 50", "&lt; 49"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (registry.activeSequence() == 1 && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertThat(registry.activeSequence()).isGreaterThan(1);
      }
    }
  }
}
