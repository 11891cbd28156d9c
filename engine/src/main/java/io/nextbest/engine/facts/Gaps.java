package io.nextbest.engine.facts;

import io.nextbest.engine.model.CriticalGap;
import org.kie.api.runtime.rule.RuleContext;

/** Factory the gating rules use to record a critical gap with their own rule reference. */
public final class Gaps {
  private Gaps() {}

  public static CriticalGap open(
      RuleContext ctx,
      String kind,
      String ref,
      String description,
      String liftWhen,
      Object... evidence) {
    RuleRef rule = RuleRef.of(ctx);
    return new CriticalGap(
        kind, ref, description, liftWhen, rule.name(), rule.guidance(), RuleRef.evidence(evidence));
  }
}
