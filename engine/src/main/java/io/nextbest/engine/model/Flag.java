package io.nextbest.engine.model;

import java.util.List;

/** A trend or risk flag with what raised it and the guidance it serves. */
public record Flag(String code, String description, List<String> guidance) {
  public Flag {
    guidance = List.copyOf(guidance);
  }
}
