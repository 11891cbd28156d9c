package io.nextbest.engine.model;

import java.time.LocalTime;
import java.time.ZoneId;

/** A daily window in the customer's time zone when interruptive channels stay silent (G9). */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

  /** Whether {@code time} falls in the window; a window may wrap midnight (22:00–08:00). */
  public boolean contains(LocalTime time) {
    if (start.equals(end)) {
      return false;
    }
    return start.isBefore(end)
        ? !time.isBefore(start) && time.isBefore(end)
        : !time.isBefore(start) || time.isBefore(end);
  }
}
