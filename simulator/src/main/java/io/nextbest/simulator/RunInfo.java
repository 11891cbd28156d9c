package io.nextbest.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one run went: when, how long, how fast, on what. Kept out of the report (and written to
 * {@code run.json}) because it differs on every run.
 *
 * @param startedAt when the run started
 * @param compile time to load and compile the rule sets
 * @param elapsed time from the first customer read to the last report byte
 * @param customers customers simulated
 * @param decisions decisions made, all sides and journey steps
 * @param staticDecisionsPerSecondPerSide static-replay decisions per second on one what-if side
 * @param decisionsPerSecond all decisions per second
 * @param threads worker threads
 * @param processors processors the JVM saw
 * @param maxHeapBytes the JVM's heap limit
 * @param peakLiveHeapBytes the most heap in use right after any garbage collection during the run:
 *     the live set, which stays flat when memory does not grow with the population
 * @param heap heap in use after the latest collection, sampled at 1,000, 2,000, 4,000... customers
 *     and at the end
 * @param java the Java runtime
 */
public record RunInfo(
    Instant startedAt,
    Duration compile,
    Duration elapsed,
    long customers,
    long decisions,
    double staticDecisionsPerSecondPerSide,
    double decisionsPerSecond,
    int threads,
    int processors,
    long maxHeapBytes,
    long peakLiveHeapBytes,
    List<HeapSample> heap,
    String java) {

  public RunInfo {
    heap = List.copyOf(heap);
  }

  /** Heap in use after the latest garbage collection when {@code customers} had been simulated. */
  public record HeapSample(long customers, long heapAfterGcBytes, long collections) {}
}
