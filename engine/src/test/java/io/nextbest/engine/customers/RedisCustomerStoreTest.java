package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.Segmentation;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.redis.RedisServer;
import io.nextbest.engine.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCustomerStoreTest extends CustomerStoreContract {
  static RedisServer server;
  static Redis redis;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    redis = Redis.connect(server.url(), Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void empty() {
    redis.call(j -> j.flushAll());
  }

  @Override
  CustomerStore store() {
    return new RedisCustomerStore(redis);
  }

  @Test
  void unreachableRedis_isAStoreException_soCallersAnswer503OrDegrade() {
    try (Redis nowhere =
        Redis.connect("redis://127.0.0.1:" + RedisServer.freePort(), Duration.ofMillis(300))) {
      RedisCustomerStore s = new RedisCustomerStore(nowhere);
      assertThatThrownBy(() -> s.append(List.of(csat("x", "c", 3))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("unavailable");
      assertThatThrownBy(() -> s.version("c")).isInstanceOf(StoreException.class);
      assertThat(s.reachable()).isFalse();
    }
  }

  @Test
  void customerIds_includeCustomersStoredBeforeTheListWasKept() {
    store().append(List.of(csat("h1", "old-2", 3), csat("h2", "old-1", 4)));
    // As an earlier version of the store left Redis: the events, and no list of customers.
    redis.call(j -> j.del("nba:customers", "nba:customers:complete"));
    CustomerStore upgraded = store();
    assertThat(upgraded.customerIds("old", 10)).containsExactly("old-1", "old-2");
    upgraded.append(List.of(csat("h3", "old-3", 5)));
    assertThat(store().customerIds("", 10)).containsExactly("old-1", "old-2", "old-3");
  }

  /**
   * Counts an earlier release wrote (per quadrant, per action and treatment, and across every
   * customer) are read as the same keys a quadrant or {@code ALL} segmentation asks for, and new
   * outcomes add to them.
   */
  @Test
  void quadrantCountsWrittenBefore_areReadAsBefore_andNewOutcomesAddToThem() {
    redis.call(
        j ->
            j.hset(
                "nba:propensity",
                Map.of(
                    "Q4|upgrade|s", "5",
                    "Q4|upgrade|f", "2",
                    "Q4|upgrade|EMAIL|s", "3",
                    "*|survey|f", "4")));
    CustomerStore s = store();
    OutcomeKey email = new OutcomeKey("upgrade", Quadrant.Q4, Channel.EMAIL);
    assertThat(email.segment()).isEqualTo("Q4");
    assertThat(s.propensityCounts())
        .containsEntry(new OutcomeKey("upgrade", Quadrant.Q4), new Counts(5, 2))
        .containsEntry(email, new Counts(3, 0))
        .containsEntry(
            new OutcomeKey("survey", Segmentation.EVERY_CUSTOMER, null), new Counts(0, 4))
        .hasSize(3);
    assertThat(
            s.record(line("d-old-q", "upgrade", LedgerKind.ACCEPTED_BY_CUSTOMER), email, true, 3)
                .learned())
        .isTrue();
    assertThat(s.propensityCounts())
        .containsEntry(new OutcomeKey("upgrade", Quadrant.Q4), new Counts(6, 2))
        .containsEntry(email, new Counts(4, 0));
  }

  @Test
  void scriptsAreReloaded_afterRedisForgetsThem() {
    CustomerStore s = store();
    s.append(List.of(csat("f1", "c7", 3)));
    redis.call(j -> j.scriptFlush());
    assertThat(s.append(List.of(csat("f2", "c7", 4))))
        .containsExactly(CustomerStore.Appended.STORED);
    assertThat(s.history("c7", 0).events()).hasSize(2);
  }
}
