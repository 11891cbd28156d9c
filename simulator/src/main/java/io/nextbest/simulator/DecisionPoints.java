package io.nextbest.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a replayed event history is decided on: at each {@code INTERACTION_STARTED} (with the live
 * interaction), every {@code everyDays} days from the customer's first event, and at the last
 * event.
 */
public record DecisionPoints(boolean onInteraction, int everyDays, boolean atEnd) {
  public static final DecisionPoints DEFAULT = new DecisionPoints(true, 0, true);

  public DecisionPoints {
    if (everyDays < 0) {
      throw new IllegalArgumentException("everyDays must not be negative");
    }
    if (!onInteraction && everyDays == 0 && !atEnd) {
      throw new IllegalArgumentException(
          "choose at least one decision point: interactions, every=<days> or end");
    }
  }

  /** Parses {@code interactions,every=7,end} (any subset, comma-separated). */
  public static DecisionPoints parse(String text) {
    boolean interactions = false;
    boolean end = false;
    int every = 0;
    for (String part : text.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.equals("interactions")) {
        interactions = true;
      } else if (p.equals("end")) {
        end = true;
      } else if (p.startsWith("every=")) {
        String days = p.substring("every=".length()).replaceAll("d(ays?)?$", "");
        try {
          every = Integer.parseInt(days);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "every=<days> needs a whole number of days, was '" + part.strip() + "'");
        }
        if (every <= 0) {
          throw new IllegalArgumentException("every=<days> must be at least 1");
        }
      } else if (!p.isEmpty()) {
        throw new IllegalArgumentException(
            "unknown decision point '" + part.strip() + "'; use interactions, every=<days> or end");
      }
    }
    return new DecisionPoints(interactions, every, end);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (onInteraction) {
      parts.add("interactions");
    }
    if (everyDays > 0) {
      parts.add("every=" + everyDays);
    }
    if (atEnd) {
      parts.add("end");
    }
    return String.join(",", parts);
  }
}
