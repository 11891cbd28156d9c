package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.DmnEvaluator.DecisionInfo;
import io.nextbest.engine.DmnEvaluator.Evaluation;
import io.nextbest.engine.DmnEvaluator.InputInfo;
import io.nextbest.engine.DmnEvaluator.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DmnEvaluatorTest {
  private static final String MODEL = "Hit Policies";
  private static RuleSet ruleSet;

  @BeforeAll
  static void compile() throws IOException {
    byte[] model;
    try (InputStream in =
        DmnEvaluatorTest.class.getClassLoader().getResourceAsStream("dmn/hit-policies.dmn")) {
      assertThat(in).as("dmn/hit-policies.dmn on the test class path").isNotNull();
      model = in.readAllBytes();
    }
    RuleSetSource source =
        RuleSetSource.directory(Path.of("../rules/src/main/resources/nextbest/ruleset"), "bundled")
            .with("standalone", Map.of("dmn/hit-policies.dmn", model));
    ruleSet = RuleSet.compile(source);
  }

  private static Evaluation eval(String json) {
    return eval(MODEL, json);
  }

  private static Evaluation eval(String model, String json) {
    try {
      return DmnEvaluator.evaluate(ruleSet, model, DmnEvaluator.jsonMapper().readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String json) {
    try {
      return DmnEvaluator.jsonMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * JSON equality with numbers compared by value (a result's 2 is a decimal node, a parsed 2 an int
   * node).
   */
  private static void assertJson(JsonNode actual, String expected) {
    Comparator<JsonNode> byValue =
        (a, b) ->
            a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue())
                : (a.equals(b) ? 0 : 1);
    assertThat(actual.equals(byValue, json(expected)))
        .as("%s equals %s", actual, expected)
        .isTrue();
  }

  private static String text(Evaluation e, String decision) {
    return e.result(decision).textValue();
  }

  private static BigDecimal number(Evaluation e, String decision) {
    JsonNode n = e.result(decision);
    assertThat(n.isNumber()).as(decision + " is a number: " + n).isTrue();
    return n.decimalValue();
  }

  private static List<FieldError> errorsOf(String json) {
    try {
      eval(json);
    } catch (InvalidContextException e) {
      return e.errors();
    }
    throw new AssertionError("expected an InvalidContextException for " + json);
  }

  // ------------------------------------------------------------------------------ models()

  @Test
  void models_listsEveryModelSortedByName_includingTheStandaloneOne() {
    assertThat(DmnEvaluator.models(ruleSet))
        .extracting(ModelInfo::name)
        .containsExactly(
            "Contact Policy", "Gap Policy", MODEL, "Quadrant Classification", "Quadrant Strategy");
  }

  @Test
  void models_describesEachInputsTypeCollectionAndNestedFields() {
    ModelInfo m =
        DmnEvaluator.models(ruleSet).stream()
            .filter(x -> x.name().equals(MODEL))
            .findFirst()
            .orElseThrow();
    assertThat(m.namespace()).isEqualTo("https://nextbest.io/dmn/hit-policies");
    assertThat(m.inputs())
        .extracting(InputInfo::name, InputInfo::type, InputInfo::feelType, InputInfo::collection)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Amount", "number", "number", false),
            org.assertj.core.groups.Tuple.tuple("Anything", "Any", "Any", false),
            org.assertj.core.groups.Tuple.tuple("Applicant", "tApplicant", "context", false),
            org.assertj.core.groups.Tuple.tuple("Clock", "time", "time", false),
            org.assertj.core.groups.Tuple.tuple("Day", "date", "date", false),
            org.assertj.core.groups.Tuple.tuple("Dependants", "tDependants", "context", true),
            org.assertj.core.groups.Tuple.tuple("Flag", "boolean", "boolean", false),
            org.assertj.core.groups.Tuple.tuple("Label", "string", "string", false),
            org.assertj.core.groups.Tuple.tuple("Moment", "date and time", "date and time", false),
            org.assertj.core.groups.Tuple.tuple("Scores", "tNumbers", "number", true),
            org.assertj.core.groups.Tuple.tuple(
                "Term", "years and months duration", "years and months duration", false),
            org.assertj.core.groups.Tuple.tuple(
                "Wait", "days and time duration", "days and time duration", false));
    InputInfo applicant =
        m.inputs().stream().filter(i -> i.name().equals("Applicant")).findFirst().orElseThrow();
    assertThat(applicant.fields())
        .extracting(InputInfo::name, InputInfo::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("name", "string"),
            org.assertj.core.groups.Tuple.tuple("birthDate", "date"),
            org.assertj.core.groups.Tuple.tuple("income", "number"),
            org.assertj.core.groups.Tuple.tuple("address", "address"));
    assertThat(applicant.fields().get(3).fields())
        .extracting(InputInfo::name, InputInfo::feelType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("city", "string"),
            org.assertj.core.groups.Tuple.tuple("since", "date"));
    InputInfo dependants =
        m.inputs().stream().filter(i -> i.name().equals("Dependants")).findFirst().orElseThrow();
    assertThat(dependants.fields()).extracting(InputInfo::name).containsExactly("name", "age");
    assertThat(m.decisions())
        .contains(
            new DecisionInfo("Collect Sum", "number", false),
            new DecisionInfo("Rule Order", "tStrings", true),
            new DecisionInfo("Unique Band", "tBand", false));
  }

  @Test
  void models_reportsTheAllowedValuesOfConstrainedTypes() {
    ModelInfo qc =
        DmnEvaluator.models(ruleSet).stream()
            .filter(x -> x.name().equals("Quadrant Classification"))
            .findFirst()
            .orElseThrow();
    assertThat(qc.inputs())
        .extracting(InputInfo::name, InputInfo::type, InputInfo::feelType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Engagement Index", "tIndex", "number"),
            org.assertj.core.groups.Tuple.tuple("Experience Index", "tIndex", "number"));
    assertThat(qc.inputs().get(0).allowedValues()).containsExactly("[0..100]");
  }

  // ------------------------------------------------------------------------------ hit policies

  @Test
  void unique_returnsTheOneMatchingRow_andANullAmountMatchesTheNullRow() {
    assertThat(text(eval("{\"Amount\": 50}"), "Unique Band")).isEqualTo("LOW");
    assertThat(text(eval("{\"Amount\": 500}"), "Unique Band")).isEqualTo("MEDIUM");
    assertThat(text(eval("{\"Amount\": 1000}"), "Unique Band")).isEqualTo("HIGH");
    assertThat(text(eval("{\"Amount\": null}"), "Unique Band")).isEqualTo("NONE");
    assertThat(eval("{\"Amount\": null}").outcome("Unique Band").status()).isEqualTo("SUCCEEDED");
  }

  @Test
  void first_returnsTheFirstMatchingRowInTableOrder() {
    assertThat(text(eval("{\"Amount\": 501}"), "First Match")).isEqualTo("big");
    assertThat(text(eval("{\"Amount\": 500}"), "First Match")).isEqualTo("medium");
    assertThat(text(eval("{\"Amount\": 100}"), "First Match")).isEqualTo("small");
  }

  @Test
  void
      anEvaluation_namesTheRowsEachTableMatched_withTheirIdsAnnotationsAndWhichTheHitPolicySelected() {
    Evaluation e = eval("{\"Amount\": 501}");

    DmnEvaluator.TableMatch first =
        e.tables().stream()
            .filter(t -> "First Match".equals(t.decision()))
            .findFirst()
            .orElseThrow();
    assertThat(first.model()).isEqualTo(MODEL);
    assertThat(first.table()).isEqualTo("_HP_FirstMatch_dt");
    assertThat(first.hitPolicy()).isEqualTo("FIRST");
    DmnEvaluator.RowMatch big =
        first.matched().stream().filter(DmnEvaluator.RowMatch::selected).findFirst().orElseThrow();
    assertThat(big.row()).isEqualTo(1);
    assertThat(big.id()).isEqualTo("_HP_FirstMatch_dt_r01");
    assertThat(big.annotation()).isEqualTo("Over 500.");
    assertThat(first.matched().stream().filter(DmnEvaluator.RowMatch::selected)).hasSize(1);
    // a smaller amount matches other rows
    DmnEvaluator.TableMatch small =
        eval("{\"Amount\": 100}").tables().stream()
            .filter(t -> "First Match".equals(t.decision()))
            .findFirst()
            .orElseThrow();
    assertThat(small.matched())
        .extracting(DmnEvaluator.RowMatch::id)
        .containsExactly("_HP_FirstMatch_dt_r03");
  }

  @Test
  void priority_selectsOneOfSeveralMatchingRows() {
    DmnEvaluator.TableMatch p =
        eval("{\"Amount\": 1500}").tables().stream()
            .filter(t -> "Priority Band".equals(t.decision()))
            .findFirst()
            .orElseThrow();

    assertThat(p.hitPolicy()).isEqualTo("PRIORITY");
    assertThat(p.matched().size()).isGreaterThan(1);
    assertThat(p.matched().stream().filter(DmnEvaluator.RowMatch::selected)).hasSize(1);
  }

  @Test
  void everyTableOfTheVersion_isListedWithItsRows() {
    List<DmnEvaluator.TableInfo> tables = DmnEvaluator.tables(ruleSet);

    DmnEvaluator.TableInfo first =
        tables.stream()
            .filter(t -> "_HP_FirstMatch_dt".equals(t.table()))
            .findFirst()
            .orElseThrow();
    assertThat(first.decision()).isEqualTo("First Match");
    assertThat(first.inputs()).containsExactly("Amount");
    assertThat(first.rows())
        .extracting(DmnEvaluator.RowInfo::id)
        .containsExactly("_HP_FirstMatch_dt_r01", "_HP_FirstMatch_dt_r02", "_HP_FirstMatch_dt_r03");
    assertThat(first.rows().get(0).inputs()).containsExactly("> 500");
    assertThat(tables)
        .extracting(DmnEvaluator.TableInfo::model)
        .contains("Quadrant Classification", "Quadrant Strategy", "Contact Policy");
  }

  @Test
  void priority_returnsTheMatchingOutputListedFirstInTheOutputValues() {
    assertThat(text(eval("{\"Amount\": 1500}"), "Priority Band")).isEqualTo("HIGH");
    assertThat(text(eval("{\"Amount\": 500}"), "Priority Band")).isEqualTo("MEDIUM");
    assertThat(text(eval("{\"Amount\": 5}"), "Priority Band")).isEqualTo("LOW");
    assertThat(text(eval("{\"Amount\": -5}"), "Priority Band")).isEqualTo("NONE");
  }

  @Test
  void any_returnsTheOutputTheMatchingRowsAgreeOn() {
    assertThat(text(eval("{\"Amount\": 500, \"Flag\": true}"), "Any Match")).isEqualTo("APPROVE");
    assertThat(text(eval("{\"Amount\": 5, \"Flag\": true}"), "Any Match")).isEqualTo("APPROVE");
    assertThat(text(eval("{\"Amount\": 5, \"Flag\": false}"), "Any Match")).isEqualTo("DECLINE");
  }

  @Test
  void ruleOrder_returnsEveryMatchInTableOrder() {
    assertJson(
        eval("{\"Amount\": 1500}").result("Rule Order"),
        "[\"positive\", \"over 100\", \"over 1000\"]");
    assertJson(eval("{\"Amount\": 0}").result("Rule Order"), "[\"not positive\"]");
  }

  @Test
  void outputOrder_returnsEveryMatchSortedByTheOutputValues_notByRule() {
    assertJson(
        eval("{\"Amount\": 1500}").result("Output Order"), "[\"HIGH\", \"MEDIUM\", \"LOW\"]");
    assertJson(eval("{\"Amount\": 500}").result("Output Order"), "[\"MEDIUM\", \"LOW\"]");
  }

  @Test
  void collect_withoutAggregation_returnsEveryMatchingOutput() {
    Evaluation e = eval("{\"Amount\": 500}");
    assertThat(e.result("Collect All"))
        .extracting(JsonNode::decimalValue)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.1"), new BigDecimal("0.2"), new BigDecimal("2.5"));
  }

  @Test
  void collect_aggregatesSumCountMinAndMax() {
    Evaluation e = eval("{\"Amount\": 500}");
    assertThat(number(e, "Collect Sum")).isEqualByComparingTo("2.8");
    assertThat(number(e, "Collect Count")).isEqualByComparingTo("3");
    assertThat(number(e, "Collect Min")).isEqualByComparingTo("0.1");
    assertThat(number(e, "Collect Max")).isEqualByComparingTo("2.5");
    Evaluation big = eval("{\"Amount\": 1500}");
    assertThat(number(big, "Collect Sum")).isEqualByComparingTo("102.8");
    assertThat(number(big, "Collect Count")).isEqualByComparingTo("4");
    assertThat(number(big, "Collect Max")).isEqualByComparingTo("100");
  }

  // ------------------------------------------------------------------------------ numbers

  @Test
  void decimals_areExact_pointOnePlusPointTwoIsPointThree() {
    assertThat(number(eval("{\"Amount\": 0.1}"), "Amount Plus Two Tenths"))
        .isEqualTo(new BigDecimal("0.3"));
    assertThat(number(eval("{\"Scores\": [0.1, 0.2]}"), "Score Total"))
        .isEqualTo(new BigDecimal("0.3"));
  }

  @Test
  void decimals_readAsDoubles_stillConvertFromTheirShortestDecimalForm() throws Exception {
    JsonNode inputs = Json.mapper().readTree("{\"Amount\": 0.1}");
    assertThat(inputs.get("Amount").isDouble()).isTrue();
    assertThat(
            DmnEvaluator.evaluate(ruleSet, MODEL, inputs)
                .result("Amount Plus Two Tenths")
                .decimalValue())
        .isEqualTo(new BigDecimal("0.3"));
  }

  @Test
  void aThirtyDigitDecimal_roundTripsExactly_andWritesWithoutAnExponent() throws Exception {
    String digits = "12345678901234567890.1234567891";
    Evaluation e = eval("{\"Amount\": " + digits + "}");
    assertThat(number(e, "Amount Echo")).isEqualTo(new BigDecimal(digits));
    assertThat(number(e, "Amount Plus Two Tenths"))
        .isEqualTo(new BigDecimal("12345678901234567890.3234567891"));
    String written = DmnEvaluator.jsonMapper().writeValueAsString(e);
    assertThat(written).contains(digits).contains("12345678901234567890.3234567891");
    assertThat(
            DmnEvaluator.jsonMapper()
                .writeValueAsString(eval("{\"Amount\": 0.0000001}").result("Amount Echo")))
        .isEqualTo("0.0000001");
    // a positive exponent in the input never reaches the output, whichever mapper writes it
    assertThat(Json.mapper().writeValueAsString(eval("{\"Amount\": 1E+3}").result("Amount Echo")))
        .isEqualTo("1000");
  }

  // ------------------------------------------------------------------------------ temporals

  @Test
  void dates_roundTrip_andAddYearsAndMonths() {
    Evaluation e = eval("{\"Day\": \"2026-01-31\", \"Term\": \"P1Y1M\"}");
    assertThat(text(e, "Day Echo")).isEqualTo("2026-01-31");
    assertThat(text(e, "Day Plus Term")).isEqualTo("2027-02-28");
  }

  @Test
  void times_roundTrip_localWithAnOffsetOrWithAZone() {
    assertThat(text(eval("{\"Clock\": \"10:15:30\"}"), "Clock Echo")).isEqualTo("10:15:30");
    assertThat(text(eval("{\"Clock\": \"10:15\"}"), "Clock Echo")).isEqualTo("10:15:00");
    assertThat(text(eval("{\"Clock\": \"10:15:30.25\"}"), "Clock Echo")).isEqualTo("10:15:30.25");
    assertThat(text(eval("{\"Clock\": \"10:15:30+01:00\"}"), "Clock Echo"))
        .isEqualTo("10:15:30+01:00");
    assertThat(text(eval("{\"Clock\": \"10:15:30Z\"}"), "Clock Echo")).isEqualTo("10:15:30Z");
    assertThat(text(eval("{\"Clock\": \"10:15:30@Europe/Paris\"}"), "Clock Echo"))
        .isEqualTo("10:15:30@Europe/Paris");
    assertThat(number(eval("{\"Clock\": \"10:15:30+01:00\"}"), "Clock Hour"))
        .isEqualByComparingTo("10");
  }

  @Test
  void dateTimes_roundTrip_localWithAnOffsetOrWithAZone_andAddDaysAndTime() {
    assertThat(text(eval("{\"Moment\": \"2026-01-31T10:15:30\"}"), "Moment Echo"))
        .isEqualTo("2026-01-31T10:15:30");
    assertThat(text(eval("{\"Moment\": \"2026-01-31T10:15:30+01:00\"}"), "Moment Echo"))
        .isEqualTo("2026-01-31T10:15:30+01:00");
    assertThat(text(eval("{\"Moment\": \"2026-01-31T10:15:30Z\"}"), "Moment Echo"))
        .isEqualTo("2026-01-31T10:15:30Z");
    assertThat(
            text(eval("{\"Moment\": \"2026-01-31T10:15:30+01:00[Europe/Paris]\"}"), "Moment Echo"))
        .isEqualTo("2026-01-31T10:15:30+01:00[Europe/Paris]");
    assertThat(text(eval("{\"Moment\": \"2026-07-31T10:15:30@Europe/Paris\"}"), "Moment Echo"))
        .isEqualTo("2026-07-31T10:15:30+02:00[Europe/Paris]");
    assertThat(
            text(
                eval("{\"Moment\": \"2026-01-31T10:15:30+01:00\", \"Wait\": \"P1DT2H\"}"),
                "Moment Plus Wait"))
        .isEqualTo("2026-02-01T12:15:30+01:00");
  }

  @Test
  void daysAndTimeDurations_roundTrip_inDaysHoursMinutesSeconds() {
    Evaluation e = eval("{\"Wait\": \"P1DT2H30M\"}");
    assertThat(text(e, "Wait Echo")).isEqualTo("P1DT2H30M");
    assertThat(text(e, "Wait Doubled")).isEqualTo("P2DT5H");
    assertThat(text(eval("{\"Wait\": \"PT36H\"}"), "Wait Echo")).isEqualTo("P1DT12H");
    assertThat(text(eval("{\"Wait\": \"-PT1.5S\"}"), "Wait Echo")).isEqualTo("-PT1.5S");
    assertThat(text(eval("{\"Wait\": \"PT0S\"}"), "Wait Echo")).isEqualTo("PT0S");
  }

  @Test
  void yearsAndMonthsDurations_roundTrip_normalisedToYearsAndMonths() {
    Evaluation e = eval("{\"Term\": \"P1Y2M\"}");
    assertThat(text(e, "Term Echo")).isEqualTo("P1Y2M");
    assertThat(text(e, "Term Plus Year")).isEqualTo("P2Y2M");
    assertThat(text(eval("{\"Term\": \"P14M\"}"), "Term Echo")).isEqualTo("P1Y2M");
    assertThat(text(eval("{\"Term\": \"-P3M\"}"), "Term Echo")).isEqualTo("-P3M");
    assertThat(text(eval("{\"Term\": \"P0Y\"}"), "Term Echo")).isEqualTo("P0M");
  }

  // ------------------------------------------------------------------------------ structures

  @Test
  void lists_convertElementByElement_inOrder() {
    Evaluation e =
        eval(
            "{\"Scores\": [1, 2.5, 3], \"Dependants\": [{\"name\": \"Bo\", \"age\": 3}, {\"name\": \"Cy\", \"age\": 7}]}");
    assertJson(e.result("Scores Doubled"), "[2, 5.0, 6]");
    assertJson(e.result("Dependant Ages"), "[3, 7]");
    assertJson(eval("{\"Scores\": []}").result("Scores Doubled"), "[]");
  }

  @Test
  void nestedContexts_roundTrip_andFeedAContextBuiltFromTheInputs() {
    String applicant =
        "{\"name\": \"Ann\", \"birthDate\": \"1990-02-01\", \"income\": 36000, \"address\": {\"city\": \"Leeds\", \"since\": \"2020-05-01\"}}";
    Evaluation e = eval("{\"Applicant\": " + applicant + ", \"Day\": \"2026-01-31\"}");
    assertJson(e.result("Applicant Echo"), applicant);
    assertJson(
        e.result("Applicant Summary"),
        "{\"name\": \"Ann\", \"city\": \"Leeds\", \"since\": \"2020-05-01\", \"ageOnDay\": 35, \"monthlyIncome\": 3000}");
  }

  @Test
  void nestedContexts_leaveUndeclaredFieldsOutAndAbsentFieldsNull() {
    Evaluation e = eval("{\"Applicant\": {\"name\": \"Ann\", \"address\": null}}");
    assertJson(
        e.result("Applicant Echo"),
        "{\"name\": \"Ann\", \"birthDate\": null, \"income\": null, \"address\": null}");
  }

  @Test
  void anyTypedInputs_convertByTheirJsonShape() {
    String value = "{\"a\": 1.5, \"b\": [\"x\", true, null], \"c\": {\"d\": \"2026-01-01\"}}";
    assertJson(eval("{\"Anything\": " + value + "}").result("Anything Echo"), value);
    assertJson(eval("{\"Anything\": \"2026-01-01\"}").result("Anything Echo"), "\"2026-01-01\"");
  }

  // ------------------------------------------------------------------------------ nulls

  @Test
  void nullAndMissingInputs_areNull_andTheTablesMatchTheirNullRows() {
    for (String inputs :
        List.of(
            "{}",
            "{\"Amount\": null, \"Label\": null, \"Day\": null, \"Scores\": null, \"Applicant\": null}")) {
      Evaluation e = eval(inputs);
      assertThat(text(e, "Unique Band")).isEqualTo("NONE");
      assertThat(e.result("Label Missing").booleanValue()).isTrue();
      assertThat(e.result("Amount Echo").isNull()).isTrue();
      assertThat(e.result("Day Echo").isNull()).isTrue();
      assertThat(e.result("Applicant Echo").isNull()).isTrue();
      assertJson(e.result("Collect All"), "[0.1]");
      assertThat(number(e, "Collect Count")).isEqualByComparingTo("1");
      assertThat(e.decisions()).hasSize(32);
    }
  }

  @Test
  void aNullResult_isWrittenAsJsonNull() throws Exception {
    String written =
        DmnEvaluator.jsonMapper().writeValueAsString(eval("{}").outcome("Amount Echo"));
    assertThat(written)
        .isEqualTo(
            "{\"name\":\"Amount Echo\",\"status\":\"SUCCEEDED\",\"result\":null,\"id\":\"_HP_AmountEcho\"}");
  }

  // ------------------------------------------------------------------------------ errors

  @Test
  void badInputValues_nameEveryFieldWithItsPath() {
    List<FieldError> errors =
        errorsOf(
            "{\"Day\": \"2026-13-01\", \"Amount\": {\"x\": 1}, \"Label\": 5, \"Flag\": \"true\", \"Clock\": \"25:00\","
                + " \"Moment\": \"2026-02-30T10:00:00\", \"Wait\": \"P1Y\", \"Term\": \"P1D\", \"Scores\": [1, \"two\"],"
                + " \"Applicant\": {\"birthDate\": \"01/02/1990\", \"nickname\": \"A\", \"address\": {\"since\": 2020}},"
                + " \"Dependants\": [{\"age\": \"3\"}], \"Nope\": 1}");
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "Nope",
            "Day",
            "Amount",
            "Label",
            "Flag",
            "Clock",
            "Moment",
            "Wait",
            "Term",
            "Scores[1]",
            "Applicant.birthDate",
            "Applicant.nickname",
            "Applicant.address.since",
            "Dependants[0].age");
    assertThat(errors)
        .filteredOn(f -> f.field().equals("Day"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("date").contains("2026-13-01"));
    assertThat(errors)
        .filteredOn(f -> f.field().equals("Amount"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).isEqualTo("expects a number, got an object"));
    assertThat(errors)
        .filteredOn(f -> f.field().equals("Nope"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("not an input of 'Hit Policies'")
                    .contains("Amount"));
    assertThat(errors)
        .filteredOn(f -> f.field().equals("Applicant.nickname"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("not a field of tApplicant"));
  }

  @Test
  void aValueOutsideItsTypesAllowedValues_namesTheField() {
    assertThatThrownBy(
            () ->
                eval(
                    "Quadrant Classification",
                    "{\"Experience Index\": 150, \"Engagement Index\": 10}"))
        .isInstanceOf(InvalidContextException.class)
        .satisfies(
            e ->
                assertThat(((InvalidContextException) e).errors())
                    .singleElement()
                    .satisfies(
                        f -> {
                          assertThat(f.field()).isEqualTo("Experience Index");
                          assertThat(f.message()).contains("tIndex").contains("[0..100]");
                        }));
  }

  @Test
  void inputsThatAreNotAnObject_areRejected() {
    assertThat(errorsOf("[1, 2]")).extracting(FieldError::field).containsExactly("$");
  }

  @Test
  void anUnknownModel_isRejectedWithTheKnownModels() {
    assertThatThrownBy(() -> eval("No Such Model", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(InvalidContextException.class)
        .hasMessageContaining("No Such Model")
        .hasMessageContaining(
            "[Contact Policy, Gap Policy, Hit Policies, Quadrant Classification, Quadrant Strategy]");
  }

  // ------------------------------------------------------------------------------ bundled models

  @Test
  void theBundledQuadrantClassification_isAnEndpointToo() {
    Evaluation e =
        eval("Quadrant Classification", "{\"Experience Index\": 60, \"Engagement Index\": 49.9}");
    assertThat(text(e, "Quadrant")).isEqualTo("Q2");
    assertThat(text(e, "Experience Level")).isEqualTo("HIGH");
    assertThat(text(e, "Engagement Level")).isEqualTo("LOW");
    assertThat(e.decisions()).allSatisfy(d -> assertThat(d.status()).isEqualTo("SUCCEEDED"));
    assertThat(e.failed()).isFalse();
  }

  @Test
  void aFailingDecision_reportsItsStatusAndAnErrorNamingIt_whileTheOthersSucceed() {
    Evaluation e =
        eval("{\"Applicant\": {\"name\": \"Ann\"}, \"Day\": \"2026-01-31\", \"Amount\": 5}");
    assertThat(e.outcome("Applicant Summary").status()).isEqualTo("FAILED");
    assertThat(e.result("Applicant Summary").isNull()).isTrue();
    assertThat(text(e, "Unique Band")).isEqualTo("LOW");
    assertThat(e.failed()).isTrue();
    // the FEEL error is reported on the decision's expression, the node error on the decision: both
    // name it
    assertThat(e.messages())
        .filteredOn(m -> m.severity().equals("ERROR"))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            m -> {
              assertThat(m.decision()).isEqualTo("Applicant Summary");
              assertThat(m.sourceId()).startsWith("_HP_ApplicantSummary");
              assertThat(m.text()).isNotBlank();
            });
    assertThat(e.messages())
        .anySatisfy(m -> assertThat(m.text()).contains("years and months duration"));
  }
}
