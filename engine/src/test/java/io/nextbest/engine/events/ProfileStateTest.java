package io.nextbest.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.Json;
import io.nextbest.engine.events.CustomerEvent.ComplaintOpened;
import io.nextbest.engine.events.CustomerEvent.ComplaintResolved;
import io.nextbest.engine.events.CustomerEvent.ConsentChanged;
import io.nextbest.engine.events.CustomerEvent.InteractionEnded;
import io.nextbest.engine.events.CustomerEvent.Outcome;
import io.nextbest.engine.events.CustomerEvent.ProductClosed;
import io.nextbest.engine.events.CustomerEvent.Purchase;
import io.nextbest.engine.events.CustomerEvent.SurveyAnswered;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProfileStateTest {
  static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

  static Instant ago(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  @Test
  void complaints_openAndResolve_inAnyOrder() {
    ProfileState s = new ProfileState("c");
    s.apply(new ComplaintResolved("e2", "c", ago(2), "C-1"));
    s.apply(new ComplaintOpened("e1", "c", ago(5), "C-1", Severity.HIGH, "TV", null));
    s.apply(new ComplaintOpened("e3", "c", ago(1), "C-2", Severity.LOW, null, null));
    CustomerProfile p = s.snapshot(NOW);
    assertThat(p.complaints()).hasSize(2);
    assertThat(
            p.complaints().stream()
                .filter(c -> c.id().equals("C-1"))
                .findFirst()
                .orElseThrow()
                .open())
        .isFalse();
    // Three days ago C-1 was still open and C-2 did not exist yet.
    CustomerProfile then = s.snapshot(ago(3));
    assertThat(then.complaints()).singleElement().satisfies(c -> assertThat(c.open()).isTrue());
  }

  @Test
  void consent_latestChangeWins_evenWhenItArrivesFirst() {
    ProfileState s = new ProfileState("c");
    s.apply(new ConsentChanged("e2", "c", ago(1), Channel.EMAIL, false));
    s.apply(new ConsentChanged("e1", "c", ago(10), Channel.EMAIL, true));
    assertThat(s.snapshot(NOW).consents(Channel.EMAIL)).isFalse();
    assertThat(s.snapshot(ago(5)).consents(Channel.EMAIL)).isTrue();
  }

  @Test
  void failedInteractions_surveys_andChannelUse_fillTheirWindows() {
    ProfileState s = new ProfileState("c");
    s.apply(new InteractionEnded("e1", "c", ago(3), Channel.APP, "payment", Outcome.FAILED, null));
    s.apply(
        new InteractionEnded("e2", "c", ago(100), Channel.APP, "payment", Outcome.RESOLVED, null));
    s.apply(new SurveyAnswered("e3", "c", ago(2), CustomerEvent.Survey.CSAT, 2));
    s.apply(new SurveyAnswered("e4", "c", ago(2), CustomerEvent.Survey.NPS, 9));
    CustomerProfile p = s.snapshot(NOW);
    assertThat(p.failedInteractions()).hasSize(1);
    assertThat(p.channels())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.interactions90d()).isEqualTo(1);
              assertThat(u.lastAt()).isEqualTo(ago(3));
            });
    assertThat(p.csat()).hasSize(1);
    assertThat(p.nps().value()).isEqualTo(9);
  }

  @Test
  void oneCall_sentAsStartedAndEnded_countsOnce_likeTheAggregates() {
    ProfileState s = new ProfileState("c");
    s.apply(new CustomerEvent.InteractionStarted("s1", "c", ago(4), Channel.PHONE, "question"));
    s.apply(
        new InteractionEnded(
            "x1", "c", ago(4).plusSeconds(600), Channel.PHONE, "question", Outcome.RESOLVED, null));
    CustomerProfile p = s.snapshot(NOW);
    assertThat(p.channels())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.interactions90d()).isEqualTo(1);
              assertThat(u.problemContacts90d()).isZero();
              assertThat(u.lastAt()).isEqualTo(ago(4).plusSeconds(600));
            });
  }

  @Test
  void aFaultCallThatWasFixed_isStillAProblemContact_byTheRuleSetsReasons() {
    ProblemContacts bundledLike = new ProblemContacts(java.util.List.of("Fault", "outage"));
    ProfileState s = new ProfileState("c");
    s.apply(
        new InteractionEnded(
            "x1", "c", ago(10), Channel.PHONE, "router fault", Outcome.RESOLVED, null));
    // The end does not repeat the reason: the start's on the same channel says why.
    s.apply(new CustomerEvent.InteractionStarted("s2", "c", ago(6), Channel.PHONE, "area outage"));
    s.apply(new InteractionEnded("x2", "c", ago(6), Channel.PHONE, null, Outcome.RESOLVED, null));
    s.apply(new CustomerEvent.InteractionStarted("s3", "c", ago(3), Channel.PHONE, "plan upgrade"));
    s.apply(new InteractionEnded("x3", "c", ago(3), Channel.PHONE, null, Outcome.RESOLVED, null));

    assertThat(s.snapshot(NOW, bundledLike).channels())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.interactions90d()).isEqualTo(3);
              assertThat(u.problemContacts90d())
                  .as("the fixed fault and the outage call; the upgrade was chosen")
                  .isEqualTo(2);
            });
    assertThat(s.snapshot(NOW).channels().get(0).problemContacts90d())
        .as("by outcome alone, all three ended resolved")
        .isZero();
  }

  @Test
  void contactsThatEndedBadly_areProblemContacts_notRelationshipActivity() {
    ProfileState s = new ProfileState("c");
    s.apply(
        new InteractionEnded("x1", "c", ago(10), Channel.PHONE, "fault", Outcome.UNRESOLVED, null));
    s.apply(new InteractionEnded("x2", "c", ago(9), Channel.PHONE, "fault", Outcome.FAILED, null));
    s.apply(
        new InteractionEnded("x3", "c", ago(8), Channel.PHONE, "fault", Outcome.ABANDONED, null));
    s.apply(
        new InteractionEnded("x4", "c", ago(7), Channel.PHONE, "upgrade", Outcome.RESOLVED, null));
    s.apply(
        new CustomerEvent.InteractionStarted("s5", "c", ago(1), Channel.PHONE, "still talking"));
    CustomerProfile p = s.snapshot(NOW);
    assertThat(p.channels())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.interactions90d())
                  .as("the unfinished call is not counted yet")
                  .isEqualTo(4);
              assertThat(u.problemContacts90d()).isEqualTo(3);
              assertThat(u.lastAt())
                  .as("but it is the latest use of the channel")
                  .isEqualTo(ago(1));
            });
  }

  @Test
  void products_comeWithPurchases_andGoWhenClosed() {
    ProfileState s = new ProfileState("c");
    s.apply(new Purchase("e1", "c", ago(50), "TV", 20.0));
    s.apply(new ProductClosed("e2", "c", ago(10), "TV"));
    s.apply(new Purchase("e3", "c", ago(5), "MOBILE", 15.0));
    assertThat(s.snapshot(NOW).products()).extracting(h -> h.product()).containsExactly("MOBILE");
    assertThat(s.snapshot(ago(20)).products()).extracting(h -> h.product()).containsExactly("TV");
    assertThat(s.snapshot(NOW).purchases90d()).isEqualTo(2);
  }

  @Test
  void eventsParseFromJson_byType() throws Exception {
    CustomerEvent e =
        Json.mapper()
            .readValue(
                "{\"type\":\"SURVEY_ANSWERED\",\"id\":\"e1\",\"customerId\":\"c\",\"at\":\"2026-11-20T10:00:00Z\",\"survey\":\"CES\",\"value\":6}",
                CustomerEvent.class);
    assertThat(e).isInstanceOf(SurveyAnswered.class);
    assertThat(EventValidator.validate(e, NOW, "")).isEmpty();
    SurveyAnswered bad =
        new SurveyAnswered("e1", "c", NOW.plus(Duration.ofDays(1)), CustomerEvent.Survey.CES, 9);
    assertThat(EventValidator.validate(bad, NOW, "events[2]"))
        .extracting(f -> f.field())
        .containsExactly("events[2].at", "events[2].value");
  }
}
