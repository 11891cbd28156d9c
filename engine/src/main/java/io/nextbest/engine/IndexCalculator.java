package io.nextbest.engine;

import io.nextbest.engine.IndexModel.ComponentModel;
import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Community;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.Component;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.Index;
import io.nextbest.engine.model.Indices;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Loyalty;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Experience and engagement measured separately (G1), relationship health (G14), trend flags (G15)
 * and risk flags (G2, G4); docs/indices.md is the reference. Experience is the weighted mean of the
 * perception components that were observed (an unobserved one carries no weight unless the rule set
 * declares a prior for it) less the saturating penalties of complaint and failure history; nothing
 * observed gives the declared prior with coverage 0, never a perfect score. Engagement is the
 * weighted mean of the activity components whose source was recorded, and counts only activity the
 * customer chose: contacts caused by problems are left out.
 */
final class IndexCalculator {
  private static final double LN2 = Math.log(2);

  private IndexCalculator() {}

  static Indices compute(
      CustomerContext ctx, SignalExtractor.Extracted ex, IndexModel model, GapPolicy policy) {
    Index experience = experience(ctx, ex, model);
    Index engagement = engagement(ctx, model.engagement(), model.engagementPrior());
    double health = health(experience.value(), engagement.value(), model.relationshipHealth());
    return new Indices(
        experience,
        engagement,
        health,
        trendFlags(ex.signals(), policy),
        riskFlags(ex.signals(), policy));
  }

  private static Index experience(
      CustomerContext ctx, SignalExtractor.Extracted ex, IndexModel model) {
    Map<String, ComponentModel> m = model.experience();
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> perception = new ArrayList<>(3);

    ComponentModel sat = m.get("satisfaction");
    double[] csat = decayedMean(ex.csatWithLive(), now, window(sat, 90), sat.halfLifeDays());
    perception.add(
        csat[1] > 0
            ? observed(
                "satisfaction",
                (csat[0] - 1) / 4 * 100,
                sat,
                "mean CSAT "
                    + round1(csat[0])
                    + "/5 over "
                    + (int) csat[1]
                    + " answers in "
                    + window(sat, 90)
                    + " days")
            : unobserved("satisfaction", sat, "no CSAT in " + window(sat, 90) + " days"));

    ComponentModel eff = m.get("effort");
    double[] ces = decayedMean(p.ces(), now, window(eff, 90), eff.halfLifeDays());
    perception.add(
        ces[1] > 0
            ? observed(
                "effort",
                (7 - ces[0]) / 6 * 100,
                eff,
                "mean effort "
                    + round1(ces[0])
                    + "/7 over "
                    + (int) ces[1]
                    + " answers (lower is better)")
            : unobserved("effort", eff, "no effort score in " + window(eff, 90) + " days"));

    ComponentModel rec = m.get("recommendation");
    Score nps = p.nps();
    perception.add(
        nps != null && SignalExtractor.days(nps.at(), now) <= window(rec, 365)
            ? observed(
                "recommendation", nps.value() * 10.0, rec, "NPS answer " + nps.value() + "/10")
            : unobserved("recommendation", rec, "no NPS answer in " + window(rec, 365) + " days"));

    double total = 0;
    double counted = 0;
    double observedWeight = 0;
    double sum = 0;
    for (Component c : perception) {
      total += c.weight();
      if (c.score() != null) {
        counted += c.weight();
        sum += c.score() * c.weight();
        if (c.observed()) {
          observedWeight += c.weight();
        }
      }
    }
    double base = counted == 0 ? model.experiencePrior() : sum / counted;
    List<Component> out = new ArrayList<>(5);
    for (Component c : perception) {
      double contribution =
          c.score() == null || counted == 0 ? 0 : c.score() * c.weight() / counted;
      out.add(
          new Component(
              c.name(), c.score(), c.observed(), c.weight(), round1(contribution), c.evidence()));
    }

    Component complaints = complaints(p, now, m.get("complaints"));
    Component failures = failures(p, now, m.get("failures"));
    out.add(complaints);
    out.add(failures);
    double value = base + complaints.contribution() + failures.contribution();
    double coverage = total == 0 ? 0 : observedWeight / total;
    return new Index(round1(clamp(value)), round2(coverage), out);
  }

  /**
   * Complaint history (open and resolved), by severity and recency: an open complaint weighs its
   * full severity; once resolved it weighs {@code resolvedFactor} of it, fading by the half-life
   * since the resolution. The load takes off up to {@code maxPenalty}, saturating: more complaints
   * always hurt more, and never less than fewer.
   */
  private static Component complaints(CustomerProfile p, Instant now, ComponentModel m) {
    Instant from = now.minus(Duration.ofDays(window(m, 365)));
    double load = 0;
    int open = 0;
    int resolved = 0;
    Map<io.nextbest.engine.model.Severity, Integer> bySeverity =
        new EnumMap<>(io.nextbest.engine.model.Severity.class);
    for (Complaint c : p.complaints()) {
      if (c == null || c.severity() == null) {
        continue;
      }
      double w = m.severity().getOrDefault(c.severity(), 1.0);
      if (c.open()) {
        open++;
        load += w;
      } else if (c.resolvedAt().isAfter(from)) {
        resolved++;
        load +=
            w
                * factor(m.resolvedFactor(), 0.5)
                * decay(SignalExtractor.days(c.resolvedAt(), now), m.halfLifeDays());
      } else {
        continue;
      }
      bySeverity.merge(c.severity(), 1, Integer::sum);
    }
    if (open + resolved == 0) {
      return new Component(
          "complaints",
          null,
          false,
          0,
          0,
          "no complaints recorded in " + window(m, 365) + " days: adds nothing");
    }
    double penalty = m.maxPenalty() * (1 - Math.exp(-load / scale(m, 2)));
    return new Component(
        "complaints",
        round1(100 * Math.exp(-load / scale(m, 2))),
        true,
        m.maxPenalty(),
        -round1(penalty),
        open
            + " open and "
            + resolved
            + " resolved in "
            + window(m, 365)
            + " days "
            + bySeverity
            + ", load "
            + round2(load));
  }

  /**
   * Failed interactions in the window, each fading by the half-life: a saturating penalty like
   * complaints'.
   */
  private static Component failures(CustomerProfile p, Instant now, ComponentModel m) {
    Instant from = now.minus(Duration.ofDays(window(m, 90)));
    double load = 0;
    int n = 0;
    for (FailedInteraction f : p.failedInteractions()) {
      if (f != null && f.at() != null && f.at().isAfter(from)) {
        n++;
        load += decay(SignalExtractor.days(f.at(), now), m.halfLifeDays());
      }
    }
    if (n == 0) {
      return new Component(
          "failures",
          null,
          false,
          0,
          0,
          "no failed interactions recorded in " + window(m, 90) + " days: adds nothing");
    }
    double penalty = m.maxPenalty() * (1 - Math.exp(-load / scale(m, 2)));
    return new Component(
        "failures",
        round1(100 * Math.exp(-load / scale(m, 2))),
        true,
        m.maxPenalty(),
        -round1(penalty),
        n + " failed interactions in " + window(m, 90) + " days, load " + round2(load));
  }

  private static Index engagement(
      CustomerContext ctx, Map<String, ComponentModel> m, double prior) {
    Instant now = ctx.asOf();
    CustomerProfile p = ctx.profile();
    List<Component> parts = new ArrayList<>(7);

    // Only contacts the customer chose: those caused by a problem are experience, not engagement.
    Map<Channel, Integer> failedOn = new EnumMap<>(Channel.class);
    for (FailedInteraction f : p.failedInteractions()) {
      if (f != null
          && f.channel() != null
          && f.at() != null
          && SignalExtractor.days(f.at(), now) <= 90) {
        failedOn.merge(f.channel(), 1, Integer::sum);
      }
    }
    int chosen = 0;
    int problems = 0;
    Instant last = null;
    for (ChannelUsage u : p.channels()) {
      int all = u.interactions90d() == null ? 0 : u.interactions90d();
      int problem =
          Math.min(
              all,
              Math.max(
                  u.problemContacts90d() == null ? 0 : u.problemContacts90d(),
                  failedOn.getOrDefault(u.channel(), 0)));
      chosen += all - problem;
      problems += problem;
      if (all - problem > 0) {
        last = later(last, u.lastAt());
      }
    }
    ComponentModel freq = m.get("frequency");
    parts.add(
        p.channels().isEmpty()
            ? unobserved("frequency", freq, "no channel use recorded")
            : observed(
                "frequency",
                saturate(chosen, scale(freq, 6)),
                freq,
                chosen
                    + " chosen interactions in 90 days ("
                    + problems
                    + " problem contacts not counted)"));

    last = later(later(last, p.lastPurchaseAt()), p.community().lastActivityAt());
    ComponentModel rec = m.get("recency");
    if (last != null) {
      long days = SignalExtractor.days(last, now);
      parts.add(
          observed(
              "recency",
              100 * Math.exp(-days / scale(rec, 30)),
              rec,
              "last chosen activity " + days + " days ago"));
    } else {
      parts.add(unobserved("recency", rec, "no chosen activity recorded"));
    }

    ComponentModel depth = m.get("depth");
    parts.add(
        p.products().isEmpty()
            ? unobserved("depth", depth, "no products recorded")
            : observed(
                "depth",
                saturate(p.products().size(), scale(depth, 2)),
                depth,
                p.products().size() + " products held"));

    ComponentModel buy = m.get("purchases");
    parts.add(
        p.purchases90d() == 0 && p.lastPurchaseAt() == null
            ? unobserved("purchases", buy, "no purchases recorded")
            : observed(
                "purchases",
                saturate(p.purchases90d(), scale(buy, 2)),
                buy,
                p.purchases90d() + " purchases in 90 days"));

    ComponentModel loy = m.get("loyalty");
    Loyalty l = p.loyalty();
    if (l == Loyalty.NONE) {
      parts.add(unobserved("loyalty", loy, "loyalty membership not recorded"));
    } else {
      double loyScore = l.member() ? 50 + 50 * (1 - Math.exp(-l.points() / scale(loy, 2000))) : 0;
      parts.add(
          observed(
              "loyalty",
              loyScore,
              loy,
              l.member() ? "member with " + l.points() + " points" : "not a loyalty member"));
    }

    ComponentModel com = m.get("community");
    Community cm = p.community();
    double activity = cm.posts90d() + cm.follows() / 2.0;
    parts.add(
        cm == Community.NONE
            ? unobserved("community", com, "no community activity recorded")
            : observed(
                "community",
                saturate(activity, scale(com, 4)),
                com,
                cm.posts90d() + " posts in 90 days, " + cm.follows() + " follows"));

    ComponentModel adv = m.get("advocacy");
    double advocacy = 2.0 * p.referrals12m() + p.reviews12m();
    parts.add(
        advocacy == 0
            ? unobserved("advocacy", adv, "no referrals or reviews recorded in 12 months")
            : observed(
                "advocacy",
                saturate(advocacy, scale(adv, 2)),
                adv,
                p.referrals12m() + " referrals and " + p.reviews12m() + " reviews in 12 months"));
    return combine(parts, prior);
  }

  private static double health(double experience, double engagement, IndexModel.HealthModel m) {
    double we = m.experienceWeight();
    double wg = m.engagementWeight();
    if (we + wg <= 0) {
      return round1((experience + engagement) / 2);
    }
    // Geometric: a strong side cannot hide a broken one.
    double g =
        Math.exp(
            (we * Math.log(Math.max(experience, 1)) + wg * Math.log(Math.max(engagement, 1)))
                / (we + wg));
    return round1(g);
  }

  private static List<Flag> trendFlags(Signals s, GapPolicy g) {
    List<Flag> flags = new ArrayList<>(2);
    if (s.csatDelta() != null && s.csatDelta() <= -g.csatFallingDelta()) {
      flags.add(
          new Flag(
              "FALLING_CSAT",
              "latest CSAT is "
                  + -s.csatDelta()
                  + " below the customer's earlier average ("
                  + g.trendMinPoints()
                  + " or more answers)",
              List.of("G15")));
    }
    if (s.cesDelta() != null && s.cesDelta() >= g.effortRisingDelta()) {
      flags.add(
          new Flag(
              "RISING_EFFORT",
              "latest effort score is "
                  + s.cesDelta()
                  + " above the customer's earlier average ("
                  + g.trendMinPoints()
                  + " or more answers)",
              List.of("G15")));
    }
    return flags;
  }

  private static List<Flag> riskFlags(Signals s, GapPolicy g) {
    List<Flag> flags = new ArrayList<>(3);
    if (s.negatives() >= g.compoundingCount()) {
      flags.add(
          new Flag(
              "COMPOUNDING_NEGATIVES",
              s.negatives()
                  + " negative moments in "
                  + g.compoundingWindowDays()
                  + " days: "
                  + String.join("; ", s.negativeEvidence()),
              List.of("G4")));
    } else if (s.negatives() == g.accumulatingCount() && s.negatives() > 0) {
      flags.add(
          new Flag(
              "NEGATIVES_ACCUMULATING",
              s.negatives()
                  + " negative moments in "
                  + g.compoundingWindowDays()
                  + " days: one more compounds them",
              List.of("G4")));
    }
    if (s.nps() != null
        && s.nps() <= g.detractorMax()
        && s.npsAgeDays() != null
        && s.npsAgeDays() <= 365) {
      flags.add(new Flag("DETRACTOR", "NPS answer " + s.nps() + "/10", List.of("G3")));
    }
    return flags;
  }

  /**
   * Adds the G2 flag once the quadrant is known: satisfied but unattached is the One-Hit Wonder
   * split the analyst owns in the Quadrant Classification DMN (experience HIGH, engagement LOW), so
   * flag and quadrant can never disagree. Both halves must be seen, not assumed: a prior standing
   * in for missing surveys is not satisfaction, and knowing nothing of the relationship is not
   * knowing it is thin.
   */
  static Indices withSegmentFlags(Indices indices, Segment segment, IndexModel.SignalModel m) {
    Index exp = indices.experience();
    Index eng = indices.engagement();
    if (segment.experienceLevel() != Level.HIGH
        || segment.engagementLevel() != Level.LOW
        || exp.coverage() < m.satisfiedUnattachedCoverage()
        || eng.coverage() <= 0) {
      return indices;
    }
    List<Flag> risk = new ArrayList<>(indices.riskFlags().size() + 1);
    risk.add(
        new Flag(
            "SATISFIED_BUT_UNATTACHED",
            "experience "
                + exp.value()
                + " is good but engagement "
                + eng.value()
                + " is thin: open to a competitor's offer",
            List.of("G2")));
    risk.addAll(indices.riskFlags());
    return new Indices(exp, eng, indices.relationshipHealth(), indices.trendFlags(), risk);
  }

  /**
   * Weighted mean of the components with a score; coverage is the observed share of all the weight.
   */
  private static Index combine(List<Component> parts, double prior) {
    double weight = 0;
    double total = 0;
    double observedWeight = 0;
    for (Component c : parts) {
      total += c.weight();
      if (c.score() != null) {
        weight += c.weight();
      }
      if (c.observed()) {
        observedWeight += c.weight();
      }
    }
    List<Component> out = new ArrayList<>(parts.size());
    double value = 0;
    for (Component c : parts) {
      double contribution = c.score() == null || weight == 0 ? 0 : c.score() * c.weight() / weight;
      value += contribution;
      out.add(
          new Component(
              c.name(), c.score(), c.observed(), c.weight(), round1(contribution), c.evidence()));
    }
    return new Index(
        weight == 0 ? prior : round1(value), total == 0 ? 0 : round2(observedWeight / total), out);
  }

  private static Component observed(String name, double score, ComponentModel m, String evidence) {
    return new Component(name, round1(clamp(score)), true, m.weight(), 0, evidence);
  }

  private static Component unobserved(String name, ComponentModel m, String evidence) {
    return m.neutral() == null
        ? new Component(name, null, false, m.weight(), 0, evidence + ": carries no weight")
        : new Component(
            name,
            m.neutral(),
            false,
            m.weight(),
            0,
            evidence + ": prior " + round1(m.neutral()) + " assumed");
  }

  /**
   * Mean of the scores inside the window, each weighted by its recency (half-life), and how many
   * there were.
   */
  private static double[] decayedMean(
      List<Score> scores, Instant now, int windowDays, Double halfLifeDays) {
    Instant from = now.minus(Duration.ofDays(windowDays));
    double sum = 0;
    double weights = 0;
    int n = 0;
    for (Score s : scores) {
      if (!s.at().isBefore(from)) {
        double w = decay(SignalExtractor.days(s.at(), now), halfLifeDays);
        sum += s.value() * w;
        weights += w;
        n++;
      }
    }
    return new double[] {n == 0 ? 0 : sum / weights, n};
  }

  private static double decay(long ageDays, Double halfLifeDays) {
    return halfLifeDays == null ? 1 : Math.exp(-LN2 * ageDays / halfLifeDays);
  }

  private static double factor(Double f, double fallback) {
    return f == null ? fallback : f;
  }

  private static double saturate(double x, double scale) {
    return 100 * (1 - Math.exp(-x / scale));
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(100, v));
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

  static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
