package io.nextbest.engine;

import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.facts.OpenComplaint;
import io.nextbest.engine.facts.RecentFailure;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Derives the per-decision signals and the open-complaint and recent-failure facts from a context.
 */
final class SignalExtractor {
  private SignalExtractor() {}

  /**
   * What the rules see about the customer's history; {@code signals} summarises, the lists itemise.
   */
  record Extracted(
      Signals signals,
      List<OpenComplaint> openComplaints,
      List<RecentFailure> recentFailures,
      List<Score> csatWithLive) {}

  private record Negative(Instant at, String what) {}

  static Extracted extract(CustomerContext ctx, IndexModel.SignalModel m, GapPolicy g) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    Interaction live = ctx.interaction();
    ZoneId zone =
        p.quietHours() != null && p.quietHours().zone() != null
            ? p.quietHours().zone()
            : ZoneOffset.UTC;
    ZonedDateTime local = now.atZone(zone);
    LocalTime localTime = local.toLocalTime();
    boolean quiet = p.quietHours() != null && p.quietHours().contains(localTime);

    // The live rating is the freshest satisfaction answer there is.
    List<Score> csat = sorted(p.csat());
    if (live != null && live.justResolved() && live.rating() != null) {
      csat = new ArrayList<>(csat);
      csat.add(new Score(now, live.rating()));
    }
    List<Score> ces = sorted(p.ces());

    Score lastCsat = csat.isEmpty() ? null : csat.get(csat.size() - 1);
    Score lastCes = ces.isEmpty() ? null : ces.get(ces.size() - 1);
    Score nps = p.nps();

    List<OpenComplaint> open = new ArrayList<>();
    Severity worst = null;
    for (Complaint c : p.complaints()) {
      if (c.open()) {
        open.add(
            new OpenComplaint(
                c.id(), c.severity(), c.product(), c.topic(), (int) days(c.openedAt(), now)));
        worst = worst == null || c.severity().compareTo(worst) > 0 ? c.severity() : worst;
      }
    }
    open.sort(
        Comparator.comparing(OpenComplaint::severity).reversed().thenComparing(OpenComplaint::id));

    List<RecentFailure> failures = new ArrayList<>();
    int recentFailures = 0;
    int windowFailures = 0;
    for (FailedInteraction f : p.failedInteractions()) {
      long d = days(f.at(), now);
      if (d <= Math.max(90, g.compoundingWindowDays())) {
        failures.add(
            new RecentFailure(
                f.channel(), f.reason(), f.product(), f.at().atZone(zone).toLocalDate(), (int) d));
      }
      if (d < g.recentFailureDays()) {
        recentFailures++;
      }
      if (d < g.compoundingWindowDays()) {
        windowFailures++;
      }
    }
    failures.sort(
        Comparator.comparingInt(RecentFailure::daysAgo).thenComparing(RecentFailure::channel));

    List<Negative> negatives = negatives(ctx, csat, ces, g, zone);
    negatives.sort(Comparator.comparing(Negative::at).reversed());
    Instant easeAt = null;
    if (negatives.size() >= g.compoundingCount()) {
      easeAt =
          negatives
              .get(g.compoundingCount() - 1)
              .at()
              .plus(Duration.ofDays(g.compoundingWindowDays()));
    }

    Double csatDelta = delta(csat, now, g.trendWindowDays(), g.trendMinPoints());
    Double cesDelta = delta(ces, now, g.trendWindowDays(), g.trendMinPoints());

    Instant lastSurvey = null;
    for (Score s : p.csat()) {
      lastSurvey = later(lastSurvey, s.at());
    }
    for (Score s : p.ces()) {
      lastSurvey = later(lastSurvey, s.at());
    }
    if (nps != null) {
      lastSurvey = later(lastSurvey, nps.at());
    }

    ProductHolding newest = null;
    for (ProductHolding h : p.products()) {
      if (h.since() != null && (newest == null || h.since().isAfter(newest.since()))) {
        newest = h;
      }
    }

    Signals signals =
        new Signals(
            ctx.customerId(),
            now,
            local.toLocalDate(),
            // Only the quiet hours need the time of day; outside them a decision does not depend
            // on the second it is made (see Signals).
            quiet ? localTime : null,
            quiet,
            p.quietHours() == null ? null : p.quietHours().end(),
            lastCsat == null ? null : lastCsat.value(),
            lastCes == null ? null : lastCes.value(),
            lastCes == null ? null : (int) days(lastCes.at(), now),
            nps == null ? null : nps.value(),
            nps == null ? null : (int) days(nps.at(), now),
            lastSurvey == null ? null : (int) days(lastSurvey, now),
            open.size(),
            worst,
            recentFailures,
            windowFailures,
            negatives.size(),
            negatives.stream().map(Negative::what).toList(),
            easeAt,
            csatDelta,
            cesDelta,
            newest == null ? null : newest.product(),
            newest == null ? null : (int) days(newest.since(), now),
            p.annualValue() >= m.highValueAnnual(),
            p.annualValue());
    return new Extracted(signals, List.copyOf(open), List.copyOf(failures), csat);
  }

  /**
   * Negative moments inside the compounding window (G4): each one alone is forgivable, together
   * they are not.
   */
  private static List<Negative> negatives(
      CustomerContext ctx, List<Score> csat, List<Score> ces, GapPolicy g, ZoneId zone) {
    Instant now = ctx.asOf();
    Instant from = now.minus(Duration.ofDays(g.compoundingWindowDays()));
    List<Negative> out = new ArrayList<>();
    for (FailedInteraction f : ctx.profile().failedInteractions()) {
      if (f.at().isAfter(from)) {
        out.add(
            new Negative(
                f.at(),
                "failed "
                    + f.channel()
                    + " interaction on "
                    + f.at().atZone(zone).toLocalDate()
                    + reasonSuffix(f.reason())));
      }
    }
    for (Complaint c : ctx.profile().complaints()) {
      if (c.openedAt().isAfter(from) && g.countsAsNegative(c.severity())) {
        out.add(
            new Negative(
                c.openedAt(),
                "complaint " + c.id() + " opened on " + c.openedAt().atZone(zone).toLocalDate()));
      }
    }
    for (Score s : csat) {
      if (s.at().isAfter(from) && s.value() <= g.lowCsat()) {
        out.add(
            new Negative(
                s.at(), "CSAT " + s.value() + "/5 on " + s.at().atZone(zone).toLocalDate()));
      }
    }
    for (Score s : ces) {
      if (s.at().isAfter(from) && s.value() >= g.highEffort()) {
        out.add(
            new Negative(
                s.at(), "effort " + s.value() + "/7 on " + s.at().atZone(zone).toLocalDate()));
      }
    }
    Interaction live = ctx.interaction();
    if (live != null && live.sentiment() == Sentiment.NEGATIVE) {
      out.add(new Negative(now, "negative sentiment in this " + live.channel() + " conversation"));
    }
    return out;
  }

  private static String reasonSuffix(String reason) {
    return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
  }

  /**
   * Latest score minus the mean of the earlier ones in the window; null with fewer than {@code
   * minPoints} answers in it (the latest included): two or three answers are not yet a trend (G15).
   */
  private static Double delta(
      List<Score> sortedScores, Instant now, int windowDays, int minPoints) {
    Instant from = now.minus(Duration.ofDays(windowDays));
    double sum = 0;
    int n = 0;
    Score last = null;
    for (Score s : sortedScores) {
      if (!s.at().isBefore(from)) {
        if (last != null) {
          sum += last.value();
          n++;
        }
        last = s;
      }
    }
    return n == 0 || n + 1 < minPoints ? null : Math.round((last.value() - sum / n) * 100) / 100.0;
  }

  private static List<Score> sorted(List<Score> scores) {
    if (scores.size() < 2) {
      return scores;
    }
    List<Score> copy = new ArrayList<>(scores);
    copy.sort(Comparator.comparing(Score::at));
    return copy;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }

  static long days(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toDays());
  }
}
