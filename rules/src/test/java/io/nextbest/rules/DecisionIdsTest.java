package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionIdsTest {
  /** The embedded audit trail's id index is appended to only if later ids sort later. */
  @Test
  void defaultIds_areUnique_andSortByWhenTheyWereMade() throws InterruptedException {
    DecisionEngine engine =
        DecisionEngine.builder().ruleSet(RuleSet.compile(RuleSetSource.bundled())).build();
    String first = engine.newDecisionId();
    Thread.sleep(2);
    String later = engine.newDecisionId();
    assertThat(first).matches("d-[0-9a-f]{27}");
    assertThat(later).isGreaterThan(first);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(engine.newDecisionId());
    }
    assertThat(ids).hasSize(100_000);
  }
}
