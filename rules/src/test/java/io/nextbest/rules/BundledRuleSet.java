package io.nextbest.rules;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;

/** The bundled rule set, compiled once for every test class in this module. */
final class BundledRuleSet {
  static final RuleSetSource SOURCE = RuleSetSource.bundled();
  static final RuleSet RULES = RuleSet.compile(SOURCE);
  static final DecisionEngine ENGINE = DecisionEngine.builder().ruleSet(RULES).build();

  private BundledRuleSet() {}
}
