package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.CustomerEvent.ComplaintOpened;
import io.nextbest.engine.events.CustomerEvent.ConsentChanged;
import io.nextbest.engine.events.CustomerEvent.InteractionEnded;
import io.nextbest.engine.events.CustomerEvent.OutreachSent;
import io.nextbest.engine.events.CustomerEvent.SurveyAnswered;
import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.redis.RedisServer;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveContextTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path dir;
  Sqlite db;
  SqliteCustomerStore store;
  ProfileCache cache;
  LiveContext live;

  @BeforeEach
  void open() {
    db = Sqlite.open(dir);
    store = new SqliteCustomerStore(db);
    cache = new ProfileCache(store, false, 100);
    live = new LiveContext(cache, Clock.fixed(NOW, ZoneOffset.UTC));
    store.append(
        List.of(
            new SurveyAnswered("e1", "c1", ago(3), CustomerEvent.Survey.CSAT, 2),
            new ComplaintOpened("e2", "c1", ago(2), "C-1", Severity.HIGH, "TV", null),
            new ConsentChanged("e3", "c1", ago(20), Channel.EMAIL, true),
            new InteractionEnded(
                "e4", "c1", ago(1), Channel.APP, "payment", CustomerEvent.Outcome.FAILED, null),
            new OutreachSent("e5", "c1", ago(1), "survey-ask", Channel.EMAIL, null)));
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  static Instant ago(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  @Test
  void customerIdAlone_takesEverythingFromTheStore_andSaysSo() {
    LiveContext.Resolved r =
        live.resolve(new CustomerContext("c1", null, null, null, null), Set.of());
    CustomerProfile p = r.context().profile();
    assertThat(r.context().asOf()).isEqualTo(NOW);
    assertThat(p.csat()).extracting(Score::value).containsExactly(2);
    assertThat(p.complaints()).hasSize(1);
    assertThat(p.failedInteractions()).hasSize(1);
    assertThat(p.outreach())
        .as("outreach comes from the contact ledger")
        .singleElement()
        .satisfies(o -> assertThat(o.actionId()).isEqualTo("survey-ask"));
    assertThat(r.source().storedEventsUsed()).isEqualTo(5);
    assertThat(r.source().fieldsFromStore())
        .contains("csat", "complaints", "consent", "failedInteractions", "channels", "outreach");
    assertThat(r.source().fieldsFromRequest()).isEmpty();
    assertThat(r.source().degraded()).isFalse();
  }

  @Test
  void requestWinsFieldByField_butOutreachIsUnited() {
    CustomerProfile request =
        new CustomerProfile(
            List.of(new Score(ago(1), 5)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(
                new io.nextbest.engine.model.OutreachSent(ago(2), "loyalty-enrol", Channel.SMS)));
    LiveContext.Resolved r =
        live.resolve(
            new CustomerContext("c1", NOW, request, null, null), Set.of("csat", "outreach"));
    CustomerProfile p = r.context().profile();
    assertThat(p.csat()).extracting(Score::value).containsExactly(5);
    assertThat(p.complaints()).as("not in the request: from the store").hasSize(1);
    assertThat(p.outreach())
        .extracting(o -> o.actionId())
        .containsExactlyInAnyOrder("survey-ask", "loyalty-enrol");
    assertThat(r.source().fieldsFromRequest()).containsExactly("csat", "outreach");
    assertThat(r.source().fieldsFromStore())
        .doesNotContain("csat")
        .contains("complaints", "outreach");
  }

  @Test
  void unknownCustomer_fullContext_isTheRequestUnchanged() {
    CustomerProfile request =
        new CustomerProfile(
            List.of(new Score(ago(1), 5)),
            null,
            null,
            null,
            null,
            null,
            null,
            3,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            120.0,
            14,
            null);
    LiveContext.Resolved r =
        live.resolve(
            new CustomerContext("new", NOW, request, null, null),
            Set.of("csat", "purchases90d", "annualValue", "tenureMonths"));
    assertThat(r.context().profile()).isEqualTo(request);
    assertThat(r.source().fieldsFromStore()).isEmpty();
    assertThat(r.source().storedEventsUsed()).isZero();
  }

  @Test
  void eventsAfterAsOf_areNotSeen() {
    LiveContext.Resolved r =
        live.resolve(new CustomerContext("c1", ago(5), null, null, null), Set.of());
    assertThat(r.context().profile().csat()).isEmpty();
    assertThat(r.context().profile().consent()).containsEntry(Channel.EMAIL, true);
  }

  @Test
  void storeUnreachable_decidesOnTheRequestAlone_markedDegraded() {
    try (Redis nowhere =
        Redis.connect("redis://127.0.0.1:" + RedisServer.freePort(), Duration.ofMillis(300))) {
      LiveContext cut =
          new LiveContext(
              new ProfileCache(new RedisCustomerStore(nowhere), true, 10),
              Clock.fixed(NOW, ZoneOffset.UTC));
      CustomerContext request = new CustomerContext("c1", NOW, null, null, null);
      LiveContext.Resolved r = cut.resolve(request, Set.of());
      assertThat(r.source().degraded()).isTrue();
      assertThat(r.source().degradedReason()).contains("unavailable");
      assertThat(r.context()).isEqualTo(request);
    }
  }

  @Test
  void aggregates_countRollingWindows() {
    store.append(
        List.of(
            new SurveyAnswered("w1", "c1", ago(10), CustomerEvent.Survey.CSAT, 4),
            new SurveyAnswered("w2", "c1", ago(60), CustomerEvent.Survey.CSAT, 5),
            new InteractionEnded(
                "w3",
                "c1",
                ago(45),
                Channel.PHONE,
                "billing",
                CustomerEvent.Outcome.RESOLVED,
                null),
            new InteractionEnded(
                "w4",
                "c1",
                ago(200),
                Channel.PHONE,
                "billing",
                CustomerEvent.Outcome.FAILED,
                null)));
    cache.invalidate("c1");
    ProfileCache.Entry e = cache.get("c1");
    Aggregates a =
        Aggregates.of(e, LiveContext.storedProfile(e, NOW, ProblemContacts.BY_OUTCOME), NOW);
    assertThat(a.last7Days().interactions()).isEqualTo(1);
    assertThat(a.last7Days().failedInteractions()).isEqualTo(1);
    assertThat(a.last7Days().csatAverage()).isEqualTo(2.0);
    assertThat(a.last30Days().csatAverage()).isEqualTo(3.0);
    assertThat(a.last90Days().interactions()).isEqualTo(2);
    assertThat(a.last90Days().surveys()).isEqualTo(3);
    assertThat(a.last7Days().outreachSent()).isEqualTo(1);
    assertThat(a.openComplaints()).isEqualTo(1);
    assertThat(a.csatTrend()).as("30-day mean 3.0 against 5.0 before").isEqualTo(-2.0);
    assertThat(a.lastInteractionAt()).isEqualTo(ago(1));
  }
}
