package io.nextbest.engine.facts;

import io.nextbest.engine.model.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * Signals derived from the context once per decision, so rules compare numbers instead of walking
 * histories. Windows are measured back from {@code asOf}; their lengths are the {@link
 * GapPolicy}'s: {@code negatives} counts negative moments in the compounding window, {@code
 * recentFailures} failures younger than the recent-failure window, {@code windowFailures} failures
 * in the compounding window.
 */
public record Signals(
    String customerId,
    Instant asOf,
    LocalDate today,
    LocalTime localTime,
    boolean inQuietHours,
    LocalTime quietHoursEnd,
    Integer latestCsat,
    Integer latestCes,
    Integer cesAgeDays,
    Integer nps,
    Integer npsAgeDays,
    Integer daysSinceLastSurvey,
    int openComplaints,
    Severity worstOpenSeverity,
    int recentFailures,
    int windowFailures,
    int negatives,
    List<String> negativeEvidence,
    Instant negativesEaseAt,
    Double csatDelta,
    Double cesDelta,
    String newestProduct,
    Integer newestProductDays,
    boolean highValue,
    double annualValue) {

  public Signals {
    negativeEvidence = List.copyOf(negativeEvidence);
  }
}
