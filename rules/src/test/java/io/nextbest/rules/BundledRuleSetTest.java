package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import org.junit.jupiter.api.Test;

class BundledRuleSetTest {
  @Test
  void bundledRuleSet_compilesAndDecides() throws Exception {
    RuleSet rs = RuleSet.compile(RuleSetSource.bundled());
    System.out.println("compiled in " + rs.compileTime() + " rules=" + rs.ruleCount() + " warnings=" + rs.warnings());
    DecisionEngine engine = DecisionEngine.builder().ruleSet(rs).build();
    String json = """
      {"customerId":"c-1","asOf":"2026-11-23T10:00:00Z",
       "profile":{"csat":[{"at":"2026-11-01T10:00:00Z","value":5}],
                  "complaints":[{"id":"C-12","openedAt":"2026-11-14T10:00:00Z","severity":"HIGH","product":"BROADBAND"}],
                  "consent":{"EMAIL":true,"SMS":true},
                  "products":[{"product":"BROADBAND","since":"2024-01-01T00:00:00Z"}]},
       "interaction":{"channel":"PHONE","reason":"billing","sentiment":"NEGATIVE"}}
      """;
    CustomerContext ctx = Json.mapper().readValue(json, CustomerContext.class);
    Decision d = engine.decide(ctx);
    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d));
    assertThat(d.actions()).isNotEmpty();
  }
}
