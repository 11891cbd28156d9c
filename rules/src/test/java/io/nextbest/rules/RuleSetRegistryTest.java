package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.registry.Change;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SemanticDiff;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions, the validation and scenario gate, activation, rollback, diff and persistence. */
class RuleSetRegistryTest {
  static final String CLASSIFICATION = "dmn/quadrant-classification.dmn";
  static final String CONTACT = "dmn/contact-policy.dmn";

  @TempDir Path dir;
  Sqlite db;
  RuleSetRegistry registry;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
    registry =
        RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), BundledRuleSet.SOURCE);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Map<String, byte[]> file(String path, String content) {
    return Map.of(path, content.getBytes(StandardCharsets.UTF_8));
  }

  static String dmn(String path) {
    return BundledRuleSet.SOURCE.text(path);
  }

  static List<String> errors(GateReport g) {
    return g.messages().stream()
        .filter(RuleSetMessage::error)
        .map(RuleSetMessage::toString)
        .toList();
  }

  @Test
  void firstStart_registersTheBundledRuleSetAsVersionOne_andActivatesIt() {
    assertThat(registry.versions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.sequence()).isEqualTo(1);
              assertThat(v.origin()).isEqualTo("build");
              assertThat(v.hash()).isEqualTo(BundledRuleSet.SOURCE.contentHash());
            });
    assertThat(registry.activeSequence()).isEqualTo(1);
    assertThat(registry.active().version()).startsWith("v1-");
  }

  @Test
  void analystsCannotUploadDrl() {
    assertThatThrownBy(
            () ->
                registry.upload(
                    file("drl/gating.drl", "rule x when then end"), null, "ann", "sneaky"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("DRL")
        .satisfies(
            e ->
                assertThat(((RegistryException) e).reason())
                    .isEqualTo(RegistryException.Reason.FORBIDDEN_FILE));
  }

  @Test
  void invalidFeel_isReportedWithModelElementAndLine() {
    VersionInfo v =
        registry.upload(
            file(CONTACT, dmn(CONTACT).replaceFirst("&lt; 30", "&lt; 30 +* 2")),
            null,
            "ann",
            "typo");
    GateReport g = registry.gate(v.sequence());
    assertThat(g.compiles()).isFalse();
    assertThat(g.messages())
        .filteredOn(RuleSetMessage::error)
        .anySatisfy(
            m -> {
              assertThat(m.file()).isEqualTo(CONTACT);
              assertThat(m.element()).isNotBlank();
              assertThat(m.line()).isPositive();
            });
  }

  @Test
  void missingInput_isReported() {
    String broken =
        dmn(CLASSIFICATION)
            .replace("<inputExpression id=", "<inputExpression id=")
            .replaceFirst("<text>Experience Index</text>", "<text>Experience Idx</text>");
    VersionInfo v = registry.upload(file(CLASSIFICATION, broken), null, "ann", "renamed input");
    assertThat(errors(registry.gate(v.sequence())))
        .isNotEmpty()
        .anyMatch(t -> t.contains("Experience Idx"));
  }

  @Test
  void typeMismatch_isReported() {
    String broken = dmn(CONTACT).replaceFirst("<text>1</text>", "<text>\"one\"</text>");
    VersionInfo v = registry.upload(file(CONTACT, broken), null, "ann", "text in a number column");
    GateReport g = registry.gate(v.sequence());
    assertThat(g.activatable()).isFalse();
    assertThat(g.messages())
        .extracting(RuleSetMessage::text)
        .anyMatch(t -> t.toLowerCase().contains("type") || t.contains("one"));
  }

  @Test
  void overlappingUniqueRows_areReported() {
    // Make the Q1 low-experience row overlap the Q1 high row: both match experience 40.
    String broken = dmn(CONTACT).replaceFirst("&lt; 30", "&lt; 50");
    VersionInfo v = registry.upload(file(CONTACT, broken), null, "ann", "overlap");
    GateReport g = registry.gate(v.sequence());
    assertThat(g.activatable()).isFalse();
    assertThat(g.messages())
        .extracting(RuleSetMessage::text)
        .anyMatch(t -> t.toLowerCase().contains("overlap"));
  }

  @Test
  void aVersionThatBreaksAScenario_cannotBeActivated_andTheRefusalIsAudited() {
    // Everyone's experience is "low" now: the Q2, Q4 persona scenarios must fail.
    String strict =
        dmn(CLASSIFICATION).replace("&gt;= 60", "&gt;= 99").replace("&lt; 60", "&lt; 99");
    VersionInfo v = registry.upload(file(CLASSIFICATION, strict), null, "ann", "stricter");
    GateReport g = registry.gate(v.sequence());
    assertThat(g.compiles()).isTrue();
    assertThat(g.failedScenarios()).isPositive();
    assertThatThrownBy(() -> registry.activate(v.sequence(), "ann"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("scenarios fail");
    assertThat(registry.activeSequence()).isEqualTo(1);
    assertThat(registry.audit(5)).extracting(a -> a.action()).contains("activate-refused");
  }

  @Test
  void activation_switchesDecisions_andRollbackReturns() {
    DecisionEngine engine = DecisionEngine.builder().ruleSet(registry.active()).build();
    registry.onActivate(engine::activate);
    String looser = dmn(CONTACT).replace("<text>2</text>", "<text>2</text>");
    String changed =
        looser.replaceFirst(
            "(?s)(&gt;= 80</text>.*?<outputEntry[^>]*>\\s*<text>)3(</text>)", "$14$2");
    VersionInfo v =
        registry.upload(file(CONTACT, changed), null, "ann", "champions may get 4 a week");
    registry.activate(v.sequence(), "ann");
    Decision d = engine.decide(Given.champion("x").context());
    assertThat(d.ruleSetVersion()).startsWith("v" + v.sequence() + "-");
    assertThat(d.contact().max7Days()).isEqualTo(4);
    registry.rollback(1, "ann");
    Decision back = engine.decide(Given.champion("x").context());
    assertThat(back.ruleSetVersion()).startsWith("v1-");
    assertThat(back.contact().max7Days()).isEqualTo(3);
    assertThat(registry.audit(10))
        .extracting(a -> a.action())
        .contains("upload", "activate", "rollback");
  }

  @Test
  void semanticDiff_namesMovedThresholdsAndChangedRows() {
    String moved =
        dmn(CLASSIFICATION).replace("&gt;= 60", "&gt;= 65").replace("&lt; 60", "&lt; 65");
    VersionInfo v = registry.upload(file(CLASSIFICATION, moved), null, "ann", "raise the bar");
    SemanticDiff.Result diff = registry.diff(1, v.sequence());
    assertThat(diff.changes())
        .filteredOn(c -> c.kind().equals("THRESHOLD_MOVED"))
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.location()).isEqualTo("Experience Level");
              assertThat(c.before()).contains("60");
              assertThat(c.after()).contains("65");
            });
    assertThat(diff.changes()).extracting(Change::kind).doesNotContain("FILE_CHANGED");
  }

  @Test
  void semanticDiff_reportsAddedAndRemovedRows() {
    String xml = dmn(CONTACT);
    int start = xml.indexOf("<rule id=", xml.indexOf("<decisionTable"));
    int end = xml.indexOf("</rule>", start) + "</rule>".length();
    String removed = xml.substring(0, start) + xml.substring(end);
    VersionInfo v = registry.upload(file(CONTACT, removed), null, "ann", "drop a row");
    assertThat(registry.diff(1, v.sequence()).changes())
        .extracting(Change::kind)
        .containsExactly("ROW_REMOVED");
    assertThat(registry.diff(v.sequence(), 1).changes())
        .extracting(Change::kind)
        .containsExactly("ROW_ADDED");
  }

  @Test
  void versionsAndTheActivePointer_surviveARestart() {
    String moved =
        dmn(CLASSIFICATION).replace("&gt;= 50", "&gt;= 49").replace("&lt; 50", "&lt; 49");
    VersionInfo v = registry.upload(file(CLASSIFICATION, moved), null, "ann", "tiny move");
    registry.activate(v.sequence(), "ann");
    db.close();
    db = Sqlite.open(dir);
    RuleSetRegistry reopened =
        RuleSetRegistry.open(new SqliteRegistryStore(db, Clock.systemUTC()), BundledRuleSet.SOURCE);
    assertThat(reopened.versions()).hasSize(2);
    assertThat(reopened.activeSequence()).isEqualTo(v.sequence());
  }

  @Test
  void activatingWhileDecisionsRun_failsNoDecision_andShowsTheSwitchPoint() throws Exception {
    DecisionEngine engine = DecisionEngine.builder().ruleSet(registry.active()).build();
    registry.onActivate(engine::activate);
    String moved =
        dmn(CLASSIFICATION).replace("&gt;= 50", "&gt;= 49").replace("&lt; 50", "&lt; 49");
    VersionInfo v = registry.upload(file(CLASSIFICATION, moved), null, "ann", "during traffic");
    registry.gate(v.sequence()); // compile before the clock starts, as the API's validate step does

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    ConcurrentLinkedQueue<String> versionsSeen = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread th =
          new Thread(
              () -> {
                started.countDown();
                String last = null;
                while (running.get()) {
                  try {
                    String version =
                        engine
                            .decide(Given.satisfiedQuietCustomer("load").context())
                            .ruleSetVersion();
                    if (!version.equals(last)) {
                      versionsSeen.add(System.nanoTime() + " " + version);
                      last = version;
                    }
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    started.await();
    Thread.sleep(200);
    long switchAt = System.nanoTime();
    registry.activate(v.sequence(), "ann");
    Thread.sleep(200);
    running.set(false);
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures.get()).isZero();
    List<String> seen = new ArrayList<>(versionsSeen);
    // Each thread saw v1, then switched to the new version once, at or after the activation call.
    assertThat(seen).anyMatch(s -> s.endsWith(" " + registry.version(1).label()));
    assertThat(seen)
        .filteredOn(s -> s.contains("v" + v.sequence() + "-"))
        .isNotEmpty()
        .allSatisfy(
            s -> assertThat(Long.parseLong(s.split(" ")[0])).isGreaterThanOrEqualTo(switchAt));
    assertThat(engine.ruleSet().version()).startsWith("v" + v.sequence() + "-");
    assertThat(Quadrant.values()).isNotEmpty();
  }
}
