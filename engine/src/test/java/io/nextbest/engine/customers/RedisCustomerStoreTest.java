package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.redis.RedisServer;
import io.nextbest.engine.store.StoreException;
import java.time.Duration;
import java.util.List;
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
