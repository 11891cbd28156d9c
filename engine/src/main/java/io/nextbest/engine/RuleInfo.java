package io.nextbest.engine;

import java.util.List;

/** A DRL rule of a compiled rule set and the guidance ids in its {@code @guidance} metadata. */
public record RuleInfo(String name, List<String> guidance) {
  public RuleInfo {
    guidance = List.copyOf(guidance);
  }
}
