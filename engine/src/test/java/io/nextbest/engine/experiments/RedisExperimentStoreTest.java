package io.nextbest.engine.experiments;

import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisExperimentStore;
import io.nextbest.engine.redis.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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
}
