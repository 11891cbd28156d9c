package io.nextbest.rules;

import static io.nextbest.rules.RuleSetRegistryTest.CONTACT;
import static io.nextbest.rules.RuleSetRegistryTest.dmn;
import static io.nextbest.rules.RuleSetRegistryTest.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.registry.Change;
import io.nextbest.engine.registry.DecisionPreview;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.scenario.Coverage;
import io.nextbest.engine.scenario.Scenarios;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysts' workbench on the registry: coverage, the changed-rows rule, the preview, the diff
 * in analyst terms.
 */
class WorkbenchTest {
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

  static CustomerContext scenario(String name) {
    return Scenarios.load(BundledRuleSet.SOURCE).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow()
        .context();
  }

  /** The bundled contact policy with one output cell of a row changed. */
  static String withOutput(String xml, String ruleId, int output, String value) {
    int rule = xml.indexOf("<rule id=\"" + ruleId + "\"");
    int cell = xml.indexOf("<outputEntry", rule);
    for (int k = 1; k < output; k++) {
      cell = xml.indexOf("<outputEntry", cell + 1);
    }
    int start = xml.indexOf("<text>", cell) + "<text>".length();
    int end = xml.indexOf("</text>", start);
    return xml.substring(0, start) + value + xml.substring(end);
  }

  @Test
  void coverage_creditsEveryRowToTheScenariosThatSelectIt_andListsTheRowsNoneSelects() {
    Coverage c = registry.coverage(1);

    assertThat(c.tables())
        .extracting(Coverage.TableCoverage::model)
        .contains("Quadrant Classification", "Quadrant Strategy", "Contact Policy");
    int rows = c.tables().stream().mapToInt(t -> t.rows().size()).sum();
    assertThat(c.rows()).isEqualTo(rows);
    assertThat(c.covered()).isBetween(1, rows);
    assertThat(c.uncovered()).hasSize(rows - c.covered());
    // The Q4 champion scenario lands in Q4: the classification row that says Q4 is credited to it.
    Coverage.RowCoverage q4 =
        c.tables().stream()
            .filter(t -> t.decision().equals("Quadrant"))
            .flatMap(t -> t.rows().stream())
            .filter(r -> r.outputs().contains("\"Q4\""))
            .findFirst()
            .orElseThrow();
    assertThat(q4.scenarios()).contains("q4-relationship-champion");
    assertThat(q4.name()).contains("Experience Level").contains("Engagement Level");
    // Every uncovered row is one no scenario selects.
    for (Coverage.RowRef r : c.uncovered()) {
      assertThat(c.covers(r.id())).as(r.toString()).isFalse();
    }
  }

  @Test
  void theChangedRowsRule_refusesAVersionWhoseChangedRowNoScenarioSelects_onlyWhenSwitchedOn() {
    Coverage c = registry.coverage(1);
    Coverage.RowRef uncovered =
        c.uncovered().stream()
            .filter(r -> r.model().equals("Contact Policy"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("every contact row is covered: " + c.tables()));
    String xml = dmn(CONTACT);
    int rule = xml.indexOf("<rule id=\"" + uncovered.id() + "\"");
    String cap =
        xml.substring(
            xml.indexOf("<text>", xml.indexOf("<outputEntry", rule)) + 6,
            xml.indexOf("</text>", xml.indexOf("<outputEntry", rule)));
    // the same number written another way: behaviour unchanged, the row still counts as changed
    VersionInfo v =
        registry.upload(
            file(CONTACT, withOutput(xml, uncovered.id(), 1, cap + ".0")),
            null,
            "ann",
            "same cap, other spelling");

    assertThat(registry.uncoveredChanges(v.sequence()))
        .extracting(Change::rowId)
        .containsExactly(uncovered.id());
    assertThatThrownBy(() -> registry.activate(v.sequence(), "ann", true))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no scenario covers")
        .hasMessageContaining("Contact Limits, row " + uncovered.row() + " (");
    assertThat(registry.audit(5))
        .anySatisfy(a -> assertThat(a.action()).isEqualTo("activate-refused"));
    assertThat(registry.activeSequence()).isEqualTo(1);

    registry.activate(v.sequence(), "ann", false);
    assertThat(registry.activeSequence()).isEqualTo(v.sequence());
  }

  @Test
  void theDiff_namesARowByItsInputEntries_andReportsAChangedDescription() {
    String xml = dmn(CONTACT);
    String changed =
        xml.replace(
            "Transactional with a very poor experience: barely contact them while the basics are fixed.",
            "Transactional, very poor experience: hardly any contact.");
    VersionInfo v = registry.upload(file(CONTACT, changed), null, "ann", "reword");

    assertThat(registry.diff(1, v.sequence()).changes())
        .singleElement()
        .satisfies(
            ch -> {
              assertThat(ch.kind()).isEqualTo("ANNOTATION_CHANGED");
              assertThat(ch.row()).isEqualTo("row 1 (Quadrant = \"Q1\", Experience Index < 30)");
              assertThat(ch.rowId()).isEqualTo("_CP_ContactLimits_dt_r01");
              assertThat(ch.before()).startsWith("Transactional with a very poor");
              assertThat(ch.description())
                  .contains(
                      "Contact Limits, row 1 (Quadrant = \"Q1\", Experience Index < 30): description changed");
            });
    // An annotation is no behaviour: the changed-rows rule does not ask for coverage of it.
    assertThat(registry.uncoveredChanges(v.sequence())).isEmpty();
  }

  @Test
  void thePreview_showsBothDecisions_whatDiffers_andTheRowThatCausedIt() {
    // The One-Hit Wonder row: at most 1 outreach a week instead of 2.
    VersionInfo v =
        registry.upload(
            file(CONTACT, withOutput(dmn(CONTACT), "_CP_ContactLimits_dt_r03", 1, "1")),
            null,
            "ann",
            "quieter Q2");
    CustomerContext q2 = scenario("q2-one-hit-wonder");

    DecisionPreview p = registry.preview(v.sequence(), q2);

    assertThat(p.active().version()).isEqualTo(1);
    assertThat(p.candidate().version()).isEqualTo(v.sequence());
    assertThat(p.candidate().label()).startsWith("v" + v.sequence() + "-");
    assertThat(p.active().decision().segment().quadrant().name()).isEqualTo("Q2");
    assertThat(p.differences())
        .anySatisfy(
            d -> {
              assertThat(d.aspect()).isEqualTo("contact limits");
              assertThat(d.active()).startsWith("2/7d");
              assertThat(d.candidate()).startsWith("1/7d");
            });
    assertThat(p.causes())
        .anySatisfy(
            c -> {
              assertThat(c.table()).isEqualTo("_CP_ContactLimits_dt");
              assertThat(c.candidateRows()).containsExactly("row 3 [_CP_ContactLimits_dt_r03]");
              assertThat(c.changed())
                  .singleElement()
                  .asString()
                  .contains("max7Days changed from 2 to 1");
            });
    assertThat(p.candidate().rows())
        .anySatisfy(t -> assertThat(t.decision()).isEqualTo("Quadrant"));
  }

  @Test
  void thePreviewOfTheActiveVersion_findsNothingThatDiffers() {
    DecisionPreview p = registry.preview(1, scenario("q4-relationship-champion"));

    assertThat(p.differences()).isEmpty();
    assertThat(p.causes()).isEmpty();
    assertThat(p.candidate().decision().actions()).isEqualTo(p.active().decision().actions());
  }

  @Test
  void theBundledTables_validateWithoutWarnings() {
    List<RuleSetMessage> messages = registry.gate(1).messages();

    assertThat(messages).as("validation messages of the bundled rule set").isEmpty();
  }
}
