package io.nextbest.engine.model;

/**
 * The families of the action catalogue. Engagement families are held back while an experience gap
 * is open (G3).
 */
public enum ActionFamily {
  EXPERIENCE_REPAIR(false),
  PROACTIVE_SERVICE(false),
  VALUE_CONTENT(true),
  LOYALTY(true),
  COMMUNITY(true),
  ADVOCACY(true),
  GROWTH(true),
  FEEDBACK(false);

  private final boolean engagement;

  ActionFamily(boolean engagement) {
    this.engagement = engagement;
  }

  /** True for families that ask for more relationship activity rather than serve the customer. */
  public boolean engagement() {
    return engagement;
  }
}
