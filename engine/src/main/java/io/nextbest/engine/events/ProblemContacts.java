package io.nextbest.engine.events;

import io.nextbest.engine.events.CustomerEvent.Outcome;
import java.util.List;
import java.util.Locale;

/**
 * Which ended interactions a problem caused, so that engagement counts only the contacts a customer
 * chose (G1, G2). An interaction is a problem contact when it did not end {@code RESOLVED}, or when
 * its reason (the end's, else the start's on the same channel) contains one of {@code reasons},
 * compared without case: a fault call that was fixed is still a call the customer did not want to
 * make. The list is the rule set's data ({@code indices.json}, {@code problemContacts.reasons}).
 *
 * @param reasons lower-case words or phrases; an empty list classifies by outcome alone
 */
public record ProblemContacts(List<String> reasons) {
  /** Outcome alone: what a rule set without the setting gets. */
  public static final ProblemContacts BY_OUTCOME = new ProblemContacts(List.of());

  public ProblemContacts {
    reasons =
        reasons == null
            ? List.of()
            : reasons.stream()
                .map(r -> r == null ? "" : r.strip().toLowerCase(Locale.ROOT))
                .filter(r -> !r.isEmpty())
                .distinct()
                .toList();
  }

  /** Whether an interaction that ended with {@code outcome}, for {@code reason}, was a problem. */
  public boolean isProblem(Outcome outcome, String reason) {
    if (outcome != null && outcome != Outcome.RESOLVED) {
      return true;
    }
    if (reason == null || reasons.isEmpty()) {
      return false;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    for (String word : reasons) {
      if (r.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
