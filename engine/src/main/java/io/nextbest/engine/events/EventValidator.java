package io.nextbest.engine.events;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.events.CustomerEvent.CommunityActivity;
import io.nextbest.engine.events.CustomerEvent.ComplaintOpened;
import io.nextbest.engine.events.CustomerEvent.ComplaintResolved;
import io.nextbest.engine.events.CustomerEvent.ConsentChanged;
import io.nextbest.engine.events.CustomerEvent.InteractionEnded;
import io.nextbest.engine.events.CustomerEvent.InteractionStarted;
import io.nextbest.engine.events.CustomerEvent.LoyaltyActivity;
import io.nextbest.engine.events.CustomerEvent.OutreachResponse;
import io.nextbest.engine.events.CustomerEvent.OutreachSent;
import io.nextbest.engine.events.CustomerEvent.ProductClosed;
import io.nextbest.engine.events.CustomerEvent.Purchase;
import io.nextbest.engine.events.CustomerEvent.SurveyAnswered;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks what types cannot: required fields per kind, ranges, and no event from the future. */
public final class EventValidator {
  private static final Duration SKEW = Duration.ofMinutes(5);

  private EventValidator() {}

  /**
   * @param prefix the path of the event in the request, e.g. {@code events[3]} (empty for a single
   *     event)
   * @return every problem, empty when the event is valid
   */
  public static List<FieldError> validate(CustomerEvent e, Instant now, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    String p = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
    if (e == null) {
      errors.add(
          new FieldError(
              prefix == null || prefix.isEmpty() ? "event" : prefix, "must not be null"));
      return errors;
    }
    text(errors, p + "id", e.id(), 128);
    text(errors, p + "customerId", e.customerId(), 128);
    if (e.at() == null) {
      errors.add(new FieldError(p + "at", "is required"));
    } else if (e.at().isAfter(now.plus(SKEW))) {
      errors.add(new FieldError(p + "at", "must not be in the future, was " + e.at()));
    }
    if (e instanceof InteractionStarted s) {
      required(errors, p + "channel", s.channel());
    } else if (e instanceof InteractionEnded x) {
      required(errors, p + "channel", x.channel());
      required(errors, p + "outcome", x.outcome());
    } else if (e instanceof SurveyAnswered s) {
      required(errors, p + "survey", s.survey());
      if (s.value() == null) {
        errors.add(new FieldError(p + "value", "is required"));
      } else if (s.survey() != null) {
        int min = s.survey() == CustomerEvent.Survey.NPS ? 0 : 1;
        int max =
            switch (s.survey()) {
              case CSAT -> 5;
              case CES -> 7;
              case NPS -> 10;
            };
        if (s.value() < min || s.value() > max) {
          errors.add(
              new FieldError(
                  p + "value",
                  s.survey() + " must be between " + min + " and " + max + ", was " + s.value()));
        }
      }
    } else if (e instanceof ComplaintOpened o) {
      text(errors, p + "complaintId", o.complaintId(), 128);
      required(errors, p + "severity", o.severity());
    } else if (e instanceof ComplaintResolved r) {
      text(errors, p + "complaintId", r.complaintId(), 128);
    } else if (e instanceof Purchase pu) {
      if (pu.amount() != null && (pu.amount() < 0 || pu.amount().isNaN())) {
        errors.add(new FieldError(p + "amount", "must not be negative"));
      }
    } else if (e instanceof ProductClosed c) {
      text(errors, p + "product", c.product(), 128);
    } else if (e instanceof LoyaltyActivity l) {
      required(errors, p + "kind", l.kind());
      if (l.points() != null && l.points() < 0) {
        errors.add(
            new FieldError(
                p + "points", "must not be negative; use kind REDEEMED to take points away"));
      }
    } else if (e instanceof CommunityActivity c) {
      required(errors, p + "kind", c.kind());
    } else if (e instanceof ConsentChanged c) {
      required(errors, p + "channel", c.channel());
      required(errors, p + "granted", c.granted());
    } else if (e instanceof OutreachSent o) {
      text(errors, p + "actionId", o.actionId(), 128);
      required(errors, p + "channel", o.channel());
    } else if (e instanceof OutreachResponse r) {
      text(errors, p + "actionId", r.actionId(), 128);
      required(errors, p + "response", r.response());
    }
    return errors;
  }

  private static void required(List<FieldError> errors, String field, Object value) {
    if (value == null) {
      errors.add(new FieldError(field, "is required"));
    }
  }

  /** Whether every surrogate in {@code s} is half of a pair. */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void text(List<FieldError> errors, String field, String value, int max) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "is required"));
    } else if (value.length() > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    } else if (!wellFormed(value)) {
      // A lone surrogate is no character: stores would keep it as a replacement character, and two
      // different ids would then be one stored id.
      errors.add(new FieldError(field, "must be Unicode text; it holds a lone UTF-16 surrogate"));
    }
  }
}
