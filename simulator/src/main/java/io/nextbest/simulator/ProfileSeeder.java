package io.nextbest.simulator;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Score;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a profile (from a mapped or generated population) into the events that would have produced
 * it, so a journey can evolve it through {@link ProfileState} like any ingested history. Counts in
 * a window (interactions, purchases, posts, referrals) become that many events spread over the
 * window; a snapshot at {@code asOf} gives back the same counts, recency and holdings.
 */
final class ProfileSeeder {
  private static final Duration DAY = Duration.ofDays(1);

  private ProfileSeeder() {}

  static void seed(ProfileState state, CustomerProfile p, Instant asOf) {
    new Seeding(state, asOf).run(p);
  }

  private static final class Seeding {
    private final ProfileState state;
    private final String c;
    private final Instant asOf;
    private final Instant early;
    private int n;

    Seeding(ProfileState state, Instant asOf) {
      this.state = state;
      this.c = state.customerId();
      this.asOf = asOf;
      this.early = asOf.minus(Duration.ofDays(730));
    }

    private String id() {
      return "seed-" + (++n);
    }

    void run(CustomerProfile p) {
      Instant since = asOf.minus(Duration.ofDays(30L * p.tenureMonths() + 1));
      apply(
          new CustomerEvent.AttributesChanged(
              id(),
              c,
              early,
              p.preferredChannel(),
              p.quietHours(),
              p.digitalProficiency(),
              p.annualValue(),
              since));
      for (Map.Entry<Channel, Boolean> e : p.consent().entrySet()) {
        apply(new CustomerEvent.ConsentChanged(id(), c, early, e.getKey(), e.getValue()));
      }
      survey(p.csat(), CustomerEvent.Survey.CSAT);
      survey(p.ces(), CustomerEvent.Survey.CES);
      if (p.nps() != null && p.nps().value() != null && p.nps().at() != null) {
        apply(
            new CustomerEvent.SurveyAnswered(
                id(), c, p.nps().at(), CustomerEvent.Survey.NPS, p.nps().value()));
      }
      for (Complaint k : p.complaints()) {
        apply(
            new CustomerEvent.ComplaintOpened(
                id(), c, k.openedAt(), k.id(), k.severity(), k.product(), k.topic()));
        if (k.resolvedAt() != null) {
          apply(new CustomerEvent.ComplaintResolved(id(), c, k.resolvedAt(), k.id()));
        }
      }
      Instant d90 = asOf.minus(Duration.ofDays(90));
      for (FailedInteraction f : p.failedInteractions()) {
        apply(
            new CustomerEvent.InteractionEnded(
                id(),
                c,
                f.at(),
                f.channel(),
                f.reason(),
                CustomerEvent.Outcome.FAILED,
                f.product()));
      }
      for (ChannelUsage u : p.channels()) {
        int failuresHere = 0;
        for (FailedInteraction f : p.failedInteractions()) {
          if (f.channel() == u.channel() && f.at().isAfter(d90) && !f.at().isAfter(asOf)) {
            failuresHere++;
          }
        }
        int all = u.interactions90d() == null ? 0 : u.interactions90d();
        int problems = Math.min(all, u.problemContacts90d() == null ? 0 : u.problemContacts90d());
        // The failures were replayed above; what is left is told apart as chosen or problem
        // contacts.
        int unresolved = Math.max(0, problems - failuresHere);
        int chosen = Math.max(0, all - Math.max(problems, failuresHere));
        Instant last = u.lastAt();
        if (last != null && !last.isAfter(d90)) {
          apply(new CustomerEvent.InteractionStarted(id(), c, last, u.channel(), null));
          continue;
        }
        Instant newest = last == null ? asOf.minus(DAY) : last;
        spread(
            chosen,
            newest,
            d90,
            t ->
                new CustomerEvent.InteractionEnded(
                    id(), c, t, u.channel(), null, CustomerEvent.Outcome.RESOLVED, null));
        spread(
            unresolved,
            newest,
            d90,
            t ->
                new CustomerEvent.InteractionEnded(
                    id(),
                    c,
                    t,
                    u.channel(),
                    "problem contact",
                    CustomerEvent.Outcome.UNRESOLVED,
                    null));
      }
      int recentProducts = 0;
      for (ProductHolding h : p.products()) {
        Instant at = h.since() == null ? asOf.minus(Duration.ofDays(365)) : h.since();
        if (at.isAfter(d90)) {
          recentProducts++;
        }
        apply(new CustomerEvent.Purchase(id(), c, at, h.product(), null));
      }
      int extra = Math.max(0, p.purchases90d() - recentProducts);
      Instant lastBuy = p.lastPurchaseAt();
      if (extra > 0) {
        Instant newest = lastBuy != null && lastBuy.isAfter(d90) ? lastBuy : asOf.minus(DAY);
        spread(extra, newest, d90, t -> new CustomerEvent.Purchase(id(), c, t, null, null));
      } else if (lastBuy != null && !lastBuy.isAfter(d90)) {
        apply(new CustomerEvent.Purchase(id(), c, lastBuy, null, null));
      }
      Instant d365 = asOf.minus(Duration.ofDays(365));
      spread(
          p.referrals12m(),
          asOf.minus(Duration.ofDays(365 / (p.referrals12m() + 1))),
          d365,
          t -> new CustomerEvent.Referral(id(), c, t, null));
      spread(
          p.reviews12m(),
          asOf.minus(Duration.ofDays(365 / (p.reviews12m() + 1))),
          d365,
          t -> new CustomerEvent.CommunityActivity(id(), c, t, CustomerEvent.CommunityKind.REVIEW));
      if (p.loyalty().member()) {
        apply(
            new CustomerEvent.LoyaltyActivity(
                id(), c, early, CustomerEvent.LoyaltyKind.JOINED, null, p.loyalty().tier()));
      } else if (p.loyalty() != io.nextbest.engine.model.Loyalty.NONE) {
        // Recorded as not a member: the event history says so, so the engine still sees it as
        // observed.
        apply(
            new CustomerEvent.LoyaltyActivity(
                id(), c, early, CustomerEvent.LoyaltyKind.LEFT, null, null));
      }
      if (p.loyalty().points() > 0) {
        apply(
            new CustomerEvent.LoyaltyActivity(
                id(), c, early, CustomerEvent.LoyaltyKind.EARNED, p.loyalty().points(), null));
      }
      Instant lastCommunity = p.community().lastActivityAt();
      for (int i = 0; i < p.community().follows(); i++) {
        boolean latest =
            i == p.community().follows() - 1
                && p.community().posts90d() == 0
                && lastCommunity != null;
        apply(
            new CustomerEvent.CommunityActivity(
                id(), c, latest ? lastCommunity : early, CustomerEvent.CommunityKind.FOLLOW));
      }
      Instant newestPost =
          lastCommunity != null && lastCommunity.isAfter(d90) ? lastCommunity : asOf.minus(DAY);
      spread(
          p.community().posts90d(),
          newestPost,
          d90,
          t -> new CustomerEvent.CommunityActivity(id(), c, t, CustomerEvent.CommunityKind.POST));
      for (OutreachSent o : p.outreach()) {
        apply(new CustomerEvent.OutreachSent(id(), c, o.at(), o.actionId(), o.channel(), null));
      }
    }

    private void survey(Iterable<Score> scores, CustomerEvent.Survey kind) {
      for (Score s : scores) {
        if (s != null && s.value() != null && s.at() != null) {
          apply(new CustomerEvent.SurveyAnswered(id(), c, s.at(), kind, s.value()));
        }
      }
    }

    /**
     * {@code count} events: the newest at {@code newest}, the rest evenly spaced back towards
     * {@code oldestExclusive}.
     */
    private void spread(
        int count,
        Instant newest,
        Instant oldestExclusive,
        java.util.function.Function<Instant, CustomerEvent> make) {
      if (count <= 0) {
        return;
      }
      long span = Duration.between(oldestExclusive, newest).getSeconds();
      long step = Math.max(1, span / count);
      for (int i = 0; i < count; i++) {
        apply(make.apply(newest.minusSeconds(step * i)));
      }
    }

    private void apply(CustomerEvent e) {
      state.apply(e);
    }
  }
}
