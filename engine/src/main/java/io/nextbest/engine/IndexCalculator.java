package io.nextbest.engine;

import io.nextbest.engine.IndexModel.ComponentModel;
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
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Experience and engagement measured separately (G1), relationship health (G14), trend flags (G15)
 * and risk flags (G2, G4). Each component maps its signal to 0–100; the rule set's weights combine
 * them. A component without any signal drops out and its weight is spread over the others.
 */
final class IndexCalculator {
  private IndexCalculator() {}

  static Indices compute(CustomerContext ctx, SignalExtractor.Extracted ex, IndexModel model) {
    Index experience = experience(ctx, ex, model.experience());
    Index engagement = engagement(ctx, model.engagement());
    double health = health(experience.value(), engagement.value(), model.relationshipHealth());
    return new Indices(experience, engagement, health, trendFlags(ex.signals(), model.signals()), riskFlags(ex.signals(), experience, engagement, model.signals()));
  }

  private static Index experience(CustomerContext ctx, SignalExtractor.Extracted ex, Map<String, ComponentModel> m) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> parts = new ArrayList<>(5);

    ComponentModel sat = m.get("satisfaction");
    double[] csat = mean(ex.csatWithLive(), now, window(sat, 90));
    if (csat[1] > 0) {
      parts.add(part("satisfaction", (csat[0] - 1) / 4 * 100, sat, "mean CSAT " + round1(csat[0]) + "/5 over " + (int) csat[1] + " answers"));
    } else {
      parts.add(neutralOrNone("satisfaction", sat, "no CSAT in " + window(sat, 90) + " days"));
    }

    ComponentModel eff = m.get("effort");
    double[] ces = mean(p.ces(), now, window(eff, 90));
    if (ces[1] > 0) {
      parts.add(part("effort", (7 - ces[0]) / 6 * 100, eff, "mean effort " + round1(ces[0]) + "/7 over " + (int) ces[1] + " answers (lower is better)"));
    } else {
      parts.add(neutralOrNone("effort", eff, "no effort score in " + window(eff, 90) + " days"));
    }

    ComponentModel rec = m.get("recommendation");
    Score nps = p.nps();
    if (nps != null && SignalExtractor.days(nps.at(), now) <= window(rec, 365)) {
      parts.add(part("recommendation", nps.value() * 10.0, rec, "NPS answer " + nps.value() + "/10"));
    } else {
      parts.add(neutralOrNone("recommendation", rec, "no NPS answer in " + window(rec, 365) + " days"));
    }

    ComponentModel res = m.get("resolution");
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
    parts.add(part("resolution", resScore, res, total == 0 ? "no complaints in " + window(res, 180) + " days" : resolved + " of " + total + " complaints resolved, " + openSerious + " serious still open"));

    ComponentModel rel = m.get("reliability");
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

  private static Index engagement(CustomerContext ctx, Map<String, ComponentModel> m) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> parts = new ArrayList<>(7);

    int interactions = 0;
    Instant last = null;
    for (ChannelUsage u : p.channels()) {
      interactions += u.interactions90d() == null ? 0 : u.interactions90d();
      last = later(last, u.lastAt());
    }
    ComponentModel freq = m.get("frequency");
    parts.add(part("frequency", saturate(interactions, scale(freq, 6)), freq, interactions + " interactions in 90 days"));

    last = later(later(last, p.lastPurchaseAt()), p.community().lastActivityAt());
    ComponentModel rec = m.get("recency");
    if (last != null) {
      long days = SignalExtractor.days(last, now);
      parts.add(part("recency", 100 * Math.exp(-days / scale(rec, 30)), rec, "last activity " + days + " days ago"));
    } else {
      parts.add(neutralOrNone("recency", rec, "no recorded activity"));
    }

    ComponentModel depth = m.get("depth");
    parts.add(part("depth", saturate(p.products().size(), scale(depth, 2)), depth, p.products().size() + " products held"));

    ComponentModel buy = m.get("purchases");
    parts.add(part("purchases", saturate(p.purchases90d(), scale(buy, 2)), buy, p.purchases90d() + " purchases in 90 days"));

    ComponentModel loy = m.get("loyalty");
    double loyScore = p.loyalty().member() ? 50 + 50 * (1 - Math.exp(-p.loyalty().points() / scale(loy, 2000))) : 0;
    parts.add(part("loyalty", loyScore, loy, p.loyalty().member() ? "member with " + p.loyalty().points() + " points" : "not a loyalty member"));

    ComponentModel com = m.get("community");
    double activity = p.community().posts90d() + p.community().follows() / 2.0;
    parts.add(part("community", saturate(activity, scale(com, 4)), com, p.community().posts90d() + " posts in 90 days, " + p.community().follows() + " follows"));

    ComponentModel adv = m.get("advocacy");
    double advocacy = 2.0 * p.referrals12m() + p.reviews12m();
    parts.add(part("advocacy", saturate(advocacy, scale(adv, 2)), adv, p.referrals12m() + " referrals and " + p.reviews12m() + " reviews in 12 months"));
    return combine(parts);
  }

  private static double health(double experience, double engagement, IndexModel.HealthModel m) {
    double we = m.experienceWeight();
    double wg = m.engagementWeight();
    if (we + wg <= 0) {
      return round1((experience + engagement) / 2);
    }
    // Geometric: a strong side cannot hide a broken one.
    double g = Math.exp((we * Math.log(Math.max(experience, 1)) + wg * Math.log(Math.max(engagement, 1))) / (we + wg));
    return round1(g);
  }

  private static List<Flag> trendFlags(Signals s, IndexModel.SignalModel m) {
    List<Flag> flags = new ArrayList<>(2);
    if (s.csatDelta() != null && s.csatDelta() <= -m.csatFallingDelta()) {
      flags.add(new Flag("FALLING_CSAT", "latest CSAT is " + -s.csatDelta() + " below the customer's earlier average", List.of("G15")));
    }
    if (s.cesDelta() != null && s.cesDelta() >= m.effortRisingDelta()) {
      flags.add(new Flag("RISING_EFFORT", "latest effort score is " + s.cesDelta() + " above the customer's earlier average", List.of("G15")));
    }
    return flags;
  }

  private static List<Flag> riskFlags(Signals s, Index exp, Index eng, IndexModel.SignalModel m) {
    List<Flag> flags = new ArrayList<>(3);
    if (exp.value() >= m.satisfiedUnattachedExperience() && eng.value() < m.satisfiedUnattachedEngagement()) {
      flags.add(new Flag("SATISFIED_BUT_UNATTACHED", "experience " + exp.value() + " is good but engagement " + eng.value() + " is thin: open to a competitor's offer", List.of("G2")));
    }
    if (s.negatives30d() >= m.compoundingThreshold()) {
      flags.add(new Flag("COMPOUNDING_NEGATIVES", s.negatives30d() + " negative moments in " + m.negativeWindowDays() + " days: " + String.join("; ", s.negativeEvidence()), List.of("G4")));
    } else if (s.negatives30d() == m.compoundingThreshold() - 1 && s.negatives30d() > 0) {
      flags.add(new Flag("NEGATIVES_ACCUMULATING", s.negatives30d() + " negative moments in " + m.negativeWindowDays() + " days: one more compounds them", List.of("G4")));
    }
    if (s.nps() != null && s.nps() <= 6 && s.npsAgeDays() != null && s.npsAgeDays() <= 365) {
      flags.add(new Flag("DETRACTOR", "NPS answer " + s.nps() + "/10", List.of("G3")));
    }
    return flags;
  }

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

  private static Component part(String name, double score, ComponentModel m, String evidence) {
    return new Component(name, round1(Math.max(0, Math.min(100, score))), m.weight(), 0, evidence);
  }

  private static Component neutralOrNone(String name, ComponentModel m, String evidence) {
    return m.neutral() == null
        ? new Component(name, null, m.weight(), 0, evidence)
        : new Component(name, m.neutral(), m.weight(), 0, evidence + ": neutral " + round1(m.neutral()) + " assumed");
  }

  /** Mean of the scores inside the window and how many there were. */
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

  private static double saturate(double x, double scale) {
    return 100 * (1 - Math.exp(-x / scale));
  }

  private static int window(ComponentModel m, int fallback) {
    return m.windowDays() == null ? fallback : m.windowDays();
  }

  private static double scale(ComponentModel m, double fallback) {
    return m.scale() == null || m.scale() <= 0 ? fallback : m.scale();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }

  static double round1(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
