package io.nextbest.engine.facts;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The firing rule's name and the guidance ids in its {@code @guidance("G3 G9")} metadata. Parsed
 * once per rule object, so consequences stay cheap.
 */
public record RuleRef(String name, List<String> guidance) {

  private static final com.github.benmanes.caffeine.cache.Cache<Rule, RuleRef> CACHE =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().build();

  public static RuleRef of(RuleContext ctx) {
    return of(ctx.getRule());
  }

  public static RuleRef of(Rule rule) {
    return CACHE.get(rule, RuleRef::parse);
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
