package io.nextbest.engine.facts;

import io.nextbest.engine.model.Severity;
import java.util.Set;

/**
 * The analyst-owned windows and thresholds for critical gaps (G3), compounding negatives (G4) and
 * trends (G15), read from the rule set's {@code Gap Policy} DMN once per version and inserted into
 * every decision so rules compare against it instead of numbers written into them.
 *
 * @param recentFailureDays a failed interaction younger than this is a critical gap
 * @param compoundingWindowDays how far back negative moments are counted
 * @param compoundingCount how many negative moments in the window compound (G4)
 * @param gapSeverities complaint severities that open a critical gap while unresolved
 * @param negativeSeverities complaint severities whose opening counts as a negative moment
 * @param lowCsat a CSAT answer at or below this is a negative moment
 * @param highEffort an effort answer at or above this is a negative moment, and a gap when recent
 * @param highEffortDays how long a very high effort answer keeps the gap open
 * @param detractorMax an NPS answer at or below this is a detractor
 * @param detractorDays how long a detractor answer keeps the gap open
 * @param trendWindowDays how far back trend points are read
 * @param trendMinPoints how many answers in the window a trend needs, the latest included
 * @param csatFallingDelta how far the latest CSAT must be below the earlier mean to count as
 *     falling
 * @param effortRisingDelta how far the latest effort must be above the earlier mean to count as
 *     rising
 */
public record GapPolicy(
    int recentFailureDays,
    int compoundingWindowDays,
    int compoundingCount,
    Set<Severity> gapSeverities,
    Set<Severity> negativeSeverities,
    int lowCsat,
    int highEffort,
    int highEffortDays,
    int detractorMax,
    int detractorDays,
    int trendWindowDays,
    int trendMinPoints,
    double csatFallingDelta,
    double effortRisingDelta) {

  public GapPolicy {
    gapSeverities = Set.copyOf(gapSeverities);
    negativeSeverities = Set.copyOf(negativeSeverities);
    require(recentFailureDays >= 0, "recentFailureDays must not be negative");
    require(compoundingWindowDays >= 1, "compoundingWindowDays must be at least 1");
    require(
        compoundingCount >= 2,
        "compoundingCount must be at least 2: one bad moment alone does not compound");
    require(trendMinPoints >= 2, "trendMinPoints must be at least 2");
    require(
        highEffortDays >= 0 && detractorDays >= 0 && trendWindowDays >= 1,
        "day counts must not be negative");
  }

  /** One moment short of compounding: the count at which negatives are "accumulating". */
  public int accumulatingCount() {
    return compoundingCount - 1;
  }

  /** Whether an unresolved complaint of this severity is a critical gap. */
  public boolean opensGap(Severity severity) {
    return gapSeverities.contains(severity);
  }

  public boolean countsAsNegative(Severity severity) {
    return negativeSeverities.contains(severity);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("Gap Policy: " + message);
    }
  }
}
