package io.nextbest.benchmarks;

import io.nextbest.engine.facts.OpenComplaint;
import io.nextbest.engine.facts.RecentFailure;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.Component;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.Index;
import io.nextbest.engine.model.Indices;
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
import java.util.Map;

/**
 * The baseline's signals (open complaints, recent failures, negatives, trends) and indices
 * (experience, engagement, relationship health, flags), written again from the same formulas as
 * the engine's package-private {@code SignalExtractor} and {@code IndexCalculator}; every weight,
 * window and threshold comes from {@code indices.json}.
 */
final class HwIndices {
  private HwIndices() {}

  record Derived(Signals signals, List<OpenComplaint> openComplaints, List<RecentFailure> recentFailures, Indices indices) {}

  private record Negative(Instant at, String what) {}

  static Derived derive(CustomerContext ctx, HwModel model) {
    HwModel.Signals m = model.signals();
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    Interaction live = ctx.interaction();
    ZoneId zone = p.quietHours() != null && p.quietHours().zone() != null ? p.quietHours().zone() : ZoneOffset.UTC;
    ZonedDateTime local = now.atZone(zone);
    LocalTime localTime = local.toLocalTime();
    boolean quiet = p.quietHours() != null && p.quietHours().contains(localTime);

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
        open.add(new OpenComplaint(c.id(), c.severity(), c.product(), c.topic(), (int) days(c.openedAt(), now)));
        worst = worst == null || c.severity().compareTo(worst) > 0 ? c.severity() : worst;
      }
    }
    open.sort(Comparator.comparing(OpenComplaint::severity).reversed().thenComparing(OpenComplaint::id));

    List<RecentFailure> failures = new ArrayList<>();
    int failures7 = 0;
    int failures30 = 0;
    for (FailedInteraction f : p.failedInteractions()) {
      long d = days(f.at(), now);
      if (d <= 90) {
        failures.add(new RecentFailure(f.channel(), f.reason(), f.product(), f.at().atZone(zone).toLocalDate(), (int) d));
      }
      if (d < m.recentFailureDays()) {
        failures7++;
      }
      if (d < m.negativeWindowDays()) {
        failures30++;
      }
    }
    failures.sort(Comparator.comparingInt(RecentFailure::daysAgo).thenComparing(RecentFailure::channel));

    List<Negative> negatives = negatives(ctx, csat, ces, m, zone);
    negatives.sort(Comparator.comparing(Negative::at).reversed());
    Instant easeAt = null;
    if (negatives.size() >= m.compoundingThreshold()) {
      easeAt = negatives.get(m.compoundingThreshold() - 1).at().plus(Duration.ofDays(m.negativeWindowDays()));
    }
    List<String> evidence = new ArrayList<>(negatives.size());
    for (Negative n : negatives) {
      evidence.add(n.what());
    }

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
            localTime,
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
            failures7,
            failures30,
            negatives.size(),
            evidence,
            easeAt,
            delta(csat, now, m.trendWindowDays()),
            delta(ces, now, m.trendWindowDays()),
            newest == null ? null : newest.product(),
            newest == null ? null : (int) days(newest.since(), now),
            p.annualValue() >= m.highValueAnnual(),
            p.annualValue());

    Index experience = experience(ctx, csat, model.experience());
    Index engagement = engagement(ctx, model.engagement());
    double health = health(experience.value(), engagement.value(), model);
    Indices indices = new Indices(experience, engagement, health, trendFlags(signals, m), riskFlags(signals, experience, engagement, m));
    return new Derived(signals, List.copyOf(open), List.copyOf(failures), indices);
  }

  private static List<Negative> negatives(CustomerContext ctx, List<Score> csat, List<Score> ces, HwModel.Signals m, ZoneId zone) {
    Instant now = ctx.asOf();
    Instant from = now.minus(Duration.ofDays(m.negativeWindowDays()));
    List<Negative> out = new ArrayList<>();
    for (FailedInteraction f : ctx.profile().failedInteractions()) {
      if (f.at().isAfter(from)) {
        String reason = f.reason() == null || f.reason().isBlank() ? "" : " (" + f.reason() + ")";
        out.add(new Negative(f.at(), "failed " + f.channel() + " interaction on " + f.at().atZone(zone).toLocalDate() + reason));
      }
    }
    for (Complaint c : ctx.profile().complaints()) {
      if (c.openedAt().isAfter(from)) {
        out.add(new Negative(c.openedAt(), "complaint " + c.id() + " opened on " + c.openedAt().atZone(zone).toLocalDate()));
      }
    }
    for (Score s : csat) {
      if (s.at().isAfter(from) && s.value() <= m.lowCsat()) {
        out.add(new Negative(s.at(), "CSAT " + s.value() + "/5 on " + s.at().atZone(zone).toLocalDate()));
      }
    }
    for (Score s : ces) {
      if (s.at().isAfter(from) && s.value() >= m.highEffort()) {
        out.add(new Negative(s.at(), "effort " + s.value() + "/7 on " + s.at().atZone(zone).toLocalDate()));
      }
    }
    Interaction live = ctx.interaction();
    if (live != null && live.sentiment() == Sentiment.NEGATIVE) {
      out.add(new Negative(now, "negative sentiment in this " + live.channel() + " conversation"));
    }
    return out;
  }

  // ---- experience (G1) ----

  private static Index experience(CustomerContext ctx, List<Score> csatWithLive, Map<String, HwModel.Component> m) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> parts = new ArrayList<>(5);

    HwModel.Component sat = m.get("satisfaction");
    double[] csat = mean(csatWithLive, now, window(sat, 90));
    if (csat[1] > 0) {
      parts.add(part("satisfaction", (csat[0] - 1) / 4 * 100, sat, "mean CSAT " + round1(csat[0]) + "/5 over " + (int) csat[1] + " answers"));
    } else {
      parts.add(neutralOrNone("satisfaction", sat, "no CSAT in " + window(sat, 90) + " days"));
    }

    HwModel.Component eff = m.get("effort");
    double[] ces = mean(p.ces(), now, window(eff, 90));
    if (ces[1] > 0) {
      parts.add(part("effort", (7 - ces[0]) / 6 * 100, eff, "mean effort " + round1(ces[0]) + "/7 over " + (int) ces[1] + " answers (lower is better)"));
    } else {
      parts.add(neutralOrNone("effort", eff, "no effort score in " + window(eff, 90) + " days"));
    }

    HwModel.Component rec = m.get("recommendation");
    Score nps = p.nps();
    if (nps != null && days(nps.at(), now) <= window(rec, 365)) {
      parts.add(part("recommendation", nps.value() * 10.0, rec, "NPS answer " + nps.value() + "/10"));
    } else {
      parts.add(neutralOrNone("recommendation", rec, "no NPS answer in " + window(rec, 365) + " days"));
    }

    HwModel.Component res = m.get("resolution");
    int total = 0;
    int resolved = 0;
    int openSerious = 0;
    Instant from = now.minus(Duration.ofDays(window(res, 180)));
    for (Complaint c : p.complaints()) {
      if (c.open() || c.openedAt().isAfter(from)) {
        total++;
        if (!c.open()) {
          resolved++;
        } else if (c.severity().atLeast(Severity.HIGH)) {
          openSerious++;
        }
      }
    }
    double penalty = res.penalty() == null ? 20 : res.penalty();
    double resScore = total == 0 ? 100 : 100.0 * resolved / total - penalty * openSerious;
    parts.add(
        part(
            "resolution",
            resScore,
            res,
            total == 0
                ? "no complaints in " + window(res, 180) + " days"
                : resolved + " of " + total + " complaints resolved, " + openSerious + " serious still open"));

    HwModel.Component rel = m.get("reliability");
    int failures = 0;
    Instant relFrom = now.minus(Duration.ofDays(window(rel, 90)));
    for (FailedInteraction f : p.failedInteractions()) {
      if (f.at().isAfter(relFrom)) {
        failures++;
      }
    }
    parts.add(part("reliability", 100 * Math.exp(-failures / scale(rel, 2)), rel, failures + " failed interactions in " + window(rel, 90) + " days"));
    return combine(parts);
  }

  // ---- engagement (G1) ----

  private static Index engagement(CustomerContext ctx, Map<String, HwModel.Component> m) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> parts = new ArrayList<>(7);

    int interactions = 0;
    Instant last = null;
    for (ChannelUsage u : p.channels()) {
      interactions += u.interactions90d() == null ? 0 : u.interactions90d();
      last = later(last, u.lastAt());
    }
    HwModel.Component freq = m.get("frequency");
    parts.add(part("frequency", saturate(interactions, scale(freq, 6)), freq, interactions + " interactions in 90 days"));

    last = later(later(last, p.lastPurchaseAt()), p.community().lastActivityAt());
    HwModel.Component rec = m.get("recency");
    if (last != null) {
      long days = days(last, now);
      parts.add(part("recency", 100 * Math.exp(-days / scale(rec, 30)), rec, "last activity " + days + " days ago"));
    } else {
      parts.add(neutralOrNone("recency", rec, "no recorded activity"));
    }

    HwModel.Component depth = m.get("depth");
    parts.add(part("depth", saturate(p.products().size(), scale(depth, 2)), depth, p.products().size() + " products held"));

    HwModel.Component buy = m.get("purchases");
    parts.add(part("purchases", saturate(p.purchases90d(), scale(buy, 2)), buy, p.purchases90d() + " purchases in 90 days"));

    HwModel.Component loy = m.get("loyalty");
    double loyScore = p.loyalty().member() ? 50 + 50 * (1 - Math.exp(-p.loyalty().points() / scale(loy, 2000))) : 0;
    parts.add(part("loyalty", loyScore, loy, p.loyalty().member() ? "member with " + p.loyalty().points() + " points" : "not a loyalty member"));

    HwModel.Component com = m.get("community");
    double activity = p.community().posts90d() + p.community().follows() / 2.0;
    parts.add(part("community", saturate(activity, scale(com, 4)), com, p.community().posts90d() + " posts in 90 days, " + p.community().follows() + " follows"));

    HwModel.Component adv = m.get("advocacy");
    double advocacy = 2.0 * p.referrals12m() + p.reviews12m();
    parts.add(part("advocacy", saturate(advocacy, scale(adv, 2)), adv, p.referrals12m() + " referrals and " + p.reviews12m() + " reviews in 12 months"));
    return combine(parts);
  }

  // ---- relationship health (G14) and flags (G2, G4, G15) ----

  private static double health(double experience, double engagement, HwModel model) {
    double we = model.healthExperienceWeight();
    double wg = model.healthEngagementWeight();
    if (we + wg <= 0) {
      return round1((experience + engagement) / 2);
    }
    return round1(Math.exp((we * Math.log(Math.max(experience, 1)) + wg * Math.log(Math.max(engagement, 1))) / (we + wg)));
  }

  private static List<Flag> trendFlags(Signals s, HwModel.Signals m) {
    List<Flag> flags = new ArrayList<>(2);
    if (s.csatDelta() != null && s.csatDelta() <= -m.csatFallingDelta()) {
      flags.add(new Flag("FALLING_CSAT", "latest CSAT is " + -s.csatDelta() + " below the customer's earlier average", List.of("G15")));
    }
    if (s.cesDelta() != null && s.cesDelta() >= m.effortRisingDelta()) {
      flags.add(new Flag("RISING_EFFORT", "latest effort score is " + s.cesDelta() + " above the customer's earlier average", List.of("G15")));
    }
    return flags;
  }

  private static List<Flag> riskFlags(Signals s, Index exp, Index eng, HwModel.Signals m) {
    List<Flag> flags = new ArrayList<>(3);
    if (exp.value() >= m.satisfiedUnattachedExperience() && eng.value() < m.satisfiedUnattachedEngagement()) {
      flags.add(
          new Flag(
              "SATISFIED_BUT_UNATTACHED",
              "experience " + exp.value() + " is good but engagement " + eng.value() + " is thin: open to a competitor's offer",
              List.of("G2")));
    }
    if (s.negatives30d() >= m.compoundingThreshold()) {
      flags.add(
          new Flag(
              "COMPOUNDING_NEGATIVES",
              s.negatives30d() + " negative moments in " + m.negativeWindowDays() + " days: " + String.join("; ", s.negativeEvidence()),
              List.of("G4")));
    } else if (s.negatives30d() == m.compoundingThreshold() - 1 && s.negatives30d() > 0) {
      flags.add(
          new Flag(
              "NEGATIVES_ACCUMULATING",
              s.negatives30d() + " negative moments in " + m.negativeWindowDays() + " days: one more compounds them",
              List.of("G4")));
    }
    if (s.nps() != null && s.nps() <= 6 && s.npsAgeDays() != null && s.npsAgeDays() <= 365) {
      flags.add(new Flag("DETRACTOR", "NPS answer " + s.nps() + "/10", List.of("G3")));
    }
    return flags;
  }

  // ---- helpers ----

  private static Index combine(List<Component> parts) {
    double weight = 0;
    for (Component c : parts) {
      if (c.score() != null) {
        weight += c.weight();
      }
    }
    List<Component> out = new ArrayList<>(parts.size());
    double value = 0;
    for (Component c : parts) {
      double contribution = c.score() == null || weight == 0 ? 0 : c.score() * c.weight() / weight;
      value += contribution;
      out.add(new Component(c.name(), c.score(), c.weight(), round1(contribution), c.evidence()));
    }
    return new Index(weight == 0 ? 50 : round1(value), out);
  }

  private static Component part(String name, double score, HwModel.Component m, String evidence) {
    return new Component(name, round1(Math.max(0, Math.min(100, score))), m.weight(), 0, evidence);
  }

  private static Component neutralOrNone(String name, HwModel.Component m, String evidence) {
    return m.neutral() == null
        ? new Component(name, null, m.weight(), 0, evidence)
        : new Component(name, m.neutral(), m.weight(), 0, evidence + ": neutral " + round1(m.neutral()) + " assumed");
  }

  private static double[] mean(List<Score> scores, Instant now, int windowDays) {
    Instant from = now.minus(Duration.ofDays(windowDays));
    double sum = 0;
    int n = 0;
    for (Score s : scores) {
      if (!s.at().isBefore(from)) {
        sum += s.value();
        n++;
      }
    }
    return new double[] {n == 0 ? 0 : sum / n, n};
  }

  /** Latest score minus the mean of the earlier ones in the window; null with fewer than two. */
  private static Double delta(List<Score> sortedScores, Instant now, int windowDays) {
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
    return n == 0 ? null : Math.round((last.value() - sum / n) * 100) / 100.0;
  }

  private static List<Score> sorted(List<Score> scores) {
    if (scores.size() < 2) {
      return scores;
    }
    List<Score> copy = new ArrayList<>(scores);
    copy.sort(Comparator.comparing(Score::at));
    return copy;
  }

  private static double saturate(double x, double scale) {
    return 100 * (1 - Math.exp(-x / scale));
  }

  private static int window(HwModel.Component m, int fallback) {
    return m.windowDays() == null ? fallback : m.windowDays();
  }

  private static double scale(HwModel.Component m, double fallback) {
    return m.scale() == null || m.scale() <= 0 ? fallback : m.scale();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }

  static long days(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toDays());
  }

  static double round1(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
