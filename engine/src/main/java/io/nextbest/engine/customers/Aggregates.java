package io.nextbest.engine.customers;

import io.nextbest.engine.customers.ProfileCache.Entry;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerProfile;
import java.time.Duration;
import java.time.Instant;

/**
 * Rolling-window counts over a customer's stored history, measured back from {@code asOf}.
 *
 * @param csatTrend mean CSAT of the last 30 days minus that of days 31–90; null unless both have
 *     answers
 */
public record Aggregates(
    Window last7Days,
    Window last30Days,
    Window last90Days,
    int openComplaints,
    Double csatTrend,
    Instant lastInteractionAt) {

  /**
   * What happened in one window.
   *
   * @param interactions interactions that ended in the window
   * @param outreachSent proactive messages sent (from the contact ledger)
   * @param csatAverage mean CSAT answer, null without one
   */
  public record Window(
      int interactions,
      int failedInteractions,
      int complaintsOpened,
      int purchases,
      int surveys,
      Double csatAverage,
      int outreachSent) {}

  static Aggregates of(Entry entry, CustomerProfile profile, Instant asOf) {
    int open = 0;
    for (Complaint c : profile.complaints()) {
      if (c.resolvedAt() == null) {
        open++;
      }
    }
    Instant last = null;
    for (CustomerEvent e : entry.events()) {
      boolean interaction =
          e instanceof CustomerEvent.InteractionEnded
              || e instanceof CustomerEvent.InteractionStarted;
      if (interaction && !e.at().isAfter(asOf) && (last == null || e.at().isAfter(last))) {
        last = e.at();
      }
    }
    Double recent = csatMean(entry, asOf.minus(Duration.ofDays(30)), asOf);
    Double before =
        csatMean(entry, asOf.minus(Duration.ofDays(90)), asOf.minus(Duration.ofDays(30)));
    Double trend =
        recent == null || before == null ? null : Math.round((recent - before) * 100) / 100.0;
    return new Aggregates(
        window(entry, asOf, 7),
        window(entry, asOf, 30),
        window(entry, asOf, 90),
        open,
        trend,
        last);
  }

  private static Window window(Entry entry, Instant asOf, int days) {
    Instant from = asOf.minus(Duration.ofDays(days));
    int interactions = 0;
    int failed = 0;
    int complaints = 0;
    int purchases = 0;
    int surveys = 0;
    for (CustomerEvent e : entry.events()) {
      if (!e.at().isAfter(from) || e.at().isAfter(asOf)) {
        continue;
      }
      if (e instanceof CustomerEvent.InteractionEnded x) {
        interactions++;
        if (x.outcome() == CustomerEvent.Outcome.FAILED) {
          failed++;
        }
      } else if (e instanceof CustomerEvent.ComplaintOpened) {
        complaints++;
      } else if (e instanceof CustomerEvent.Purchase) {
        purchases++;
      } else if (e instanceof CustomerEvent.SurveyAnswered) {
        surveys++;
      }
    }
    int sent = 0;
    for (LedgerEntry line : entry.sent()) {
      if (line.at().isAfter(from) && !line.at().isAfter(asOf)) {
        sent++;
      }
    }
    return new Window(
        interactions, failed, complaints, purchases, surveys, csatMean(entry, from, asOf), sent);
  }

  private static Double csatMean(Entry entry, Instant from, Instant to) {
    int n = 0;
    double sum = 0;
    for (CustomerEvent e : entry.events()) {
      if (e instanceof CustomerEvent.SurveyAnswered s
          && s.survey() == CustomerEvent.Survey.CSAT
          && s.at().isAfter(from)
          && !s.at().isAfter(to)) {
        n++;
        sum += s.value();
      }
    }
    return n == 0 ? null : Math.round(sum / n * 100) / 100.0;
  }
}
