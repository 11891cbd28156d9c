package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.Quadrant;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DMN memo keys indices by level (the interval among the numbers the tables compare them with):
 * the answers must be those of evaluating the tables afresh, for every value, boundaries included,
 * and an index the tables use in any other way must fall back to keying by value.
 */
class DmnLevelMemoTest {
  private static final RuleSetSource BUNDLED = RuleSetSource.bundled();

  @Test
  void memoByLevel_answersAsTheTablesDo_atEveryValueAndBoundary() {
    DmnPolicies memo = RuleSet.compile(BUNDLED, "memo", true).dmn();
    assertThat(memo.keysByLevel()).isTrue();
    double[] probes = {
      0, 29.9, 30, 30.05, 39.99, 40, 49.95, 49.99, 50, 50.01, 59.94, 59.95, 60, 60.04, 70, 99.99,
      100
    };
    for (double e : probes) {
      for (double g : probes) {
        assertThat(memo.segment(e, g))
            .as("segment %s %s", e, g)
            .isEqualTo(memo.evaluateSegment(e, g));
      }
      for (Quadrant q : Quadrant.values()) {
        assertThat(memo.limits(q, e)).as("limits %s %s", q, e).isEqualTo(memo.evaluateLimits(q, e));
      }
    }
    for (int i = 0; i <= 10_000; i += 7) {
      double v = i / 100.0;
      assertThat(memo.segment(v, 100 - v)).isEqualTo(memo.evaluateSegment(v, 100 - v));
    }
  }

  @Test
  void anIndexUsedInALiteralExpression_isKeyedByValue_stillRight() {
    String path = "dmn/quadrant-classification.dmn";
    String xml = BUNDLED.text(path);
    // The threshold cell becomes an expression the level analysis cannot follow.
    String changed = xml.replace("<text>&gt;= 60</text>", "<text>&gt;= 59 + 1</text>");
    assertThat(changed).isNotEqualTo(xml);
    RuleSetSource source =
        BUNDLED.with("expr", Map.of(path, changed.getBytes(StandardCharsets.UTF_8)));
    DmnPolicies memo = RuleSet.compile(source, "memo", true).dmn();
    assertThat(memo.keysByLevel()).isFalse();
    for (double e : new double[] {59.9, 60, 60.1}) {
      assertThat(memo.segment(e, 10)).isEqualTo(memo.evaluateSegment(e, 10));
    }
  }
}
