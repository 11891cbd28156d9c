package io.nextbest.engine.model;

/**
 * The experience–engagement matrix (G5). Codes match the outputs of the quadrant classification
 * DMN.
 */
public enum Quadrant {
  Q1("Transactional"),
  Q2("One-Hit Wonder"),
  Q3("Pushy Brand"),
  Q4("Relationship Champion");

  private final String label;

  Quadrant(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
