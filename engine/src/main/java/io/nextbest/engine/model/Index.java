package io.nextbest.engine.model;

import java.util.List;

/**
 * A 0–100 index with its component breakdown (G1) and its coverage: the share of the index's weight
 * that rests on observed evidence (0 = nothing observed, the value is the declared prior).
 */
public record Index(double value, double coverage, List<Component> components) {
  public Index {
    components = List.copyOf(components);
  }
}
