package io.nextbest.engine.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisExperimentStore;
import io.nextbest.engine.redis.RedisServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisExperimentStoreTest extends ExperimentStoreContract {
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
  ExperimentStore store() {
    return new RedisExperimentStore(redis);
  }

  /** Two nodes sharing Redis: one holds the right to change experiments at a time. */
  @Test
  void theHold_isOneNodesAtATime_andLapsesWhenItsNodeNeverLetsGo() throws InterruptedException {
    ExperimentStore a = new RedisExperimentStore(redis);
    ExperimentStore b = new RedisExperimentStore(redis);
    Optional<ExperimentStore.Hold> held = a.hold(Duration.ZERO, Duration.ofSeconds(30));
    assertThat(held).isPresent();
    assertThat(b.hold(Duration.ofMillis(100), Duration.ofSeconds(30)))
        .as("taken by the other node")
        .isEmpty();
    held.get().close();
    Optional<ExperimentStore.Hold> next = b.hold(Duration.ZERO, Duration.ofMillis(200));
    assertThat(next).as("let go").isPresent();

    // B's node dies holding it: the hold lapses after its lease.
    Thread.sleep(300);
    Optional<ExperimentStore.Hold> after = a.hold(Duration.ZERO, Duration.ofSeconds(30));
    assertThat(after).as("lapsed").isPresent();
    next.get().close();
    assertThat(b.hold(Duration.ofMillis(100), Duration.ofSeconds(30)))
        .as("a lapsed holder letting go does not release the new holder's hold")
        .isEmpty();
    after.get().close();
    assertThat(b.hold(Duration.ZERO, Duration.ofSeconds(30))).isPresent();
  }
}
