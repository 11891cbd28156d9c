package io.nextbest.simulator;

import java.io.Closeable;
import java.io.IOException;

/**
 * A population read one unit at a time on the reading thread; each unit is turned into a {@link
 * Subject} on a worker, so mapping and generation run in parallel and nothing holds the whole
 * population.
 */
interface Population extends Closeable {
  /** One customer's worth of input, not yet mapped. */
  interface Unit {
    /** Maps or generates the customer, or throws {@link BadRow}. */
    Subject materialise();
  }

  /** The next unit, or null at the end. */
  Unit next() throws IOException;

  /** Share of the input consumed, 0 to 1, or -1 when it cannot be known. */
  double progress();

  /** What the report says the population was. */
  String describe();

  /** The outcome's name when the population carries one (e.g. "churn"), else null. */
  default String outcomeName() {
    return null;
  }

  /**
   * Which raw columns feed which part of the profile (mapped populations only), for the fidelity
   * report.
   */
  default java.util.Map<String, java.util.SortedSet<String>> feeds() {
    return java.util.Map.of();
  }

  @Override
  default void close() throws IOException {}
}
