package io.nextbest.engine.model;

import java.util.List;

/** A 0–100 index with its component breakdown (G1). */
public record Index(double value, List<Component> components) {
  public Index {
    components = List.copyOf(components);
  }
}
