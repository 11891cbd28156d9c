package io.nextbest.engine.model;

/**
 * The estimated chance the customer takes an action, and where it came from: the catalogue prior,
 * or learned from {@code outcomes} recorded outcomes.
 */
public record Propensity(double value, String source, long outcomes) {
  public static Propensity prior(double value) {
    return new Propensity(value, "prior", 0);
  }
}
