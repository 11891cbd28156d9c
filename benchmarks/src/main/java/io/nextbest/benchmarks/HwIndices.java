package io.nextbest.benchmarks;

import io.nextbest.engine.BaselineIndices;
import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Severity;
import java.util.EnumSet;

/**
 * The baseline's signals and indices: the engine's own computation (see {@link BaselineIndices}),
 * with the bundled Gap Policy DMN transcribed as a constant like the baseline's other DMN tables.
 */
final class HwIndices {
  /** dmn/gap-policy.dmn of the bundled rule set, as code. */
  static final GapPolicy GAP_POLICY =
      new GapPolicy(
          7,
          60,
          3,
          EnumSet.of(Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL),
          EnumSet.allOf(Severity.class),
          2,
          6,
          30,
          6,
          90,
          180,
          4,
          1.0,
          1.5);

  private HwIndices() {}

  static BaselineIndices.Derived derive(CustomerContext ctx, HwModel model) {
    return model.indices().derive(ctx, GAP_POLICY);
  }
}
