package io.nextbest.engine.model;

import java.util.List;

/**
 * Where a decision's profile came from: how many stored events were folded in, which profile fields
 * the stored profile supplied and which the request carried (the request wins field by field), and
 * whether the store could not be read (then only what the request carried was used).
 *
 * @param storedEventsUsed events of the customer's stored history folded into the profile
 * @param fieldsFromStore profile fields the stored history supplied (non-empty, not in the request)
 * @param fieldsFromRequest profile fields the request carried; {@code outreach} is merged, never
 *     replaced
 * @param degraded true when the store was unreachable and the decision rests on the request alone
 * @param degradedReason why, when degraded
 */
public record ProfileSource(
    int storedEventsUsed,
    List<String> fieldsFromStore,
    List<String> fieldsFromRequest,
    boolean degraded,
    String degradedReason) {
  public ProfileSource {
    fieldsFromStore = List.copyOf(fieldsFromStore);
    fieldsFromRequest = List.copyOf(fieldsFromRequest);
  }
}
