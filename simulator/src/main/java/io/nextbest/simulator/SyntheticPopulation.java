package io.nextbest.simulator;

import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Community;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.Loyalty;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.QuietHours;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates customers on demand: customer {@code i} is a pure function of the seed and {@code i},
 * so a population of any size streams without being stored and the same seed gives the same people.
 * Each customer is drawn towards a quadrant of the mix: an experience level shapes surveys, effort
 * and failures; an engagement level shapes interactions, holdings, loyalty and advocacy.
 */
final class SyntheticPopulation implements Population {
  private static final String[] OUTBOUND = {
    "value-usage-tips",
    "loyalty-invite",
    "growth-mobile-cross-sell",
    "advocacy-review-request",
    "proactive-bill-explainer"
  };
  private static final Channel[] LIVE = {Channel.PHONE, Channel.CHAT, Channel.BRANCH};
  private static final String[] REASONS = {"billing", "outage", "upgrade", "question", "moving"};

  private final long size;
  private final SyntheticKnobs knobs;
  private final long seed;
  private final List<Map.Entry<Quadrant, Double>> quadrants;
  private final List<Map.Entry<Channel, Double>> channels;
  private long next;

  SyntheticPopulation(long size, SyntheticKnobs knobs, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    this.size = size;
    this.knobs = knobs;
    this.seed = seed;
    this.quadrants = SyntheticKnobs.cumulative(knobs.quadrantMix());
    this.channels = SyntheticKnobs.cumulative(knobs.channelMix());
  }

  @Override
  public Unit next() {
    if (next >= size) {
      return null;
    }
    long i = next++;
    return () -> subject(i);
  }

  private Subject subject(long i) {
    CustomerContext ctx = customer(i);
    return new Subject(
        "synthetic",
        i + 1,
        ctx.customerId(),
        null,
        List.of(ctx),
        () -> {
          ProfileState state = new ProfileState(ctx.customerId());
          ProfileSeeder.seed(state, ctx.profile(), ctx.asOf());
          return state;
        },
        ctx.asOf(),
        null);
  }

  /** Customer {@code i}: the same for the same seed and knobs, whatever else is generated. */
  CustomerContext customer(long i) {
    SplittableRandom r = new SplittableRandom(Hash.mix(seed * 0x9e3779b97f4a7c15L + i));
    Instant now = knobs.asOf();
    Quadrant q = pick(quadrants, r.nextDouble());
    boolean highExp = q == Quadrant.Q2 || q == Quadrant.Q4;
    boolean highEng = q == Quadrant.Q3 || q == Quadrant.Q4;
    double e = highExp ? 0.55 + 0.45 * r.nextDouble() : 0.6 * r.nextDouble();
    double g = highEng ? 0.55 + 0.45 * r.nextDouble() : 0.5 * r.nextDouble();
    Channel preferred = pick(channels, r.nextDouble());

    List<Score> csat = new ArrayList<>();
    for (int k = 1 + r.nextInt(3); k > 0; k--) {
      csat.add(
          new Score(
              daysAgo(now, 1 + r.nextInt(85)),
              clamp(Math.round(1 + 4 * e + r.nextGaussian() * 0.6), 1, 5)));
    }
    List<Score> ces = new ArrayList<>();
    if (r.nextDouble() < 0.7) {
      ces.add(
          new Score(
              daysAgo(now, 1 + r.nextInt(80)),
              clamp(Math.round(7 - 6 * e + r.nextGaussian() * 0.7), 1, 7)));
    }
    Score nps =
        r.nextDouble() < 0.35
            ? new Score(
                daysAgo(now, 1 + r.nextInt(300)),
                clamp(Math.round(10 * e + r.nextGaussian() * 1.2), 0, 10))
            : null;

    List<FailedInteraction> failures = new ArrayList<>();
    if (r.nextDouble() < (1 - e) * 0.2) {
      failures.add(
          new FailedInteraction(
              daysAgo(now, 1 + r.nextInt(60)),
              r.nextBoolean() ? preferred : Channel.APP,
              "could not complete the request",
              r.nextInt(3) == 0 ? "TV" : null));
    }
    List<Complaint> complaints = new ArrayList<>();
    if (r.nextDouble() < knobs.complaintRate()) {
      Severity sev =
          Severity.values()[Math.min(3, (int) Math.floor(r.nextDouble() * r.nextDouble() * 4))];
      complaints.add(
          new Complaint(
              "SC-" + i,
              daysAgo(now, 1 + r.nextInt(30)),
              null,
              sev,
              r.nextBoolean() ? "BROADBAND" : null,
              REASONS[r.nextInt(REASONS.length)]));
    }
    // A past complaint, since resolved: commoner where experience is poorer (it weighs on the
    // index).
    if (r.nextDouble() < 0.2 * (1 - e)) {
      int opened = 40 + r.nextInt(110);
      complaints.add(
          new Complaint(
              "SR-" + i,
              daysAgo(now, opened),
              daysAgo(now, opened - 5 - r.nextInt(20)),
              Severity.MEDIUM,
              null,
              "billing"));
    }

    List<ChannelUsage> usage = new ArrayList<>();
    int interactions = (int) Math.round(g * 14 * (0.5 + r.nextDouble()));
    usage.add(
        new ChannelUsage(
            preferred,
            interactions,
            interactions == 0
                ? daysAgo(now, 100 + r.nextInt(100))
                : daysAgo(now, (int) Math.round((1 - g) * 60 * r.nextDouble())),
            null));
    if (r.nextDouble() < g && preferred != Channel.WEB) {
      usage.add(
          new ChannelUsage(Channel.WEB, 1 + r.nextInt(4), daysAgo(now, 1 + r.nextInt(60)), null));
    }
    List<ProductHolding> products = new ArrayList<>();
    products.add(new ProductHolding("BROADBAND", daysAgo(now, 100 + r.nextInt(2900))));
    if (r.nextDouble() < 0.3 + 0.5 * g) {
      products.add(new ProductHolding("MOBILE", daysAgo(now, 10 + r.nextInt(1500))));
    }
    if (r.nextDouble() < 0.2 + 0.4 * g) {
      products.add(new ProductHolding("TV", daysAgo(now, 10 + r.nextInt(1500))));
    }
    if (r.nextDouble() < 0.2 + 0.6 * g) {
      products.add(new ProductHolding("APP", daysAgo(now, 10 + r.nextInt(900))));
    }
    int purchases = (int) Math.round(g * 2.5 * r.nextDouble());
    Instant lastPurchase =
        purchases > 0 ? daysAgo(now, 1 + r.nextInt(80)) : daysAgo(now, 100 + r.nextInt(300));
    Loyalty loyalty =
        r.nextDouble() < g * 0.9
            ? new Loyalty(
                true, (int) Math.round(g * 6000 * r.nextDouble()), g > 0.8 ? "GOLD" : "SILVER")
            : new Loyalty(false, 0, null);
    int posts = r.nextDouble() < g * 0.4 ? 1 + r.nextInt(5) : 0;
    Community community =
        new Community(
            posts,
            r.nextInt((int) Math.round(g * 4) + 1),
            posts > 0 ? daysAgo(now, 1 + r.nextInt(60)) : null);
    int referrals = r.nextDouble() < g * 0.3 ? 1 + r.nextInt(2) : 0;
    int reviews = r.nextDouble() < g * 0.3 ? 1 : 0;

    Map<Channel, Boolean> consent = new EnumMap<>(Channel.class);
    consent.put(Channel.EMAIL, r.nextDouble() < 0.85);
    consent.put(Channel.SMS, r.nextDouble() < 0.6);
    consent.put(Channel.APP, r.nextDouble() < 0.55);
    consent.put(Channel.PUSH, r.nextDouble() < 0.4);
    consent.put(Channel.PHONE, r.nextDouble() < 0.7);
    QuietHours quiet =
        r.nextDouble() < 0.3
            ? new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), ZoneOffset.UTC)
            : null;
    Proficiency proficiency = Proficiency.values()[r.nextInt(3)];
    double annualValue = Math.round((150 + 3000 * Math.pow(r.nextDouble(), 2)) * 100) / 100.0;
    int tenure = r.nextInt(121);

    List<OutreachSent> outreach = new ArrayList<>();
    for (int k = poisson(r, knobs.outreachPerMonth()); k > 0; k--) {
      outreach.add(
          new OutreachSent(
              daysAgo(now, r.nextDouble() * 29.5 + 0.25),
              OUTBOUND[r.nextInt(OUTBOUND.length)],
              r.nextBoolean() ? Channel.EMAIL : Channel.SMS));
    }
    for (int k = poisson(r, knobs.outreachPerMonth() * 2); k > 0; k--) {
      outreach.add(
          new OutreachSent(
              daysAgo(now, 31 + r.nextDouble() * 58),
              OUTBOUND[r.nextInt(OUTBOUND.length)],
              Channel.EMAIL));
    }

    Interaction live = null;
    if (r.nextDouble() < knobs.liveShare()) {
      Channel ch =
          preferred == Channel.PHONE || preferred == Channel.CHAT || preferred == Channel.BRANCH
              ? preferred
              : LIVE[r.nextInt(2)];
      boolean resolved = r.nextDouble() < 0.3;
      Sentiment sentiment =
          e < 0.3 && r.nextBoolean()
              ? Sentiment.NEGATIVE
              : e > 0.7 && r.nextBoolean() ? Sentiment.POSITIVE : Sentiment.NEUTRAL;
      Integer rating =
          resolved && r.nextBoolean()
              ? clamp(Math.round(1 + 4 * e + r.nextGaussian() * 0.5), 1, 5)
              : null;
      live =
          new Interaction(
              ch, REASONS[r.nextInt(REASONS.length)], sentiment, resolved, rating, null, now);
    }

    CustomerProfile profile =
        new CustomerProfile(
            csat,
            ces,
            nps,
            complaints,
            failures,
            usage,
            products,
            purchases,
            lastPurchase,
            referrals,
            reviews,
            loyalty,
            community,
            consent,
            quiet,
            preferred,
            proficiency,
            annualValue,
            tenure,
            outreach);
    return new CustomerContext(String.format("S%08d", i + 1), now, profile, live, null);
  }

  private static Instant daysAgo(Instant now, double days) {
    return now.minus(Duration.ofSeconds(Math.round(days * 86_400)));
  }

  private static int clamp(long v, int min, int max) {
    return (int) Math.max(min, Math.min(max, v));
  }

  private static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l && k < 100);
    return k - 1;
  }

  private static <E> E pick(List<Map.Entry<E, Double>> cumulative, double u) {
    for (Map.Entry<E, Double> e : cumulative) {
      if (u < e.getValue()) {
        return e.getKey();
      }
    }
    return cumulative.get(cumulative.size() - 1).getKey();
  }

  @Override
  public double progress() {
    return size == 0 ? 1 : (double) next / size;
  }

  @Override
  public String describe() {
    return "synthetic population of "
        + size
        + " customers (quadrant mix "
        + knobs.quadrantMix()
        + ", complaint rate "
        + knobs.complaintRate()
        + ", outreach "
        + knobs.outreachPerMonth()
        + "/month)";
  }
}
