package io.nextbest.engine.facts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting the rules use in reasons, so every explanation reads the same way. */
public final class Texts {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

  private Texts() {}

  /** The gaps' descriptions in the decision's order of gaps (kind, ref, description). */
  public static String gaps(java.util.List<io.nextbest.engine.model.CriticalGap> gaps) {
    return gaps.stream()
        .sorted(
            java.util.Comparator.comparing(io.nextbest.engine.model.CriticalGap::kind)
                .thenComparing(io.nextbest.engine.model.CriticalGap::ref)
                .thenComparing(io.nextbest.engine.model.CriticalGap::description))
        .map(io.nextbest.engine.model.CriticalGap::description)
        .collect(java.util.stream.Collectors.joining("; "));
  }

  public static String day(LocalDate date) {
    return date == null ? "an unknown date" : DAY.format(date);
  }

  public static String day(Instant instant) {
    return instant == null
        ? "an unknown date"
        : DAY.format(instant.atZone(ZoneOffset.UTC).toLocalDate());
  }
}
