package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broken rule set never compiles, and says where it is broken. */
class RuleSetCompilationTest {
  static RuleSetSource changed(String path, String content) {
    return BundledRuleSet.SOURCE.with(
        "broken", Map.of(path, content.getBytes(StandardCharsets.UTF_8)));
  }

  static RuleSetException failure(RuleSetSource source) {
    try {
      RuleSet.compile(source);
    } catch (RuleSetException e) {
      return e;
    }
    throw new AssertionError("compiled although broken");
  }

  @Test
  void aRuleSetWhoseRulesStillMatchCandidates_getsThem() {
    String legacy =
        """
        package io.nextbest.rules;
        import io.nextbest.engine.facts.Candidate;
        rule "HoldTheCommunityInviteTheOldWay"
          @guidance("G6")
        when
          $c : Candidate( id == "community-invite" )
        then
          $c.suppress(drools, "written against candidates", "never");
        end
        """;
    RuleSet rs = RuleSet.compile(changed("drl/legacy.drl", legacy));
    var d =
        io.nextbest.engine.DecisionEngine.builder()
            .ruleSet(rs)
            .build()
            .decide(Given.satisfiedQuietCustomer("legacy").context());
    assertThat(d.suppressed())
        .filteredOn(s -> s.actionId().equals("community-invite"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.by())
                    .extracting(b -> b.rule())
                    .contains("HoldTheCommunityInviteTheOldWay"));
  }

  @Test
  void drlSyntaxError_isReportedWithFileAndLine() {
    String drl =
        BundledRuleSet.SOURCE
            .text("drl/timing.drl")
            .replace("$plan.weigh(drools, Target.family(", "$plan.weigh(drools,, Target.family(");
    RuleSetException e = failure(changed("drl/timing.drl", drl));
    assertThat(e.messages())
        .anySatisfy(
            m -> {
              assertThat(m.level()).isEqualTo("ERROR");
              assertThat(m.file()).isEqualTo("drl/timing.drl");
              assertThat(m.line()).isPositive();
            });
  }

  @Test
  void invalidFeel_isReportedWithTheDmnElement() {
    String dmn =
        BundledRuleSet.SOURCE
            .text("dmn/contact-policy.dmn")
            .replaceFirst("&lt; 30", "&lt;&lt; 30 +");
    RuleSetException e = failure(changed("dmn/contact-policy.dmn", dmn));
    assertThat(e.messages())
        .anySatisfy(
            m -> {
              assertThat(m.file()).isEqualTo("dmn/contact-policy.dmn");
              assertThat(m.element()).isNotBlank();
            });
  }

  @Test
  void duplicateCatalogueIds_andUnknownIndexComponents_areRejected() {
    String catalogue = BundledRuleSet.SOURCE.text("catalogue.json");
    String dup =
        catalogue.replace("\"id\": \"value-usage-tips\"", "\"id\": \"value-onboarding-guide\"");
    assertThat(failure(changed("catalogue.json", dup)).messages())
        .extracting(RuleSetMessage::text)
        .anyMatch(t -> t.contains("duplicate"));
    String indices = BundledRuleSet.SOURCE.text("indices.json").replace("\"depth\"", "\"dept\"");
    assertThat(failure(changed("indices.json", indices)).messages())
        .extracting(RuleSetMessage::text)
        .anyMatch(t -> t.contains("dept"));
  }

  @Test
  void missingDmnModel_isRejected() {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (String p : BundledRuleSet.SOURCE.paths()) {
      if (!p.equals("dmn/contact-policy.dmn")) {
        files.put(p, BundledRuleSet.SOURCE.bytes(p));
      }
    }
    assertThatThrownBy(() -> RuleSet.compile(RuleSetSource.of("no-contact", files)))
        .isInstanceOf(RuleSetException.class)
        .hasMessageContaining("Contact Policy");
  }

  @Test
  void bundledRuleSet_compilesWithoutErrors_andReportsItsVersion() {
    assertThat(BundledRuleSet.RULES.version())
        .startsWith("bundled@")
        .hasSize("bundled@".length() + 12);
    assertThat(BundledRuleSet.RULES.ruleCount()).isGreaterThanOrEqualTo(50);
    assertThat(BundledRuleSet.RULES.catalogue()).hasSizeGreaterThanOrEqualTo(20);
  }
}
