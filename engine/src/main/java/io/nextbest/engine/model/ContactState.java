package io.nextbest.engine.model;

import java.time.Instant;

/**
 * Proactive outreach already sent against the limits the contact policy DMN set (G9). The reset
 * instants say when each window next has room (null when it has room now).
 */
public record ContactState(
    int sent7Days,
    int max7Days,
    int sent30Days,
    int max30Days,
    Instant room7DaysAt,
    Instant room30DaysAt) {

  public boolean weeklyCapReached() {
    return sent7Days >= max7Days;
  }

  public boolean monthlyCapReached() {
    return sent30Days >= max30Days;
  }
}
