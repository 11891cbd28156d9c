package io.nextbest.simulator;

import java.util.List;

/**
 * A simulation that cannot start or go on: a bad mapping, an unreadable file, a rule set that does
 * not compile.
 */
public final class SimulationException extends RuntimeException {
  private final List<Problem> problems;

  public SimulationException(String message, List<Problem> problems) {
    super(
        problems.isEmpty()
            ? message
            : message
                + ":\n  "
                + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  public SimulationException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
    this.problems = List.of();
  }

  static SimulationException of(Problem problem) {
    return new SimulationException("invalid input", List.of(problem));
  }

  /** Every problem found, each with its file, line and column. */
  public List<Problem> problems() {
    return problems;
  }
}
