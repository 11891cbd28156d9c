package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.QuietHours;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
  @Test
  void windowThatWrapsMidnight_coversLateAndEarly() {
    QuietHours q = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), ZoneOffset.UTC);
    assertThat(q.contains(LocalTime.of(23, 30))).isTrue();
    assertThat(q.contains(LocalTime.of(7, 59))).isTrue();
    assertThat(q.contains(LocalTime.of(8, 0))).isFalse();
    assertThat(q.contains(LocalTime.of(12, 0))).isFalse();
  }

  @Test
  void daytimeWindow_coversOnlyItsHours() {
    QuietHours q = new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0), ZoneOffset.UTC);
    assertThat(q.contains(LocalTime.of(13, 0))).isTrue();
    assertThat(q.contains(LocalTime.of(14, 0))).isFalse();
  }
}
