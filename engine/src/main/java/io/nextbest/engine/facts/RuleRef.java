package io.nextbest.engine.facts;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The firing rule's name and the guidance ids in its {@code @guidance("G3 G9")} metadata. Parsed
 * once per knowledge base, when it is built ({@link #attach(Rule)}), and kept in the rule's own
 * metadata, so a consequence reads it with one map lookup.
 */
public record RuleRef(String name, List<String> guidance) {

  /** The metadata key the parsed reference is kept under. */
  private static final String KEY = "io.nextbest.ruleRef";

  /**
   * Guidance ids as an immutable list without nulls: every reason and hold the rule makes copies
   * this list (List.copyOf), which then returns it as it is instead of copying it each time.
   */
  public RuleRef {
    guidance = List.copyOf(guidance);
  }

  public static RuleRef of(RuleContext ctx) {
    return of(ctx.getRule());
  }

  public static RuleRef of(Rule rule) {
    return rule.getMetaData().get(KEY) instanceof RuleRef ref ? ref : parse(rule);
  }

  /**
   * Parses the rule's reference once and keeps it in the rule's metadata; called for every rule of
   * a knowledge base right after it is built, before any session fires.
   */
  public static void attach(Rule rule) {
    if (rule instanceof org.drools.base.definitions.rule.impl.RuleImpl impl) {
      impl.addMetaAttribute(KEY, parse(rule));
    }
  }

  private static RuleRef parse(Rule rule) {
    Object meta = rule.getMetaData().get("guidance");
    List<String> ids =
        meta == null
            ? List.of()
            : Arrays.stream(meta.toString().split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
    return new RuleRef(rule.getName(), ids);
  }

  /** Turns alternating key/value arguments into an ordered evidence map. */
  static Map<String, Object> evidence(Object... keyValues) {
    if (keyValues == null || keyValues.length == 0) {
      return Map.of();
    }
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "evidence needs key/value pairs, got " + keyValues.length + " values");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
