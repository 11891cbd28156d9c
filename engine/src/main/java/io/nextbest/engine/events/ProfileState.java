package io.nextbest.engine.events;

import io.nextbest.engine.events.CustomerEvent.AttributesChanged;
import io.nextbest.engine.events.CustomerEvent.CommunityActivity;
import io.nextbest.engine.events.CustomerEvent.ComplaintOpened;
import io.nextbest.engine.events.CustomerEvent.ComplaintResolved;
import io.nextbest.engine.events.CustomerEvent.ConsentChanged;
import io.nextbest.engine.events.CustomerEvent.InteractionEnded;
import io.nextbest.engine.events.CustomerEvent.InteractionStarted;
import io.nextbest.engine.events.CustomerEvent.LoyaltyActivity;
import io.nextbest.engine.events.CustomerEvent.ProductClosed;
import io.nextbest.engine.events.CustomerEvent.Purchase;
import io.nextbest.engine.events.CustomerEvent.Referral;
import io.nextbest.engine.events.CustomerEvent.SurveyAnswered;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Community;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Loyalty;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.QuietHours;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One customer's history folded into what a profile needs, so a profile for any moment is a cheap
 * {@link #snapshot(Instant)}. Events may arrive in any order: every piece of state that an event
 * replaces (consent, attributes, membership, open/resolved) keeps the time it was set and the
 * latest event wins. Not thread-safe; one instance per customer, guarded by its owner.
 */
public final class ProfileState {
  /** How far back a snapshot ever looks; older history is dropped by {@link #prune(Instant)}. */
  public static final Duration HORIZON = Duration.ofDays(400);

  private record Timed<T>(Instant at, T value) {}

  private static final class ComplaintRow {
    Instant openedAt;
    Instant resolvedAt;
    Severity severity;
    String product;
    String topic;
  }

  /**
   * One ended interaction: when, how it ended, and why it happened (the end's or start's reason).
   */
  private record Ended(Instant at, CustomerEvent.Outcome outcome, String reason) {}

  private static final class ChannelRow {
    final List<Ended> ended = new ArrayList<>();

    /** Each start's reason, for an end that does not repeat it (the latest start before it). */
    final List<Timed<String>> startReasons = new ArrayList<>();

    String reasonFor(Ended end) {
      if (end.reason() != null) {
        return end.reason();
      }
      Timed<String> best = null;
      for (Timed<String> s : startReasons) {
        if (!s.at().isAfter(end.at()) && (best == null || s.at().isAfter(best.at()))) {
          best = s;
        }
      }
      return best == null ? null : best.value();
    }

    final List<Instant> seen = new ArrayList<>();
  }

  private static final class ProductRow {
    Instant since;
    Instant lastPurchase;
    Instant closedAt;
  }

  private final String customerId;
  private final List<Score> csat = new ArrayList<>();
  private final List<Score> ces = new ArrayList<>();
  private Score nps;
  private final Map<String, ComplaintRow> complaints = new LinkedHashMap<>();
  private final List<FailedInteraction> failures = new ArrayList<>();

  /**
   * Per channel: when each interaction ended, whether a problem caused it, and when the channel was
   * last seen in use.
   */
  private final Map<Channel, ChannelRow> interactions = new EnumMap<>(Channel.class);

  private final Map<String, ProductRow> products = new TreeMap<>();
  private final List<Instant> purchases = new ArrayList<>();
  private final List<Instant> referrals = new ArrayList<>();
  private final List<Instant> reviews = new ArrayList<>();
  private final List<Instant> posts = new ArrayList<>();
  private int follows;
  private Instant lastCommunity;
  private final List<Timed<Integer>> pointMoves = new ArrayList<>();
  private final List<Timed<Boolean>> member = new ArrayList<>(1);
  private final List<Timed<String>> tier = new ArrayList<>(1);
  private final Map<Channel, List<Timed<Boolean>>> consent = new EnumMap<>(Channel.class);
  private final List<Timed<Channel>> preferred = new ArrayList<>(1);
  private final List<Timed<QuietHours>> quietHours = new ArrayList<>(1);
  private final List<Timed<Proficiency>> proficiency = new ArrayList<>(1);
  private final List<Timed<Double>> annualValue = new ArrayList<>(1);
  private final List<Timed<Instant>> customerSince = new ArrayList<>(1);
  private final List<OutreachSent> outreach = new ArrayList<>();
  private long applied;

  public ProfileState(String customerId) {
    this.customerId = customerId;
  }

  public String customerId() {
    return customerId;
  }

  /** How many events were folded in. */
  public long applied() {
    return applied;
  }

  /** Folds one event in; an event of another customer is a programming error. */
  public void apply(CustomerEvent e) {
    if (!customerId.equals(e.customerId())) {
      throw new IllegalArgumentException(
          "event " + e.id() + " is for " + e.customerId() + ", not " + customerId);
    }
    applied++;
    if (e instanceof InteractionStarted s) {
      // The start only says the channel is in use; the interaction is counted once, when it ends.
      ChannelRow row = channel(s.channel());
      row.seen.add(s.at());
      if (s.reason() != null) {
        row.startReasons.add(new Timed<>(s.at(), s.reason()));
      }
    } else if (e instanceof InteractionEnded x) {
      ChannelRow row = channel(x.channel());
      row.seen.add(x.at());
      row.ended.add(new Ended(x.at(), x.outcome(), x.reason()));
      if (x.outcome() == CustomerEvent.Outcome.FAILED) {
        failures.add(new FailedInteraction(x.at(), x.channel(), x.reason(), x.product()));
      }
    } else if (e instanceof SurveyAnswered s) {
      Score score = new Score(s.at(), s.value());
      switch (s.survey()) {
        case CSAT -> csat.add(score);
        case CES -> ces.add(score);
        case NPS -> nps = nps == null || !s.at().isBefore(nps.at()) ? score : nps;
      }
    } else if (e instanceof ComplaintOpened o) {
      ComplaintRow row = complaints.computeIfAbsent(o.complaintId(), k -> new ComplaintRow());
      row.openedAt = o.at();
      row.severity = o.severity();
      row.product = o.product();
      row.topic = o.topic();
    } else if (e instanceof ComplaintResolved r) {
      ComplaintRow row = complaints.computeIfAbsent(r.complaintId(), k -> new ComplaintRow());
      row.resolvedAt =
          row.resolvedAt == null || r.at().isAfter(row.resolvedAt) ? r.at() : row.resolvedAt;
    } else if (e instanceof Purchase p) {
      purchases.add(p.at());
      if (p.product() != null) {
        ProductRow row = products.computeIfAbsent(p.product(), k -> new ProductRow());
        if (row.lastPurchase == null || p.at().isAfter(row.lastPurchase)) {
          row.lastPurchase = p.at();
        }
        if (row.since == null
            || p.at().isBefore(row.since)
            || (row.closedAt != null && row.since.isBefore(row.closedAt))) {
          row.since = p.at();
        }
      }
    } else if (e instanceof ProductClosed c) {
      ProductRow row = products.computeIfAbsent(c.product(), k -> new ProductRow());
      if (row.closedAt == null || c.at().isAfter(row.closedAt)) {
        row.closedAt = c.at();
      }
    } else if (e instanceof LoyaltyActivity l) {
      switch (l.kind()) {
        case JOINED -> member.add(new Timed<>(l.at(), true));
        case LEFT -> member.add(new Timed<>(l.at(), false));
        case EARNED -> pointMoves.add(new Timed<>(l.at(), l.points() == null ? 0 : l.points()));
        case REDEEMED -> pointMoves.add(new Timed<>(l.at(), l.points() == null ? 0 : -l.points()));
      }
      if (l.tier() != null) {
        tier.add(new Timed<>(l.at(), l.tier()));
      }
    } else if (e instanceof CommunityActivity c) {
      switch (c.kind()) {
        case POST -> posts.add(c.at());
        case FOLLOW -> follows++;
        case REVIEW -> reviews.add(c.at());
      }
      lastCommunity =
          lastCommunity == null || c.at().isAfter(lastCommunity) ? c.at() : lastCommunity;
    } else if (e instanceof Referral r) {
      referrals.add(r.at());
    } else if (e instanceof ConsentChanged c) {
      consent
          .computeIfAbsent(c.channel(), k -> new ArrayList<>(1))
          .add(new Timed<>(c.at(), c.granted()));
    } else if (e instanceof AttributesChanged a) {
      if (a.preferredChannel() != null) {
        preferred.add(new Timed<>(a.at(), a.preferredChannel()));
      }
      if (a.quietHours() != null) {
        quietHours.add(new Timed<>(a.at(), a.quietHours()));
      }
      if (a.digitalProficiency() != null) {
        proficiency.add(new Timed<>(a.at(), a.digitalProficiency()));
      }
      if (a.annualValue() != null) {
        annualValue.add(new Timed<>(a.at(), a.annualValue()));
      }
      if (a.customerSince() != null) {
        customerSince.add(new Timed<>(a.at(), a.customerSince()));
      }
    } else if (e instanceof CustomerEvent.OutreachSent o) {
      outreach.add(new OutreachSent(o.at(), o.actionId(), o.channel()));
    }
    // OutreachResponse feeds propensity learning and the contact ledger, not the profile.
  }

  private ChannelRow channel(Channel channel) {
    return interactions.computeIfAbsent(channel, k -> new ChannelRow());
  }

  /**
   * The profile as it stood at {@code asOf}, problem contacts told by outcome alone (see {@link
   * #snapshot(Instant, ProblemContacts)}).
   */
  public CustomerProfile snapshot(Instant asOf) {
    return snapshot(asOf, ProblemContacts.BY_OUTCOME);
  }

  /**
   * The profile as it stood at {@code asOf}: only what happened up to then, in the windows the
   * engine reads; {@code problems} tells which ended interactions a problem caused.
   */
  public CustomerProfile snapshot(Instant asOf, ProblemContacts problems) {
    Instant d90 = asOf.minus(Duration.ofDays(90));
    Instant d365 = asOf.minus(Duration.ofDays(365));
    List<Score> csatOut = scores(csat, asOf, asOf.minus(Duration.ofDays(180)));
    List<Score> cesOut = scores(ces, asOf, asOf.minus(Duration.ofDays(180)));
    List<Complaint> complaintsOut = new ArrayList<>();
    complaints.forEach(
        (id, row) -> {
          if (row.openedAt != null && !row.openedAt.isAfter(asOf)) {
            Instant resolved =
                row.resolvedAt != null
                        && !row.resolvedAt.isAfter(asOf)
                        && !row.resolvedAt.isBefore(row.openedAt)
                    ? row.resolvedAt
                    : null;
            if (resolved == null || resolved.isAfter(d365)) {
              complaintsOut.add(
                  new Complaint(id, row.openedAt, resolved, row.severity, row.product, row.topic));
            }
          }
        });
    List<FailedInteraction> failuresOut = new ArrayList<>();
    for (FailedInteraction f : failures) {
      if (!f.at().isAfter(asOf) && f.at().isAfter(d90)) {
        failuresOut.add(f);
      }
    }
    List<ChannelUsage> usage = new ArrayList<>();
    interactions.forEach(
        (ch, row) -> {
          int n = 0;
          int caused = 0;
          for (Ended t : row.ended) {
            if (!t.at().isAfter(asOf) && t.at().isAfter(d90)) {
              n++;
              caused += problems.isProblem(t.outcome(), row.reasonFor(t)) ? 1 : 0;
            }
          }
          Instant last = null;
          for (Instant t : row.seen) {
            if (!t.isAfter(asOf)) {
              last = last == null || t.isAfter(last) ? t : last;
            }
          }
          if (last != null) {
            usage.add(new ChannelUsage(ch, n, last, caused));
          }
        });
    List<ProductHolding> holdings = new ArrayList<>();
    products.forEach(
        (name, row) -> {
          boolean bought = row.lastPurchase != null && !row.lastPurchase.isAfter(asOf);
          boolean closed =
              row.closedAt != null
                  && !row.closedAt.isAfter(asOf)
                  && (row.lastPurchase == null || !row.closedAt.isBefore(row.lastPurchase));
          if (bought && !closed) {
            holdings.add(
                new ProductHolding(
                    name,
                    row.since != null && !row.since.isAfter(asOf) ? row.since : row.lastPurchase));
          }
        });
    Instant lastPurchase = null;
    for (Instant t : purchases) {
      if (!t.isAfter(asOf)) {
        lastPurchase = lastPurchase == null || t.isAfter(lastPurchase) ? t : lastPurchase;
      }
    }
    int points = 0;
    for (Timed<Integer> m : pointMoves) {
      if (!m.at().isAfter(asOf)) {
        points += m.value();
      }
    }
    boolean isMember = Boolean.TRUE.equals(value(member, asOf));
    Map<Channel, Boolean> consentOut = new EnumMap<>(Channel.class);
    consent.forEach(
        (ch, changes) -> {
          Boolean granted = value(changes, asOf);
          if (granted != null) {
            consentOut.put(ch, granted);
          }
        });
    List<OutreachSent> outreachOut = new ArrayList<>();
    for (OutreachSent o : outreach) {
      if (!o.at().isAfter(asOf) && o.at().isAfter(d90)) {
        outreachOut.add(o);
      }
    }
    Instant since = value(customerSince, asOf);
    Integer tenure =
        since == null ? null : (int) Math.max(0, Duration.between(since, asOf).toDays() / 30);
    return new CustomerProfile(
        csatOut,
        cesOut,
        nps != null && !nps.at().isAfter(asOf) ? nps : null,
        complaintsOut,
        failuresOut,
        usage,
        holdings,
        count(purchases, d90, asOf),
        lastPurchase,
        count(referrals, d365, asOf),
        count(reviews, d365, asOf),
        value(member, asOf) != null || points > 0
            ? new Loyalty(isMember, Math.max(0, points), value(tier, asOf))
            : null,
        new Community(
            count(posts, d90, asOf),
            follows,
            lastCommunity != null && !lastCommunity.isAfter(asOf) ? lastCommunity : null),
        consentOut,
        value(quietHours, asOf),
        value(preferred, asOf),
        value(proficiency, asOf),
        value(annualValue, asOf),
        tenure,
        outreachOut);
  }

  /** Drops history no snapshot at or after {@code now} can see, so state stays bounded. */
  public void prune(Instant now) {
    Instant horizon = now.minus(HORIZON);
    csat.removeIf(s -> s.at().isBefore(horizon));
    ces.removeIf(s -> s.at().isBefore(horizon));
    failures.removeIf(f -> f.at().isBefore(horizon));
    interactions
        .values()
        .forEach(
            row -> {
              row.ended.removeIf(t -> t.at().isBefore(horizon));
              row.startReasons.removeIf(t -> t.at().isBefore(horizon));
              if (row.seen.size() > 1) {
                Instant last = row.seen.stream().max(Instant::compareTo).orElseThrow();
                row.seen.removeIf(t -> t.isBefore(horizon) && !t.equals(last));
              }
            });
    purchases.removeIf(t -> t.isBefore(horizon));
    referrals.removeIf(t -> t.isBefore(horizon));
    reviews.removeIf(t -> t.isBefore(horizon));
    posts.removeIf(t -> t.isBefore(horizon));
    outreach.removeIf(o -> o.at().isBefore(horizon));
    complaints.values().removeIf(r -> r.resolvedAt != null && r.resolvedAt.isBefore(horizon));
  }

  private static List<Score> scores(List<Score> all, Instant asOf, Instant from) {
    List<Score> out = new ArrayList<>();
    for (Score s : all) {
      if (!s.at().isAfter(asOf) && s.at().isAfter(from)) {
        out.add(s);
      }
    }
    return out;
  }

  private static int count(List<Instant> times, Instant from, Instant asOf) {
    int n = 0;
    for (Instant t : times) {
      if (t.isAfter(from) && !t.isAfter(asOf)) {
        n++;
      }
    }
    return n;
  }

  /** The latest value set at or before {@code asOf}; ties go to the one applied last. */
  private static <T> T value(List<Timed<T>> changes, Instant asOf) {
    Timed<T> best = null;
    for (Timed<T> t : changes) {
      if (!t.at().isAfter(asOf) && (best == null || !t.at().isBefore(best.at()))) {
        best = t;
      }
    }
    return best == null ? null : best.value();
  }
}
