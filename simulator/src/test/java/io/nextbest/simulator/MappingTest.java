package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Proficiency;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingTest {
  @TempDir Path dir;

  private static Mapping parse(String yaml) {
    return MappingParser.parse(new StringReader(yaml), "test.yaml");
  }

  private static Problem problem(Throwable e) {
    assertThat(e).isInstanceOf(SimulationException.class);
    return ((SimulationException) e).problems().get(0);
  }

  /** Maps every row of {@code csv} with {@code yaml}; bad rows come back as problems. */
  private List<Object> mapAll(String yaml, String csv) throws IOException {
    Path data = Fixtures.write(dir.resolve("data.csv"), csv);
    List<Object> out = new ArrayList<>();
    try (MappedPopulation pop = MappedPopulation.open(Input.file(data), parse(yaml), 7)) {
      for (Population.Unit u = pop.next(); u != null; u = pop.next()) {
        try {
          out.add(u.materialise());
        } catch (BadRow b) {
          out.add(b.problem());
        }
      }
    }
    return out;
  }

  @Test
  void unknownKey_isNamedWithFileLineAndColumn_andTheKeysThatWouldDo() {
    assertThatThrownBy(() -> parse("id: customer\nprofile:\n  tenureMonth: { column: tenure }\n"))
        .satisfies(
            e -> {
              Problem p = problem(e);
              assertThat(p.file()).isEqualTo("test.yaml");
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.column()).isEqualTo(3);
              assertThat(p.field()).isEqualTo("profile.tenureMonth");
              assertThat(p.message())
                  .contains("unknown key 'tenureMonth'")
                  .contains("tenureMonths");
            });
  }

  @Test
  void constantOfTheWrongType_isRejectedWhereItIsWritten() {
    assertThatThrownBy(
            () ->
                parse(
                    "id: customer\nprofile:\n  preferredChannel:\n    column: pref\n    map: { a: EMAIL, b: FAX }\n"))
        .satisfies(
            e -> {
              Problem p = problem(e);
              assertThat(p.line()).isEqualTo(5);
              assertThat(p.message()).contains("'FAX'").contains("PHONE");
            });
  }

  @Test
  void missingId_andBadYaml_andSelfReference_areMappingErrors() {
    assertThatThrownBy(() -> parse("profile: {}\n"))
        .satisfies(e -> assertThat(problem(e).message()).contains("needs 'id'"));
    assertThatThrownBy(() -> parse("id: c\nprofile: [unclosed\n"))
        .satisfies(e -> assertThat(problem(e).message()).contains("not valid YAML"));
    assertThatThrownBy(
            () -> parse("id: c\nderive:\n  a: { ref: b }\n  b: { ref: a, multiply: 2 }\n"))
        .satisfies(
            e -> {
              assertThat(problem(e).message()).contains("depends on itself");
              assertThat(problem(e).line()).isEqualTo(3);
            });
  }

  @Test
  void columnMissingFromTheHeader_namesTheMappingLine_andSuggestsTheNearName() {
    assertThatThrownBy(
            () ->
                mapAll(
                    "id: id\nprofile:\n  tenureMonths: { column: tenure }\n", "id,Tenure\nA,3\n"))
        .satisfies(
            e -> {
              Problem p = problem(e);
              assertThat(p.file()).isEqualTo("test.yaml");
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.message())
                  .contains("'tenure' is not in the header")
                  .contains("did you mean 'Tenure'");
            });
  }

  @Test
  void valueMapsThresholdsCasesDerivedValuesAndDefaults_buildTheProfile() throws IOException {
    String yaml =
        """
        id: id
        asOf: "2025-03-01T09:00:00Z"
        outcome: { name: churn, column: left, positive: [Yes], negative: [No] }
        derive:
          services: { count: { columns: [tv, phone], equals: Yes } }
        profile:
          tenureMonths: { column: months }
          annualValue: { column: monthly, multiply: 12, round: 2 }
          preferredChannel: { column: billing, map: { paper: PHONE, online: EMAIL }, default: SMS }
          digitalProficiency:
            cases:
              - when: { column: age, atLeast: 70 }
                value: LOW
            default: HIGH
          purchases90d: { ref: services }
          consent:
            EMAIL: { when: { column: billing, equals: online } }
          csat:
            - value: { column: months, thresholds: [{ below: 6, value: 2 }, { below: 24, value: 4 }, { value: 5 }] }
              daysAgo: 10
          products:
            - { product: TV, when: { column: tv, equals: Yes } }
        """;
    List<Object> rows =
        mapAll(
            yaml,
            "id,months,monthly,billing,age,tv,phone,left\nA,3,10.5,online,30,Yes,Yes,Yes\nB,30,20,,75,No,No,No\n");
    CustomerContext a = ((Subject) rows.get(0)).points().get(0);
    CustomerContext b = ((Subject) rows.get(1)).points().get(0);
    assertThat(((Subject) rows.get(0)).outcome()).isTrue();
    assertThat(((Subject) rows.get(1)).outcome()).isFalse();
    assertThat(a.customerId()).isEqualTo("A");
    assertThat(a.asOf()).hasToString("2025-03-01T09:00:00Z");
    assertThat(a.profile().tenureMonths()).isEqualTo(3);
    assertThat(a.profile().annualValue()).isEqualTo(126.0);
    assertThat(a.profile().preferredChannel()).isEqualTo(Channel.EMAIL);
    assertThat(b.profile().preferredChannel()).isEqualTo(Channel.SMS);
    assertThat(a.profile().digitalProficiency()).isEqualTo(Proficiency.HIGH);
    assertThat(b.profile().digitalProficiency()).isEqualTo(Proficiency.LOW);
    assertThat(a.profile().purchases90d()).isEqualTo(2);
    assertThat(b.profile().purchases90d()).isZero();
    assertThat(a.profile().consents(Channel.EMAIL)).isTrue();
    assertThat(b.profile().consents(Channel.EMAIL)).isFalse();
    assertThat(a.profile().csat().get(0).value()).isEqualTo(2);
    assertThat(b.profile().csat().get(0).value()).isEqualTo(5);
    assertThat(a.profile().csat().get(0).at()).hasToString("2025-02-19T09:00:00Z");
    assertThat(a.profile().holds("TV")).isTrue();
    assertThat(b.profile().products()).isEmpty();
  }

  @Test
  void badCell_isABadRow_namingFileLineColumnNumberAndColumn() throws IOException {
    String yaml =
        "id: id\ncolumns:\n  months: { type: integer, min: 0 }\nprofile:\n  tenureMonths: { column: months }\n";
    List<Object> rows = mapAll(yaml, "id,months\nA,3\nB,three\nC,-2\nD,4\n");
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).isInstanceOf(Subject.class);
    Problem p = (Problem) rows.get(1);
    assertThat(p.file()).endsWith("data.csv");
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.column()).isEqualTo(2);
    assertThat(p.field()).isEqualTo("months");
    assertThat(p.message()).contains("'three' is not a number");
    assertThat(((Problem) rows.get(2)).message()).contains("below the minimum");
    assertThat(((Problem) rows.get(2)).line()).isEqualTo(4);
    assertThat(rows.get(3)).isInstanceOf(Subject.class);
  }

  @Test
  void wrongFieldCount_andAValueOutsideTheMap_areBadRows() throws IOException {
    String yaml = "id: id\nprofile:\n  preferredChannel: { column: c, map: { p: PHONE } }\n";
    List<Object> rows = mapAll(yaml, "id,c\nA,p\nB,p,extra\nC,q\n");
    assertThat(((Problem) rows.get(1)).message()).contains("expected 2 fields").contains("found 3");
    assertThat(((Problem) rows.get(1)).line()).isEqualTo(3);
    Problem q = (Problem) rows.get(2);
    assertThat(q.line()).isEqualTo(4);
    assertThat(q.column()).isEqualTo(2);
    assertThat(q.message()).contains("'q' is not in the value map");
  }

  @Test
  void quotedFieldsWithCommasAndNewlines_keepTheirLineNumbers() throws IOException {
    String yaml = "id: id\nprofile:\n  tenureMonths: { column: m }\n";
    List<Object> rows = mapAll(yaml, "id,m\n\"A, first\",1\n\"B\nsecond\",2\nC,x\n");
    assertThat(((Subject) rows.get(0)).customerId()).isEqualTo("A, first");
    assertThat(((Subject) rows.get(1)).customerId()).isEqualTo("B\nsecond");
    assertThat(((Problem) rows.get(2)).line()).isEqualTo(5);
  }

  @Test
  void aQuoteNeverClosed_isABadRowOnTheLineItOpens_andTheFileEndsThere() throws IOException {
    String yaml = "id: id\nprofile:\n  tenureMonths: { column: m }\n";
    List<Object> rows = mapAll(yaml, "id,m\r\nA,1\r\n\"B,2\r\nC,3\r\n");

    assertThat(rows).hasSize(2);
    assertThat(((Subject) rows.get(0)).customerId()).isEqualTo("A");
    Problem open = (Problem) rows.get(1);
    assertThat(open.line()).isEqualTo(3);
    assertThat(open.message()).containsIgnoringCase("quote");
  }

  @Test
  void jsonLines_mapLikeCsv_andNameTheFieldOfABadValue() throws IOException {
    Path data =
        Fixtures.write(
            dir.resolve("people.jsonl"),
            "{\"id\":\"A\",\"plan\":{\"months\":12}}\n\n{\"id\":\"B\",\"plan\":{\"months\":\"many\"}}\n{oops\n");
    Mapping m = parse("id: id\nprofile:\n  tenureMonths: { column: plan.months }\n");
    List<Object> out = new ArrayList<>();
    try (MappedPopulation pop = MappedPopulation.open(Input.file(data), m, 1)) {
      for (Population.Unit u = pop.next(); u != null; u = pop.next()) {
        try {
          out.add(u.materialise());
        } catch (BadRow b) {
          out.add(b.problem());
        }
      }
    }
    assertThat(((Subject) out.get(0)).points().get(0).profile().tenureMonths()).isEqualTo(12);
    Problem bad = (Problem) out.get(1);
    assertThat(bad.line()).isEqualTo(3);
    assertThat(bad.field()).isEqualTo("plan.months");
    assertThat(bad.column()).isNotNull();
    assertThat(((Problem) out.get(2)).line()).isEqualTo(4);
    assertThat(((Problem) out.get(2)).message()).contains("not valid JSON");
  }

  @Test
  void seededRandomAndChance_areStablePerCustomer_andChangeWithTheSeed() throws IOException {
    String yaml =
        "id: id\nprofile:\n  csat:\n    - { value: 3, daysAgo: { random: [1, 1000] }, when: { chance: 0.5 } }\n";
    Path data =
        Fixtures.write(
            dir.resolve("many.csv"),
            "id\n"
                + String.join(
                    "\n", java.util.stream.IntStream.range(0, 400).mapToObj(i -> "C" + i).toList())
                + "\n");
    List<String> seven1 = days(data, yaml, 7);
    List<String> seven2 = days(data, yaml, 7);
    List<String> eight = days(data, yaml, 8);
    assertThat(seven1).isEqualTo(seven2).isNotEqualTo(eight);
    long present = seven1.stream().filter(s -> !s.isEmpty()).count();
    assertThat(present).isBetween(150L, 250L);
  }

  private static List<String> days(Path data, String yaml, long seed) throws IOException {
    List<String> out = new ArrayList<>();
    try (MappedPopulation pop = MappedPopulation.open(Input.file(data), parse(yaml), seed)) {
      for (Population.Unit u = pop.next(); u != null; u = pop.next()) {
        var csat = u.materialise().points().get(0).profile().csat();
        out.add(csat.isEmpty() ? "" : csat.get(0).at().toString());
      }
    }
    return out;
  }
}
