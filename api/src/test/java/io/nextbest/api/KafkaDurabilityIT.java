package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.redis.RedisServer;
import io.nextbest.engine.store.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No event whose offset the service committed is lost when the node dies: the service jar runs as a
 * child process consuming a topic that keeps filling, is killed with SIGKILL once it has committed
 * some, and every event below the committed offsets is then found in its store. Restarted, it reads
 * on from there and ends with every event sent stored exactly once.
 */
class KafkaDurabilityIT {
  @TempDir Path dir;

  @Test
  void committedEvents_surviveSigkill_andTheRestartStoresTheRestOnce() throws Exception {
    String jar = System.getProperty("nba.jar", "target/nba-api.jar");
    assertThat(Path.of(jar)).as("the service jar (built in the package phase)").isRegularFile();
    String topic = "durable-" + UUID.randomUUID();
    String group = "group-" + topic;
    KafkaBroker.createTopic(topic, 2);
    KafkaBroker.createTopic(topic + ".dead-letter", 1);
    Path data = dir.resolve("data");

    // Where each event landed, by id.
    Map<String, RecordMetadata> sent = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    Instant at = Instant.now().minusSeconds(86_400);
    Thread producer =
        new Thread(
            () -> {
              int i = 0;
              try {
                while (producing.get() && i < 20_000) {
                  List<String> keys = new ArrayList<>();
                  List<String> values = new ArrayList<>();
                  List<String> ids = new ArrayList<>();
                  for (int j = 0; j < 500; j++, i++) {
                    String id = "dev-" + i;
                    ids.add(id);
                    keys.add("d-" + i % 50);
                    values.add(
                        KafkaEventsTest.event(id, "d-" + i % 50, at.plusMillis(i), 1 + i % 5));
                  }
                  List<RecordMetadata> m = KafkaBroker.send(topic, keys, values);
                  for (int j = 0; j < ids.size(); j++) {
                    sent.put(ids.get(j), m.get(j));
                  }
                  Thread.sleep(20);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "test-producer");
    producer.start();

    Process node = start(data, topic, group, dir.resolve("first.log"));
    Map<Integer, Long> committed;
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      committed = Map.of();
      while (System.nanoTime() < deadline
          && committed.values().stream().mapToLong(Long::longValue).sum() < 2_000) {
        if (!node.isAlive()) {
          throw new AssertionError(
              "the service exited with "
                  + node.exitValue()
                  + ":\n"
                  + Files.readString(dir.resolve("first.log")));
        }
        Thread.sleep(50);
        committed = KafkaBroker.committed(group, topic);
      }
      System.out.printf(
          "KafkaDurabilityIT: %d committed at %d ms%n",
          committed.values().stream().mapToLong(Long::longValue).sum(),
          (System.nanoTime() - deadline) / 1_000_000 + 120_000);
      // Mid-stream: the producer is still sending and the node still storing.
      node.destroyForcibly();
      node.waitFor();
    } finally {
      node.destroyForcibly();
      producing.set(false);
      producer.join();
    }
    committed = KafkaBroker.committed(group, topic);
    long acknowledged = committed.values().stream().mapToLong(Long::longValue).sum();
    assertThat(acknowledged).as("offsets committed before the kill").isGreaterThan(0);

    Set<String> storedIds = storedIds(data);
    int below = 0;
    for (Map.Entry<String, RecordMetadata> e : sent.entrySet()) {
      RecordMetadata m = e.getValue();
      if (m.offset() < committed.getOrDefault(m.partition(), 0L)) {
        below++;
        assertThat(storedIds)
            .as(
                "event %s at %s/%d@%d, below the committed offset",
                e.getKey(), topic, m.partition(), m.offset())
            .contains(e.getKey());
      }
    }
    assertThat((long) below).isEqualTo(acknowledged);
    assertThat(sent.size())
        .as("the topic kept filling after the commits seen")
        .isGreaterThan(below);

    System.out.printf(
        "KafkaDurabilityIT: killed after %d committed of %d sent, %d stored%n",
        acknowledged, sent.size(), storedIds.size());
    Process again = start(data, topic, group, dir.resolve("second.log"));
    try {
      long t = System.nanoTime();
      try {
        KafkaEventsTest.awaitCommitted(group, topic, 2, Duration.ofSeconds(120));
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n" + Files.readString(dir.resolve("second.log")), e);
      }
      System.out.printf(
          "KafkaDurabilityIT: restart took %d ms%n", (System.nanoTime() - t) / 1_000_000);
    } finally {
      again.destroy();
      again.waitFor();
    }
    Set<String> finalIds = storedIds(data);
    assertThat(finalIds).containsExactlyInAnyOrderElementsOf(sent.keySet());
  }

  /** The ids of every event in the node's store (read with the node down). */
  static Set<String> storedIds(Path data) {
    Set<String> ids = new HashSet<>();
    try (Sqlite db = Sqlite.open(data)) {
      CustomerStore store = new SqliteCustomerStore(db);
      for (int c = 0; c < 50; c++) {
        List<CustomerEvent> events = store.history("d-" + c, 0).events();
        for (CustomerEvent e : events) {
          assertThat(ids.add(e.id())).as("event %s stored once", e.id()).isTrue();
        }
      }
    }
    return ids;
  }

  static Process start(Path data, String topic, String group, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            System.getProperty("nba.jar", "target/nba-api.jar"));
    pb.environment().put("NBA_DATA_DIR", data.toString());
    pb.environment().put("NBA_HTTP_PORT", Integer.toString(RedisServer.freePort()));
    pb.environment().put("NBA_API_KEYS", "durability-agent-key-0123456789=agent");
    pb.environment().put(WarmUpConfig.DECISIONS, "0");
    pb.environment().put("NBA_EVENT_LOOPS", "1");
    pb.environment().put("NBA_LOG_FORMAT", "text");
    pb.environment().remove("NBA_STORE");
    pb.environment().put(EventsKafkaConfig.BOOTSTRAP_SERVERS, KafkaBroker.bootstrapServers());
    pb.environment().put(EventsKafkaConfig.TOPIC, topic);
    pb.environment().put(EventsKafkaConfig.GROUP, group);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }
}
