package io.nextbest.engine;

import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Score;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what types cannot: required fields, ranges, and that nothing in the history happened after
 * the decision's moment. Collects every error rather than stopping at the first.
 */
final class ContextValidator {
  /** Clock skew tolerated between the caller and the engine for "not in the future" checks. */
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final List<FieldError> errors = new ArrayList<>();
  private final Instant latest;

  private ContextValidator(Instant asOf) {
    this.latest = asOf.plus(SKEW);
  }

  static void validate(CustomerContext ctx, int maxLimit) {
    ContextValidator v = new ContextValidator(ctx.asOf());
    v.check(ctx, maxLimit);
    if (!v.errors.isEmpty()) {
      throw new InvalidContextException(v.errors);
    }
  }

  private void check(CustomerContext ctx, int maxLimit) {
    if (ctx.customerId() == null || ctx.customerId().isBlank()) {
      fail("customerId", "is required");
    } else if (ctx.customerId().length() > 128) {
      fail("customerId", "must be at most 128 characters");
    }
    if (ctx.limit() != null && (ctx.limit() < 1 || ctx.limit() > maxLimit)) {
      fail("limit", "must be between 1 and " + maxLimit + ", was " + ctx.limit());
    }
    profile(ctx.profile());
    if (ctx.interaction() != null) {
      interaction(ctx.interaction());
    }
  }

  private void profile(CustomerProfile p) {
    scores("profile.csat", p.csat(), 1, 5);
    scores("profile.ces", p.ces(), 1, 7);
    if (p.nps() != null) {
      score("profile.nps", p.nps(), 0, 10);
    }
    for (int i = 0; i < p.complaints().size(); i++) {
      String at = "profile.complaints[" + i + "]";
      Complaint c = p.complaints().get(i);
      if (present(at, c)) {
        required(at + ".id", c.id());
        required(at + ".severity", c.severity());
        past(at + ".openedAt", c.openedAt(), true);
        past(at + ".resolvedAt", c.resolvedAt(), false);
        if (c.openedAt() != null
            && c.resolvedAt() != null
            && c.resolvedAt().isBefore(c.openedAt())) {
          fail(at + ".resolvedAt", "must not be before openedAt");
        }
      }
    }
    for (int i = 0; i < p.failedInteractions().size(); i++) {
      String at = "profile.failedInteractions[" + i + "]";
      FailedInteraction f = p.failedInteractions().get(i);
      if (present(at, f)) {
        past(at + ".at", f.at(), true);
        required(at + ".channel", f.channel());
      }
    }
    for (int i = 0; i < p.channels().size(); i++) {
      String at = "profile.channels[" + i + "]";
      ChannelUsage u = p.channels().get(i);
      if (present(at, u)) {
        required(at + ".channel", u.channel());
        nonNegative(at + ".interactions90d", u.interactions90d());
        nonNegative(at + ".problemContacts90d", u.problemContacts90d());
        if (u.problemContacts90d() != null
            && u.interactions90d() != null
            && u.problemContacts90d() > u.interactions90d()) {
          fail(
              at + ".problemContacts90d",
              "cannot be more than interactions90d (" + u.interactions90d() + ")");
        }
        past(at + ".lastAt", u.lastAt(), false);
      }
    }
    for (int i = 0; i < p.products().size(); i++) {
      String at = "profile.products[" + i + "]";
      ProductHolding h = p.products().get(i);
      if (present(at, h)) {
        required(at + ".product", h.product());
        past(at + ".since", h.since(), false);
      }
    }
    for (int i = 0; i < p.outreach().size(); i++) {
      String at = "profile.outreach[" + i + "]";
      OutreachSent o = p.outreach().get(i);
      if (present(at, o)) {
        past(at + ".at", o.at(), true);
        required(at + ".channel", o.channel());
        required(at + ".actionId", o.actionId());
      }
    }
    nonNegative("profile.purchases90d", p.purchases90d());
    nonNegative("profile.referrals12m", p.referrals12m());
    nonNegative("profile.reviews12m", p.reviews12m());
    nonNegative("profile.tenureMonths", p.tenureMonths());
    past("profile.lastPurchaseAt", p.lastPurchaseAt(), false);
    nonNegative("profile.loyalty.points", p.loyalty().points());
    nonNegative("profile.community.posts90d", p.community().posts90d());
    nonNegative("profile.community.follows", p.community().follows());
    past("profile.community.lastActivityAt", p.community().lastActivityAt(), false);
    if (p.annualValue() < 0 || p.annualValue().isNaN() || p.annualValue().isInfinite()) {
      fail("profile.annualValue", "must be a finite, non-negative number");
    }
    if (p.quietHours() != null) {
      required("profile.quietHours.start", p.quietHours().start());
      required("profile.quietHours.end", p.quietHours().end());
    }
  }

  private void interaction(Interaction i) {
    required("interaction.channel", i.channel());
    if (i.rating() != null && (i.rating() < 1 || i.rating() > 5)) {
      fail("interaction.rating", "must be between 1 and 5, was " + i.rating());
    }
    if (i.rating() != null && !i.justResolved()) {
      // A rating belongs to a resolution; accepting one without it would count a score nobody gave.
      fail("interaction.rating", "is only given with justResolved: true");
    }
    past("interaction.startedAt", i.startedAt(), false);
  }

  private void scores(String at, List<Score> list, int min, int max) {
    for (int i = 0; i < list.size(); i++) {
      String here = at + "[" + i + "]";
      if (present(here, list.get(i))) {
        score(here, list.get(i), min, max);
      }
    }
  }

  private void score(String at, Score s, int min, int max) {
    past(at + ".at", s.at(), true);
    if (s.value() == null) {
      fail(at + ".value", "is required");
    } else if (s.value() < min || s.value() > max) {
      fail(at + ".value", "must be between " + min + " and " + max + ", was " + s.value());
    }
  }

  private boolean present(String at, Object o) {
    if (o == null) {
      fail(at, "must not be null");
      return false;
    }
    return true;
  }

  private void required(String at, Object o) {
    if (o == null || (o instanceof String s && s.isBlank())) {
      fail(at, "is required");
    }
  }

  private void nonNegative(String at, Integer n) {
    if (n != null && n < 0) {
      fail(at, "must not be negative, was " + n);
    }
  }

  private void past(String at, Instant t, boolean required) {
    if (t == null) {
      if (required) {
        fail(at, "is required");
      }
    } else if (t.isAfter(latest)) {
      fail(at, "must not be after the decision time " + latest.minus(SKEW) + ", was " + t);
    }
  }

  private void fail(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
