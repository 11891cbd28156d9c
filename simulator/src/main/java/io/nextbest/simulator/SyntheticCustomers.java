package io.nextbest.simulator;

import io.nextbest.engine.model.CustomerContext;

/**
 * The synthetic population's customers one at a time, for callers outside the simulator that need
 * varied, realistic contexts without running a simulation (the service warms its compiled code on
 * them before it says it is ready). Customer {@code i} is a pure function of the knobs, the seed
 * and {@code i}, exactly as in a simulation run with the same knobs and seed.
 */
public final class SyntheticCustomers {
  private final SyntheticPopulation population;

  /**
   * @param knobs the population's mix; its {@code asOf} is the moment each context is decided at
   * @param seed the same seed gives the same people
   */
  public SyntheticCustomers(SyntheticKnobs knobs, long seed) {
    this.population = new SyntheticPopulation(Long.MAX_VALUE, knobs, seed);
  }

  /** Customer {@code i} (0 or more). */
  public CustomerContext customer(long i) {
    if (i < 0) {
      throw new IllegalArgumentException("i must not be negative");
    }
    return population.customer(i);
  }
}
