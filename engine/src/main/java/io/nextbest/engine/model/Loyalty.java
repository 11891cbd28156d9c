package io.nextbest.engine.model;

/** Loyalty programme membership. */
public record Loyalty(boolean member, Integer points, String tier) {
  public static final Loyalty NONE = new Loyalty(false, 0, null);

  public Loyalty {
    points = points == null ? 0 : points;
  }
}
