package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.RuleSetSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static final RuleSetSource BUNDLED = RuleSetSource.bundled();
  private static final String CLASSIFICATION = "dmn/quadrant-classification.dmn";
  private static final String CONTACT = "dmn/contact-policy.dmn";

  private static RuleSetSource apply(String... settings) {
    return Overrides.apply(BUNDLED, Overrides.parse(List.of(settings)), "test");
  }

  @Test
  void experienceThreshold_rewritesBothComparisonCells_andNothingElse() {
    String before = BUNDLED.text(CLASSIFICATION);
    String after = apply("experience.threshold=70").text(CLASSIFICATION);
    assertThat(before).contains("<text>&gt;= 60</text>").contains("<text>&lt; 60</text>");
    assertThat(after)
        .contains("<text>&gt;= 70</text>")
        .contains("<text>&lt; 70</text>")
        .doesNotContain("<text>&gt;= 60</text>");
    assertThat(after).contains("<text>&gt;= 50</text>").contains("<text>&lt; 50</text>");
  }

  @Test
  void contactCap_rewritesTheRowsOfThatQuadrantOnly() {
    RuleSetSource s = apply("cap.Q3.max7Days=2");
    String after = s.text(CONTACT);
    String before = BUNDLED.text(CONTACT);
    assertThat(after).isNotEqualTo(before);
    assertThat(q3Outputs(after)).allSatisfy(o -> assertThat(o[0]).isEqualTo("2"));
    assertThat(q3Outputs(before)).allSatisfy(o -> assertThat(o[0]).isEqualTo("1"));
    assertThat(s.text("dmn/quadrant-classification.dmn"))
        .isEqualTo(BUNDLED.text("dmn/quadrant-classification.dmn"));
  }

  /** [max7Days, max30Days] of each Q3 row, read naively from the XML. */
  private static List<String[]> q3Outputs(String xml) {
    List<String[]> out = new java.util.ArrayList<>();
    java.util.regex.Matcher rule =
        java.util.regex.Pattern.compile(
                "<rule id=\"_CP_ContactLimits_dt_r\\d+\">(.*?)</rule>",
                java.util.regex.Pattern.DOTALL)
            .matcher(xml);
    while (rule.find()) {
      String body = rule.group(1);
      if (body.contains("<text>\"Q3\"</text>")) {
        java.util.regex.Matcher o =
            java.util.regex.Pattern.compile("<outputEntry[^>]*>\\s*<text>([^<]*)</text>")
                .matcher(body);
        o.find();
        String a = o.group(1);
        o.find();
        out.add(new String[] {a, o.group(1)});
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  @Test
  void gapPolicyWindow_isAWhatIf_theOldThirtyDaysStopsFailuresOver45DaysCompounding() {
    String json =
        """
        {"customerId": "w45", "asOf": "2026-11-20T12:00:00Z",
         "profile": {"failedInteractions": [
           {"at": "2026-11-18T12:00:00Z", "channel": "APP"},
           {"at": "2026-10-31T12:00:00Z", "channel": "APP"},
           {"at": "2026-10-06T12:00:00Z", "channel": "WEB"}]}}
        """;
    io.nextbest.engine.model.CustomerContext ctx;
    try {
      ctx =
          io.nextbest.engine.Json.mapper()
              .readValue(json, io.nextbest.engine.model.CustomerContext.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    java.util.function.Function<RuleSetSource, Boolean> compounding =
        src ->
            io.nextbest.engine.DecisionEngine.builder()
                .ruleSet(Fixtures.compile(src))
                .build()
                .decide(ctx)
                .indices()
                .hasFlag("COMPOUNDING_NEGATIVES");
    assertThat(compounding.apply(BUNDLED)).as("bundled 60-day window").isTrue();
    assertThat(compounding.apply(apply("gap.compoundingWindowDays=30"))).isFalse();
    assertThat(compounding.apply(apply("gap.compoundingCount=4"))).isFalse();
  }

  @Test
  void gapPolicySeverities_becomeAFeelList_andUnknownEntriesAreNamed() {
    assertThat(apply("gap.gapSeverities=high, critical").text("dmn/gap-policy.dmn"))
        .contains("<text>[\"HIGH\", \"CRITICAL\"]</text>");
    assertThatThrownBy(() -> apply("gap.windowDays=30"))
        .hasMessageContaining("no entry 'windowDays'")
        .hasMessageContaining("compoundingWindowDays");
    assertThatThrownBy(() -> Overrides.parse(List.of("gap.gapSeverities=HIGH,SEVERE")))
        .hasMessageContaining("'SEVERE' is not a severity");
    assertThatThrownBy(() -> Overrides.parse(List.of("gap.trendMinPoints=-1")))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void familyLever_rewritesArbitration() {
    String after = apply("lever.growth=0.5").text("arbitration.json");
    assertThat(after)
        .containsPattern("\"GROWTH\"\\s*:\\s*0.5")
        .containsPattern("\"LOYALTY\"\\s*:\\s*1.0");
  }

  @Test
  void overriddenRuleSet_compilesAndValidates_likeAnyVersion() {
    RuleSetSource s = apply("experience.threshold=70", "cap.Q1.max30Days=3", "lever.GROWTH=0.5");
    assertThat(Fixtures.compile(s).version()).startsWith("test@");
    assertThat(s.contentHash()).isNotEqualTo(BUNDLED.contentHash());
  }

  @Test
  void unknownKeys_andBadValues_failFast_sayingWhatWouldDo() {
    assertThatThrownBy(() -> Overrides.parse(List.of("experience.treshold=70")))
        .hasMessageContaining("unknown override")
        .hasMessageContaining("experience.threshold");
    assertThatThrownBy(() -> Overrides.parse(List.of("experience.threshold=high")))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> Overrides.parse(List.of("experience.threshold=170")))
        .hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> Overrides.parse(List.of("cap.Q5.max7Days=1")))
        .hasMessageContaining("unknown override");
    assertThatThrownBy(() -> Overrides.parse(List.of("cap.Q2.max7Days=1.5")))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Overrides.parse(List.of("lever.SPAM=1")))
        .hasMessageContaining("no action family SPAM");
    assertThatThrownBy(() -> Overrides.parse(List.of("lever.GROWTH")))
        .hasMessageContaining("not key=value");
    assertThatThrownBy(() -> SimulationSpec.builder().override("nonsense=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
