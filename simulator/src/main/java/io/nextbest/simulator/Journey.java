package io.nextbest.simulator;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One customer's journey on one side: every decision moment the engine decides on the evolving
 * profile, the top outbound action is sent ({@code OUTREACH_SENT}), the seeded response model
 * answers ({@code OUTREACH_RESPONSE}) and an accepted action has its effect as events (a survey, a
 * purchase, loyalty, a resolved complaint...). Everything flows through {@link ProfileState}, so
 * the contact caps see the outreach the journey itself sent.
 */
final class Journey {
  /** The contact-policy rules whose suppressions count as "suppressed by caps". */
  static final Set<String> CAP_RULES = Set.of("WeeklyOutreachCap", "MonthlyOutreachCap");

  /** Where one journey started and ended, and what it earned. */
  record Result(Quadrant start, Quadrant end, int sent, int accepted, long valueCents) {}

  private final Sides sides;
  private final int side;
  private final JourneyModel model;
  private final int weeks;
  private final long seed;

  Journey(Sides sides, int side, JourneyModel model, int weeks, long seed) {
    this.sides = sides;
    this.side = side;
    this.model = model;
    this.weeks = weeks;
    this.seed = seed;
  }

  Result run(Subject subject, Tally.JourneyTally tally) {
    String cid = subject.customerId();
    ProfileState state = subject.state().get();
    Instant t0 = subject.journeyStart();
    Duration step = Duration.ofSeconds(7L * 86_400 / model.decisionsPerWeek());
    Decision first = decide(cid, t0, state, -1);
    Quadrant start = first.segment().quadrant();
    tally.customers++;
    tally.quadrantByWeek[0][start.ordinal()]++;
    tally.decisions[0]++;
    Quadrant end = start;
    int sent = 0;
    int accepted = 0;
    long value = 0;
    int k = 0;
    for (int w = 1; w <= weeks; w++) {
      for (int j = 0; j < model.decisionsPerWeek(); j++, k++) {
        Instant t = t0.plus(step.multipliedBy(k + 1L));
        life(state, cid, t.minus(step.dividedBy(2)), k);
        Decision d = decide(cid, t, state, k);
        tally.decisions[w]++;
        end = d.segment().quadrant();
        if (!d.criticalGaps().isEmpty()) {
          tally.gapHeld[w]++;
        }
        Set<String> caps = new HashSet<>(2);
        for (SuppressedAction s : d.suppressed()) {
          for (Suppression by : s.by()) {
            if (CAP_RULES.contains(by.rule()) && caps.add(by.rule())) {
              tally.capRules.add(by.rule());
            }
          }
        }
        if (!caps.isEmpty()) {
          tally.capSuppressed[w]++;
        }
        RecommendedAction action = null;
        for (RecommendedAction a : d.actions()) {
          if (a.outbound()) {
            action = a;
            break;
          }
        }
        if (action == null) {
          continue;
        }
        state.apply(
            new CustomerEvent.OutreachSent(
                eventId(k, "sent"), cid, t, action.actionId(), action.channel(), d.decisionId()));
        sent++;
        tally.sent[w]++;
        tally.sentByFamily.add(action.family().name());
        double p = action.explanation().priority().propensity().value();
        double u = uniform(cid, "response", k);
        Instant answered = t.plus(Duration.ofHours(2));
        if (u < p) {
          state.apply(
              new CustomerEvent.OutreachResponse(
                  eventId(k, "response"),
                  cid,
                  answered,
                  action.actionId(),
                  d.decisionId(),
                  CustomerEvent.Response.ACCEPTED));
          effect(state, cid, action, d, t.plus(step.dividedBy(2)), k);
          CatalogueAction c = sides.action(side, action.actionId());
          long cents =
              Math.round(
                  (c == null ? action.explanation().priority().value() : c.baseValue()) * 100);
          accepted++;
          value += cents;
          tally.accepted[w]++;
          tally.valueCents[w] += cents;
          tally.acceptedByFamily.add(action.family().name());
        } else if (u >= 1 - model.declineShare() * (1 - p)) {
          state.apply(
              new CustomerEvent.OutreachResponse(
                  eventId(k, "response"),
                  cid,
                  answered,
                  action.actionId(),
                  d.decisionId(),
                  CustomerEvent.Response.DECLINED));
          tally.declined[w]++;
        } else {
          state.apply(
              new CustomerEvent.OutreachResponse(
                  eventId(k, "response"),
                  cid,
                  answered,
                  action.actionId(),
                  d.decisionId(),
                  CustomerEvent.Response.DELIVERED));
        }
      }
      tally.quadrantByWeek[w][end.ordinal()]++;
      state.prune(t0.plus(step.multipliedBy(k)));
    }
    tally.migration[start.ordinal()][end.ordinal()]++;
    return new Result(start, end, sent, accepted, value);
  }

  private Decision decide(String cid, Instant t, ProfileState state, int k) {
    CustomerContext ctx =
        new CustomerContext(
            cid, t, state.snapshot(t, sides.ruleSet(side).problemContacts()), null, null);
    return sides.decide(
        side, ctx, "j" + Sides.PREFIX[side] + "-" + Hash.hex(Hash.of(seed, cid, "journey", k)));
  }

  /**
   * What happens whatever the rules do: complaints open and resolve, the customer gets in touch.
   */
  private void life(ProfileState state, String cid, Instant at, int k) {
    double perStep = 1.0 / model.decisionsPerWeek();
    CustomerProfile now = state.snapshot(at);
    boolean open = false;
    for (Complaint c : now.complaints()) {
      if (c.open()) {
        open = true;
        if (uniform(cid, "resolve " + c.id(), k) < model.selfResolveRatePerWeek() * perStep) {
          state.apply(
              new CustomerEvent.ComplaintResolved(
                  eventId(k, "resolve " + c.id()), cid, at, c.id()));
        }
      }
    }
    if (uniform(cid, "complaint", k) < model.complaintRatePerWeek() * perStep) {
      state.apply(
          new CustomerEvent.ComplaintOpened(
              eventId(k, "complaint"),
              cid,
              at,
              "J-" + cid + "-" + k,
              Severity.MEDIUM,
              null,
              "service"));
      open = true;
    }
    if (uniform(cid, "contact", k) < model.interactionRatePerWeek() * perStep) {
      Channel ch = now.preferredChannel() == null ? Channel.PHONE : now.preferredChannel();
      Instant end = at.plus(Duration.ofMinutes(20));
      state.apply(
          new CustomerEvent.InteractionStarted(eventId(k, "contact"), cid, at, ch, "question"));
      state.apply(
          new CustomerEvent.InteractionEnded(
              eventId(k, "contact end"),
              cid,
              end,
              ch,
              "question",
              CustomerEvent.Outcome.RESOLVED,
              null));
      if (uniform(cid, "survey", k) < 0.5) {
        state.apply(
            new CustomerEvent.SurveyAnswered(
                eventId(k, "survey"), cid, end, CustomerEvent.Survey.CSAT, open ? 2 : 4));
      }
    }
  }

  /** An accepted action's effect on the relationship, as the events it would cause. */
  private void effect(
      ProfileState state, String cid, RecommendedAction a, Decision d, Instant at, int k) {
    String id = eventId(k, "effect");
    double experience = d.indices().experience().value();
    switch (a.family()) {
      case EXPERIENCE_REPAIR -> {
        for (Complaint c : state.snapshot(at).complaints()) {
          if (c.open()) {
            state.apply(new CustomerEvent.ComplaintResolved(id + "-" + c.id(), cid, at, c.id()));
          }
        }
        state.apply(new CustomerEvent.SurveyAnswered(id, cid, at, CustomerEvent.Survey.CSAT, 4));
      }
      case PROACTIVE_SERVICE -> {
        state.apply(new CustomerEvent.SurveyAnswered(id, cid, at, CustomerEvent.Survey.CSAT, 4));
        state.apply(
            new CustomerEvent.SurveyAnswered(id + "-ces", cid, at, CustomerEvent.Survey.CES, 3));
      }
      case VALUE_CONTENT ->
          state.apply(new CustomerEvent.InteractionStarted(id, cid, at, a.channel(), a.actionId()));
      case LOYALTY -> {
        if (!a.actionId().contains("reward")) {
          state.apply(
              new CustomerEvent.LoyaltyActivity(
                  id + "-join", cid, at, CustomerEvent.LoyaltyKind.JOINED, null, null));
        }
        state.apply(
            new CustomerEvent.LoyaltyActivity(
                id, cid, at, CustomerEvent.LoyaltyKind.EARNED, 250, null));
      }
      case COMMUNITY ->
          state.apply(
              new CustomerEvent.CommunityActivity(
                  id,
                  cid,
                  at,
                  a.actionId().contains("co-creation")
                      ? CustomerEvent.CommunityKind.POST
                      : CustomerEvent.CommunityKind.FOLLOW));
      case ADVOCACY -> {
        if (a.actionId().contains("referral")) {
          state.apply(new CustomerEvent.Referral(id, cid, at, null));
        } else {
          state.apply(
              new CustomerEvent.CommunityActivity(id, cid, at, CustomerEvent.CommunityKind.REVIEW));
        }
      }
      case GROWTH -> {
        CatalogueAction c = sides.action(side, a.actionId());
        state.apply(
            new CustomerEvent.Purchase(
                id, cid, at, c == null ? null : c.product(), c == null ? null : c.baseValue()));
      }
      case FEEDBACK -> {
        if (a.actionId().contains("voice")) {
          state.apply(
              new CustomerEvent.SurveyAnswered(
                  id,
                  cid,
                  at,
                  CustomerEvent.Survey.NPS,
                  (int) Math.max(0, Math.min(10, Math.round(experience / 10)))));
        } else {
          state.apply(
              new CustomerEvent.SurveyAnswered(
                  id,
                  cid,
                  at,
                  CustomerEvent.Survey.CSAT,
                  (int) Math.max(1, Math.min(5, Math.round(1 + 4 * experience / 100)))));
        }
      }
    }
  }

  /**
   * The same draw on both sides for the same customer, moment and purpose (common random numbers).
   */
  private double uniform(String cid, String purpose, int k) {
    return Hash.unit(Hash.of(seed, cid, purpose, k));
  }

  private String eventId(int k, String what) {
    return "j" + Sides.PREFIX[side] + "-" + k + "-" + what;
  }
}
