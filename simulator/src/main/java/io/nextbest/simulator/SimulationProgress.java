package io.nextbest.simulator;

import java.time.Duration;

/**
 * Where a simulation stands.
 *
 * @param state QUEUED, COMPILING, RUNNING, WRITING, DONE, FAILED or CANCELLED
 * @param customers customers simulated so far
 * @param decisions decisions made so far, all sides and journey steps together
 * @param badRows rows or events that could not be simulated
 * @param fraction share of the input consumed (0 to 1), or -1 when it cannot be known
 * @param elapsed time since the run started
 * @param decisionsPerSecond decisions per second so far, all sides together
 * @param error what went wrong, when FAILED
 */
public record SimulationProgress(
    State state,
    long customers,
    long decisions,
    long badRows,
    double fraction,
    Duration elapsed,
    double decisionsPerSecond,
    String error) {

  public enum State {
    QUEUED,
    COMPILING,
    RUNNING,
    WRITING,
    DONE,
    FAILED,
    CANCELLED;

    public boolean finished() {
      return this == DONE || this == FAILED || this == CANCELLED;
    }
  }
}
