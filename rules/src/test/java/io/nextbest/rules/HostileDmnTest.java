package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMN that would run host code or is not plain XML is refused at upload, and again at every compile
 * and activation.
 */
class HostileDmnTest {
  static final String CONTACT = "dmn/contact-policy.dmn";

  /**
   * The bundled contact policy with one decision more that reads a system property through Java.
   */
  static String withJava() {
    String decision =
        "<decision id=\"_Leak\" name=\"Leak\"><variable id=\"_LeakV\" name=\"Leak\" typeRef=\"string\"/>"
            + "<literalExpression id=\"_LeakE\"><text>(function(k) external { java: { class: \"java.lang.System\", method signature: \"getProperty(java.lang.String)\" } })(\"user.home\")</text></literalExpression></decision>";
    String dmn = BundledRuleSet.SOURCE.text(CONTACT);
    int end = dmn.indexOf("<dmndi:DMNDI");
    return dmn.substring(0, end) + decision + dmn.substring(end);
  }

  @TempDir Path dir;
  Sqlite db;
  SqliteRegistryStore store;
  RuleSetRegistry registry;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
    store = new SqliteRegistryStore(db, Clock.systemUTC());
    registry = RuleSetRegistry.open(store, BundledRuleSet.SOURCE);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anUploadCallingJava_isForbidden_namingTheElement_andNotStored() {
    assertThatThrownBy(
            () ->
                registry.upload(
                    Map.of(CONTACT, withJava().getBytes(StandardCharsets.UTF_8)),
                    null,
                    "ann",
                    "leak"))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RegistryException.Reason.FORBIDDEN_FILE);
              assertThat(e.getMessage())
                  .contains("decision 'Leak'")
                  .contains("external (Java) function");
              assertThat(e.messages())
                  .singleElement()
                  .satisfies(m -> assertThat(m.element()).isEqualTo("_LeakE"));
            });
    assertThat(registry.versions()).hasSize(1);
  }

  @Test
  void anUploadThatIsNotXml_isInvalid_withTheLine() {
    assertThatThrownBy(
            () ->
                registry.upload(
                    Map.of(CONTACT, "rule \"x\"\nwhen then end".getBytes(StandardCharsets.UTF_8)),
                    null,
                    "ann",
                    "drl"))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RegistryException.Reason.INVALID_UPLOAD);
              assertThat(e.getMessage())
                  .contains(CONTACT + " is not well-formed XML at line 1")
                  .doesNotContain("null");
            });
  }

  @Test
  void aVersionStoredWithJava_neverCompiles_norActivates() {
    // As if stored before uploads were screened, or saved to the development rules directory.
    VersionInfo v =
        store.add(
            BundledRuleSet.SOURCE.with(
                "old", Map.of(CONTACT, withJava().getBytes(StandardCharsets.UTF_8))),
            "ann",
            "old",
            1,
            "upload");
    GateReport gate = registry.gate(v.sequence());
    assertThat(gate.compiles()).isFalse();
    assertThat(gate.messages())
        .filteredOn(RuleSetMessage::error)
        .extracting(RuleSetMessage::text)
        .anySatisfy(t -> assertThat(t).contains("external (Java) function"));
    assertThatThrownBy(() -> registry.activate(v.sequence(), "ann"))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.GATE_FAILED));
    assertThat(registry.activeSequence()).isEqualTo(1);
  }
}
