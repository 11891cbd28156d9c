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
 *
 * <p>{@code localTime}, the customer's time of day, is set only while {@code inQuietHours}: outside
 * them nothing the rules decide depends on the second a decision is made, so decisions within a day
 * on unchanged facts are equal (and share the rules' conclusions, see {@link #situation()}).
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

  /**
   * These signals without whose and when they are ({@code customerId}, {@code asOf}): what a rule
   * base that names neither concludes from, the same for every customer in the same situation on
   * the same day.
   */
  public Signals situation() {
    return new Signals(
        null,
        null,
        today,
        localTime,
        inQuietHours,
        quietHoursEnd,
        latestCsat,
        latestCes,
        cesAgeDays,
        nps,
        npsAgeDays,
        daysSinceLastSurvey,
        openComplaints,
        worstOpenSeverity,
        recentFailures,
        windowFailures,
        negatives,
        negativeEvidence,
        negativesEaseAt,
        csatDelta,
        cesDelta,
        newestProduct,
        newestProductDays,
        highValue,
        annualValue);
  }
}
