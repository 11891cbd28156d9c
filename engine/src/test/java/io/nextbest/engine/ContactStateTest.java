package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ContactState;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.OutreachSent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactStateTest {
  static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

  static ContactState state(int max7, int max30, double... daysAgo) {
    List<OutreachSent> sent = new java.util.ArrayList<>();
    for (double d : daysAgo) {
      sent.add(
          new OutreachSent(NOW.minus(Duration.ofHours(Math.round(d * 24))), "a", Channel.EMAIL));
    }
    CustomerProfile p =
        new CustomerProfile(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, sent);
    return DecisionEngine.contactState(
        new CustomerContext("c", NOW, p, null, null), new DmnPolicies.ContactLimits(max7, max30));
  }

  @Test
  void belowTheCap_hasRoomNow() {
    ContactState s = state(2, 6, 3);
    assertThat(s.weeklyCapReached()).isFalse();
    assertThat(s.room7DaysAt()).isNull();
  }

  @Test
  void atTheCap_hasRoomWhenTheCapThMostRecentLeavesTheWindow() {
    ContactState s = state(2, 6, 1, 3, 5);
    assertThat(s.sent7Days()).isEqualTo(3);
    // the second most recent (3 days ago) leaves the 7-day window in 4 days
    assertThat(s.room7DaysAt()).isEqualTo(NOW.plus(Duration.ofDays(4)));
  }

  @Test
  void oldMessages_countOnlyInTheMonth() {
    ContactState s = state(1, 2, 10, 20, 40);
    assertThat(s.sent7Days()).isZero();
    assertThat(s.sent30Days()).isEqualTo(2);
    assertThat(s.monthlyCapReached()).isTrue();
    assertThat(s.room30DaysAt()).isEqualTo(NOW.plus(Duration.ofDays(10)));
  }
}
