package io.nextbest.benchmarks;

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
import io.nextbest.engine.model.QuietHours;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Valid customer contexts drawn from a seed: the same seed gives the same contexts. Histories are
 * skewed towards the last few days so that the windows the rules look at (7, 14, 30, 90 days) are
 * hit often, ties (two complaints opened the same day, two failures the same day) happen, and every
 * quadrant, cap, consent and quiet-hours case comes up in a few hundred draws.
 */
public final class RandomContexts {
  static final Instant BASE = Instant.parse("2026-11-23T10:00:00Z");
  private static final String[] PRODUCTS = {"BROADBAND", "MOBILE", "TV", "APP", "INSURANCE"};
  private static final String[] FAILURE_PRODUCTS = {
    null, null, "BROADBAND", "MOBILE", "TV", "APP", "tv"
  };
  private static final String[] FAILURE_REASONS = {
    null, "", "dropped call", "payment failed", "app crashed on login"
  };
  private static final String[] LIVE_REASONS = {
    null,
    "general enquiry",
    "billing question",
    "Bill shock",
    "Outage in my area",
    "known issue with the router",
    "incident report",
    "service disruption",
    "upgrade",
    "moving house"
  };
  private static final ZoneId[] ZONES = {
    null,
    ZoneId.of("UTC"),
    ZoneId.of("Europe/London"),
    ZoneId.of("America/New_York"),
    ZoneId.of("Asia/Tokyo"),
    ZoneId.of("Australia/Sydney")
  };

  private final SplittableRandom r;
  private int serial;

  public RandomContexts(long seed) {
    this.r = new SplittableRandom(seed);
  }

  public List<CustomerContext> next(int n) {
    List<CustomerContext> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  public CustomerContext next() {
    int id = serial++;
    Instant now = BASE.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 60)));
    boolean engaged = r.nextBoolean();
    boolean troubled = r.nextInt(3) == 0;

    List<Score> csat = new ArrayList<>();
    for (int i = r.nextInt(troubled ? 5 : 4); i > 0; i--) {
      csat.add(new Score(ago(now, 200), troubled ? 1 + r.nextInt(4) : 2 + r.nextInt(4)));
    }
    List<Score> ces = new ArrayList<>();
    for (int i = r.nextInt(6); i > 0; i--) {
      ces.add(new Score(ago(now, 200), troubled ? 3 + r.nextInt(5) : 1 + r.nextInt(7)));
    }
    Score nps = r.nextInt(3) == 0 ? null : new Score(ago(now, 400), r.nextInt(11));

    List<Complaint> complaints = new ArrayList<>();
    int sameDay = r.nextInt(6);
    for (int i = r.nextInt(troubled ? 4 : 2); i > 0; i--) {
      Instant opened =
          r.nextInt(4) == 0
              ? now.minus(Duration.ofDays(sameDay)).minusSeconds(60L * i)
              : ago(now, 200);
      Instant resolved = r.nextBoolean() ? null : between(opened, now);
      complaints.add(
          new Complaint(
              "K-" + id + "-" + i,
              opened,
              resolved,
              pick(Severity.values()),
              pick(FAILURE_PRODUCTS),
              r.nextBoolean() ? "billing" : null));
    }

    List<FailedInteraction> failures = new ArrayList<>();
    int failDay = r.nextInt(10);
    for (int i = r.nextInt(troubled ? 5 : 2); i > 0; i--) {
      Instant at =
          r.nextInt(3) == 0
              ? now.minus(Duration.ofDays(failDay)).minusSeconds(30L * i)
              : ago(now, 100);
      failures.add(
          new FailedInteraction(
              at, pick(Channel.values()), pick(FAILURE_REASONS), pick(FAILURE_PRODUCTS)));
    }

    List<ChannelUsage> channels = new ArrayList<>();
    for (int i = r.nextInt(engaged ? 5 : 2); i > 0; i--) {
      channels.add(
          new ChannelUsage(
              pick(Channel.values()),
              r.nextInt(8) == 0 ? null : r.nextInt(engaged ? 25 : 4),
              r.nextInt(5) == 0 ? null : ago(now, 120),
              null));
    }
    List<ProductHolding> products = new ArrayList<>();
    for (int i = r.nextInt(engaged ? 5 : 3); i > 0; i--) {
      Instant since =
          r.nextInt(10) == 0 ? null : (r.nextInt(4) == 0 ? ago(now, 40) : ago(now, 2000));
      products.add(new ProductHolding(pick(PRODUCTS), since));
    }

    Map<Channel, Boolean> consent = new EnumMap<>(Channel.class);
    for (Channel ch : Channel.values()) {
      int k = r.nextInt(4);
      if (k > 0) {
        consent.put(ch, k > 1);
      }
    }
    QuietHours quiet = null;
    if (r.nextBoolean()) {
      quiet =
          r.nextInt(5) == 0
              ? new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 30), pick(ZONES))
              : new QuietHours(
                  LocalTime.of(20 + r.nextInt(4), 0),
                  LocalTime.of(6 + r.nextInt(3), 30),
                  pick(ZONES));
    }
    List<OutreachSent> outreach = new ArrayList<>();
    for (int i = r.nextInt(7); i > 0; i--) {
      outreach.add(new OutreachSent(ago(now, 40), "loyalty-invite", pick(Channel.values())));
    }

    CustomerProfile profile =
        new CustomerProfile(
            csat,
            ces,
            nps,
            complaints,
            failures,
            channels,
            products,
            r.nextInt(6) == 0 ? null : r.nextInt(engaged ? 6 : 2),
            r.nextBoolean() ? ago(now, 200) : null,
            r.nextInt(engaged ? 4 : 2),
            r.nextInt(engaged ? 4 : 2),
            r.nextBoolean()
                ? new Loyalty(true, r.nextInt(6000), r.nextBoolean() ? "gold" : null)
                : (r.nextInt(4) == 0 ? null : Loyalty.NONE),
            r.nextBoolean()
                ? new Community(
                    r.nextInt(3) == 0 ? r.nextInt(6) : 0,
                    r.nextInt(12),
                    r.nextBoolean() ? ago(now, 90) : null)
                : null,
            consent,
            quiet,
            r.nextInt(3) == 0 ? null : pick(Channel.values()),
            r.nextInt(4) == 0 ? null : pick(Proficiency.values()),
            r.nextInt(8) == 0 ? null : (double) r.nextInt(4000),
            r.nextInt(200),
            outreach);

    Interaction live = null;
    if (r.nextInt(5) < 3) {
      boolean resolved = r.nextInt(5) < 2;
      Integer rating = resolved && r.nextInt(3) > 0 ? 1 + r.nextInt(5) : null;
      live =
          new Interaction(
              pick(Channel.values()),
              pick(LIVE_REASONS),
              r.nextInt(5) == 0 ? null : pick(Sentiment.values()),
              resolved,
              rating,
              pick(FAILURE_PRODUCTS),
              now.minus(Duration.ofMinutes(r.nextInt(30))));
    }
    Integer limit = r.nextInt(3) == 0 ? 1 + r.nextInt(12) : null;
    return new CustomerContext("r-" + id, now, profile, live, limit);
  }

  /** A moment up to {@code maxDays} before {@code now}, half the time within the last 10 days. */
  private Instant ago(Instant now, int maxDays) {
    int days = r.nextBoolean() ? r.nextInt(Math.min(10, maxDays)) : r.nextInt(maxDays);
    return now.minus(Duration.ofDays(days)).minus(Duration.ofMinutes(r.nextInt(24 * 60)));
  }

  private Instant between(Instant from, Instant to) {
    long span = Math.max(1, Duration.between(from, to).toMinutes());
    return from.plus(Duration.ofMinutes(r.nextLong(span)));
  }

  private <T> T pick(T[] values) {
    return values[r.nextInt(values.length)];
  }
}
