package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleInfo;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps TRACEABILITY.md true to the rule set and the test suite. */
class TraceabilityTest {
  private static final Pattern ROW =
      Pattern.compile("^\\|\\s*(G\\d+)\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|\\s*$");
  private static final Pattern TICK = Pattern.compile("`([^`]+)`");

  record Row(String id, List<String> implementedBy, List<String> tests) {}

  private static Map<String, Row> rows;
  private static Map<String, RuleInfo> rules;

  @BeforeAll
  static void read() throws IOException {
    rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("TRACEABILITY.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(1), new Row(m.group(1), ticks(m.group(3)), ticks(m.group(4))));
      }
    }
    rules = new LinkedHashMap<>();
    for (RuleInfo r : BundledRuleSet.RULES.rules()) {
      rules.put(r.name(), r);
    }
  }

  private static List<String> ticks(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = TICK.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyGuidanceId_hasARowWithImplementationAndTests() {
    for (int i = 1; i <= 17; i++) {
      Row row = rows.get("G" + i);
      assertThat(row).as("row for G" + i).isNotNull();
      assertThat(row.implementedBy()).as("G" + i + " implemented by").isNotEmpty();
      assertThat(row.tests()).as("G" + i + " tests").isNotEmpty();
    }
  }

  @Test
  void everyNamedRule_existsAndCarriesTheId() {
    for (Row row : rows.values()) {
      for (String ref : row.implementedBy()) {
        if (ref.contains(":") || ref.endsWith(".json")) {
          continue;
        }
        assertThat(rules.keySet()).as(row.id() + " names rule " + ref).contains(ref);
        assertThat(rules.get(ref).guidance()).as(ref + " @guidance").contains(row.id());
      }
    }
  }

  @Test
  void everyRule_hasGuidanceMetadata_andIsTraced() {
    Set<String> traced = new HashSet<>();
    rows.values().forEach(r -> traced.addAll(r.implementedBy()));
    for (RuleInfo r : rules.values()) {
      assertThat(r.guidance())
          .as(r.name() + " @guidance")
          .isNotEmpty()
          .allMatch(g -> g.matches("G([1-9]|1[0-7])"));
      assertThat(traced).as("TRACEABILITY.md mentions " + r.name()).contains(r.name());
    }
  }

  @Test
  void everyDmnAndCodeReference_exists() throws Exception {
    for (Row row : rows.values()) {
      for (String ref : row.implementedBy()) {
        if (ref.startsWith("dmn:")) {
          String[] parts = ref.substring(4).split("/");
          boolean found = false;
          for (String path : BundledRuleSet.SOURCE.list("dmn", ".dmn")) {
            String xml = BundledRuleSet.SOURCE.text(path);
            found |=
                xml.contains("name=\"" + parts[0] + "\"")
                    && xml.contains("<decision id=")
                    && xml.contains("name=\"" + parts[1] + "\"");
          }
          assertThat(found).as(ref).isTrue();
        } else if (ref.startsWith("code:")) {
          String simple = ref.substring(5);
          boolean exists = false;
          for (String pkg :
              List.of(
                  "io.nextbest.engine.",
                  "io.nextbest.engine.facts.",
                  "io.nextbest.engine.events.")) {
            try {
              Class.forName(pkg + simple);
              exists = true;
            } catch (ClassNotFoundException e) {
              // try the next package
            }
          }
          assertThat(exists).as(ref).isTrue();
        }
      }
    }
  }

  @Test
  void everyNamedTest_exists() throws Exception {
    Set<String> scenarios = new HashSet<>();
    for (Scenario s : Scenarios.load(BundledRuleSet.SOURCE)) {
      scenarios.add(s.name());
    }
    for (Row row : rows.values()) {
      for (String ref : row.tests()) {
        if (ref.startsWith("scenario:")) {
          assertThat(scenarios).as(row.id() + " " + ref).contains(ref.substring(9));
          continue;
        }
        String[] parts = ref.split("#");
        Class<?> type = Class.forName("io.nextbest.rules." + parts[0].replace('.', '$'));
        if (parts.length == 2) {
          assertThat(type.getDeclaredMethod(parts[1])).as(ref).isNotNull();
        }
      }
    }
  }
}
