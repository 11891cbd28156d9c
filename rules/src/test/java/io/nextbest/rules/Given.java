package io.nextbest.rules;

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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A readable way to state the customer a test is about. Times are days before {@link #NOW}. */
final class Given {
  static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

  private final String id;
  private final List<Score> csat = new ArrayList<>();
  private final List<Score> ces = new ArrayList<>();
  private Score nps;
  private final List<Complaint> complaints = new ArrayList<>();
  private final List<FailedInteraction> failures = new ArrayList<>();
  private final List<ChannelUsage> channels = new ArrayList<>();
  private final List<ProductHolding> products = new ArrayList<>();
  private final List<OutreachSent> outreach = new ArrayList<>();
  private final Map<Channel, Boolean> consent = new EnumMap<>(Channel.class);
  private int purchases;
  private int referrals;
  private int reviews;
  private Loyalty loyalty;
  private Community community;
  private QuietHours quiet;
  private Channel preferred;
  private Proficiency proficiency;
  private double annualValue;
  private Interaction interaction;
  private Instant asOf = NOW;

  private Given(String id) {
    this.id = id;
  }

  static Given customer(String id) {
    return new Given(id);
  }

  /** Someone who is happy with us and barely in touch: lands in Q2. */
  static Given satisfiedQuietCustomer(String id) {
    return customer(id)
        .csat(5, 20)
        .ces(2, 20)
        .holds("BROADBAND", 900)
        .usesChannel(Channel.WEB, 1, 70)
        .consents(Channel.EMAIL, Channel.SMS);
  }

  /** A well-served, engaged customer: lands in Q4. */
  static Given champion(String id) {
    return customer(id)
        .csat(5, 30)
        .csat(4, 10)
        .ces(2, 10)
        .nps(10, 50)
        .usesChannel(Channel.APP, 12, 1)
        .usesChannel(Channel.PHONE, 3, 13)
        .holds("BROADBAND", 2000)
        .holds("MOBILE", 1500)
        .holds("TV", 1000)
        .purchases(2)
        .referrals(2)
        .reviews(1)
        .loyaltyMember(4000)
        .communityPosts(5)
        .consents(Channel.EMAIL, Channel.SMS, Channel.APP);
  }

  static Instant daysAgo(double days) {
    return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
  }

  Given csat(int value, double daysAgo) {
    csat.add(new Score(daysAgo(daysAgo), value));
    return this;
  }

  Given ces(int value, double daysAgo) {
    ces.add(new Score(daysAgo(daysAgo), value));
    return this;
  }

  Given nps(int value, double daysAgo) {
    nps = new Score(daysAgo(daysAgo), value);
    return this;
  }

  Given openComplaint(String cid, Severity severity, String product, double daysAgo) {
    complaints.add(new Complaint(cid, daysAgo(daysAgo), null, severity, product, null));
    return this;
  }

  Given resolvedComplaint(
      String cid, Severity severity, double openedDaysAgo, double resolvedDaysAgo) {
    complaints.add(
        new Complaint(cid, daysAgo(openedDaysAgo), daysAgo(resolvedDaysAgo), severity, null, null));
    return this;
  }

  Given failed(Channel channel, String product, double daysAgo) {
    failures.add(new FailedInteraction(daysAgo(daysAgo), channel, "failed", product));
    return this;
  }

  Given usesChannel(Channel channel, int interactions90d, double lastDaysAgo) {
    channels.add(new ChannelUsage(channel, interactions90d, daysAgo(lastDaysAgo), null));
    return this;
  }

  /**
   * Contacts on a channel of which {@code problems} were caused by a problem (faults, failed or
   * unresolved).
   */
  Given contacted(Channel channel, int interactions90d, int problems, double lastDaysAgo) {
    channels.add(new ChannelUsage(channel, interactions90d, daysAgo(lastDaysAgo), problems));
    return this;
  }

  Given holds(String product, double sinceDaysAgo) {
    products.add(new ProductHolding(product, daysAgo(sinceDaysAgo)));
    return this;
  }

  Given purchases(int n) {
    purchases = n;
    return this;
  }

  Given referrals(int n) {
    referrals = n;
    return this;
  }

  Given reviews(int n) {
    reviews = n;
    return this;
  }

  Given loyaltyMember(int points) {
    loyalty = new Loyalty(true, points, "GOLD");
    return this;
  }

  Given communityPosts(int posts) {
    community = new Community(posts, 2, daysAgo(3));
    return this;
  }

  Given consents(Channel... chs) {
    for (Channel c : chs) {
      consent.put(c, true);
    }
    return this;
  }

  Given withdrew(Channel ch) {
    consent.put(ch, false);
    return this;
  }

  Given prefers(Channel ch) {
    preferred = ch;
    return this;
  }

  Given proficiency(Proficiency p) {
    proficiency = p;
    return this;
  }

  Given annualValue(double v) {
    annualValue = v;
    return this;
  }

  Given quietHours(String start, String end, String zone) {
    quiet =
        new QuietHours(
            java.time.LocalTime.parse(start),
            java.time.LocalTime.parse(end),
            java.time.ZoneId.of(zone));
    return this;
  }

  Given sent(String actionId, Channel channel, double daysAgo) {
    outreach.add(new OutreachSent(daysAgo(daysAgo), actionId, channel));
    return this;
  }

  Given onTheLine(Channel channel, String reason, Sentiment sentiment) {
    interaction = new Interaction(channel, reason, sentiment, false, null, null, NOW);
    return this;
  }

  Given justResolved(Channel channel, Integer rating) {
    interaction =
        new Interaction(channel, "resolved issue", Sentiment.POSITIVE, true, rating, null, NOW);
    return this;
  }

  Given at(Instant instant) {
    asOf = instant;
    return this;
  }

  CustomerContext context() {
    CustomerProfile profile =
        new CustomerProfile(
            csat,
            ces,
            nps,
            complaints,
            failures,
            channels,
            products,
            purchases,
            null,
            referrals,
            reviews,
            loyalty,
            community,
            consent,
            quiet,
            preferred,
            proficiency,
            annualValue,
            0,
            outreach);
    return new CustomerContext(id, asOf, profile, interaction, 50);
  }
}
