package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes in one consumer group on one Redis: they split the topic's partitions, every event is
 * stored once, and while Redis is down nothing is committed (the events are stored once it is
 * back).
 */
@ExtendWith(VertxExtension.class)
class KafkaNodesTest {
  private static final Pattern PARTITIONS =
      Pattern.compile("^nba_events_kafka_partitions (\\S+)$", Pattern.MULTILINE);
  private static final Pattern STORED =
      Pattern.compile(
          "^nba_events_kafka_records_total\\{outcome=\"stored\"} (\\S+)$", Pattern.MULTILINE);

  static double meter(Services s, Pattern p) {
    Matcher m = p.matcher(s.metrics().scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static int stored(Services s, String prefix, int customers) {
    int n = 0;
    for (int c = 0; c < customers; c++) {
      n += s.customers().profile(prefix + c, null).map(v -> v.storedEvents()).orElse(0);
    }
    return n;
  }

  @Test
  void twoNodesShareThePartitions_storeEveryEventOnce_andCommitNothingWhileTheStoreIsDown(
      Vertx vertx) throws Exception {
    RedisServer redis = RedisServer.start();
    String topic = "shared-" + UUID.randomUUID();
    int partitions = 4;
    KafkaBroker.createTopic(topic, partitions);
    KafkaBroker.createTopic(topic + ".dead-letter", 1);
    EventsKafkaConfig config =
        new EventsKafkaConfig(KafkaBroker.bootstrapServers(), topic, "group-" + topic, null);
    Services a = Services.open(vertx, TestApi.config(), StoreConfig.redis(redis.url()));
    Services b = Services.open(vertx, TestApi.config(), StoreConfig.redis(redis.url()));
    ApiContract contract = ApiContract.load(vertx).await();
    KafkaEvents onA =
        new KafkaEvents(config, new EventIntake(a.customers(), contract), a.metrics()).start();
    KafkaEvents onB =
        new KafkaEvents(config, new EventIntake(b.customers(), contract), b.metrics()).start();
    try {
      // Both members in the group before the events come, so the assignment is settled.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((meter(a, PARTITIONS) == 0
              || meter(b, PARTITIONS) == 0
              || meter(a, PARTITIONS) + meter(b, PARTITIONS) != partitions)
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(meter(a, PARTITIONS)).as("node A's partitions").isGreaterThanOrEqualTo(1);
      assertThat(meter(b, PARTITIONS)).as("node B's partitions").isGreaterThanOrEqualTo(1);
      assertThat(meter(a, PARTITIONS) + meter(b, PARTITIONS)).isEqualTo(partitions);

      Instant at = Instant.now().minusSeconds(7200);
      List<String> keys = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        keys.add("n-" + i % 40);
        values.add(KafkaEventsTest.event("nev-" + i, "n-" + i % 40, at.plusSeconds(i), 1 + i % 5));
      }
      KafkaBroker.send(topic, keys, values);
      KafkaEventsTest.awaitCommitted(config.group(), topic, partitions, Duration.ofSeconds(60));

      assertThat(stored(a, "n-", 40)).isEqualTo(400);
      assertThat(stored(b, "n-", 40)).as("node B reads the same store").isEqualTo(400);
      assertThat(meter(a, STORED)).as("node A stored a share").isGreaterThan(0);
      assertThat(meter(b, STORED)).as("node B stored a share").isGreaterThan(0);
      assertThat(meter(a, STORED) + meter(b, STORED))
          .as("each event stored by exactly one node")
          .isEqualTo(400);

      // The store goes away: events keep coming, no offset moves.
      Map<Integer, Long> before = KafkaBroker.committed(config.group(), topic);
      redis.close();
      List<String> laterKeys = new ArrayList<>();
      List<String> later = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        laterKeys.add("m-" + i % 8);
        later.add(KafkaEventsTest.event("mev-" + i, "m-" + i % 8, at.plusSeconds(1000 + i), 3));
      }
      KafkaBroker.send(topic, laterKeys, later);
      // Both nodes have tried (and failed) to store them by now: the batch is retried after 0.5 s,
      // then 1 s.
      Thread.sleep(3_000);
      assertThat(KafkaBroker.committed(config.group(), topic))
          .as("nothing committed while the store is down")
          .isEqualTo(before);

      // Back (empty: this test's Redis keeps nothing on disk), and the waiting events land.
      redis = redis.restart();
      KafkaEventsTest.awaitCommitted(config.group(), topic, partitions, Duration.ofSeconds(90));
      assertThat(stored(a, "m-", 8)).isEqualTo(40);
    } finally {
      onA.close();
      onB.close();
      a.close();
      b.close();
      redis.close();
    }
  }
}
