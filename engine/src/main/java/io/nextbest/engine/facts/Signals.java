package io.nextbest.engine.facts;

import io.nextbest.engine.model.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * Signals derived from the context once per decision, so rules compare numbers instead of walking
 * histories. Windows are measured back from {@code asOf}.
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
    int failures7d,
    int failures30d,
    int negatives30d,
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
