package io.nextbest.simulator;

/**
 * A unit of the population that cannot be simulated: counted and reported, fatal only in a strict
 * run.
 */
final class BadRow extends RuntimeException {
  private final Problem problem;

  BadRow(Problem problem) {
    super(problem.toString(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}
