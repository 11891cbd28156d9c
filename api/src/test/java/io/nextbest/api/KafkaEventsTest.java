package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.Json;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.CustomerStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events from a real Kafka broker (in-process KRaft node) take the same path as POST /v1/events:
 * valid ones are stored once however often they are sent, everything else goes to the dead-letter
 * topic unchanged with the reason, and the offsets are committed once all of it is done.
 */
@ExtendWith(VertxExtension.class)
class KafkaEventsTest {

  static String event(String id, String customer, Instant at, int value) {
    return "{\"type\":\"SURVEY_ANSWERED\",\"id\":\""
        + id
        + "\",\"customerId\":\""
        + customer
        + "\",\"at\":\""
        + at
        + "\",\"survey\":\"CSAT\",\"value\":"
        + value
        + "}";
  }

  /** Waits until the group has committed every record of the topic. */
  static void awaitCommitted(String group, String topic, int partitions, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, Long> end = KafkaBroker.endOffsets(topic, partitions);
    Map<Integer, Long> committed = Map.of();
    while (System.nanoTime() < deadline) {
      committed = KafkaBroker.committed(group, topic);
      boolean all = true;
      for (Map.Entry<Integer, Long> e : end.entrySet()) {
        all &= e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L) >= e.getValue();
      }
      if (all) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "group " + group + " committed " + committed + ", the topic ends at " + end);
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void validEventsAreStoredOnce_andEverythingElseIsDeadLetteredWithItsReason(Vertx vertx)
      throws Exception {
    String topic = "events-" + UUID.randomUUID();
    KafkaBroker.createTopic(topic, 2);
    KafkaBroker.createTopic(topic + ".dead-letter", 1);
    EventsKafkaConfig config =
        new EventsKafkaConfig(KafkaBroker.bootstrapServers(), topic, "nodes-" + topic, null);
    ApiConfig api = TestApi.config();
    Services services = Services.open(vertx, api);
    ApiContract contract = ApiContract.load(vertx).await();
    try (KafkaEvents consumer =
        new KafkaEvents(config, new EventIntake(services.customers(), contract), services.metrics())
            .start()) {
      Instant at = Instant.now().minusSeconds(3600);
      List<String> keys = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        keys.add("k-" + i % 4);
        values.add(event("ev-" + i, "k-" + i % 4, at.plusSeconds(i), 1 + i % 5));
      }
      // Sent again (a producer retry, a replay): changes nothing.
      keys.add("k-3");
      values.add(event("ev-3", "k-3", at.plusSeconds(3), 4));
      keys.add("k-0");
      values.add("{\"type\":\"SURVEY_ANSWERED\",\"id\":");
      keys.add("k-0");
      values.add("[1,2]");
      keys.add("k-1");
      values.add(
          "{\"type\":\"SURVEY_ANSWERED\",\"id\":\"ev-bad\",\"at\":\""
              + at
              + "\",\"survey\":\"CSAT\",\"value\":3}");
      keys.add("k-2");
      values.add(null);
      KafkaBroker.send(topic, keys, values);

      awaitCommitted(config.group(), topic, 2, Duration.ofSeconds(60));

      int stored = 0;
      for (int c = 0; c < 4; c++) {
        stored += services.customers().profile("k-" + c, null).orElseThrow().storedEvents();
      }
      assertThat(stored).isEqualTo(20);

      List<ConsumerRecord<byte[], byte[]>> dead =
          KafkaBroker.readAll(config.deadLetterTopic(), 4, Duration.ofSeconds(20));
      assertThat(dead).hasSize(4);
      Map<String, ConsumerRecord<byte[], byte[]>> byValue = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        byValue.put(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), r);
        assertThat(header(r, KafkaEvents.SOURCE_HEADER)).startsWith(topic + "/");
      }
      assertThat(
              header(
                  byValue.get("{\"type\":\"SURVEY_ANSWERED\",\"id\":"), KafkaEvents.REASON_HEADER))
          .startsWith("the record is not valid JSON");
      assertThat(header(byValue.get("[1,2]"), KafkaEvents.REASON_HEADER)).contains("not an object");
      assertThat(header(byValue.get(null), KafkaEvents.REASON_HEADER)).contains("tombstone");
      ConsumerRecord<byte[], byte[]> invalid =
          dead.stream()
              .filter(
                  r ->
                      r.value() != null
                          && new String(r.value(), StandardCharsets.UTF_8).contains("ev-bad"))
              .findFirst()
              .orElseThrow();
      assertThat(new String(invalid.key(), StandardCharsets.UTF_8)).isEqualTo("k-1");
      assertThat(header(invalid, KafkaEvents.REASON_HEADER))
          .startsWith("the event cannot be stored: ")
          .contains("customerId");
      assertThat(
              Json.mapper()
                  .readTree(header(invalid, KafkaEvents.ERRORS_HEADER))
                  .get(0)
                  .get("field")
                  .asText())
          .isEqualTo("customerId");

      String metrics = services.metrics().scrape();
      assertThat(metrics).contains("nba_events_kafka_records_total{outcome=\"stored\"} 20.0");
      assertThat(metrics).contains("nba_events_kafka_records_total{outcome=\"duplicate\"} 1.0");
      assertThat(metrics).contains("nba_events_kafka_records_total{outcome=\"dead_lettered\"} 4.0");
      assertThat(metrics).contains("nba_events_kafka_partitions 2.0");
      assertThat(metrics).containsPattern("nba_events_kafka_lag(\\{[^}]*})? 0\\.0");
    } finally {
      services.close();
    }
  }

  @Test
  void aPollLoopThatFails_makesTheConsumerUnready_withTheReason_andANewConsumerStoresEverything(
      Vertx vertx) throws Exception {
    String topic = "events-" + UUID.randomUUID();
    KafkaBroker.createTopic(topic, 1);
    KafkaBroker.createTopic(topic + ".dead-letter", 1);
    EventsKafkaConfig config =
        new EventsKafkaConfig(KafkaBroker.bootstrapServers(), topic, "failing-" + topic, null);
    Services services = Services.open(vertx, TestApi.config());
    // A fault of ours (not a store outage, which is retried in place) on the first batch only.
    CustomerStore real = services.customers().store();
    AtomicInteger appends = new AtomicInteger();
    CustomerStore failingOnce =
        (CustomerStore)
            Proxy.newProxyInstance(
                CustomerStore.class.getClassLoader(),
                new Class<?>[] {CustomerStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("append") && appends.getAndIncrement() == 0) {
                    throw new IllegalStateException("a fault on the first batch");
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    CustomerService customers =
        CustomerService.builder().store(failingOnce, false).engine(services.engine()).build();
    ApiContract contract = ApiContract.load(vertx).await();
    try (KafkaEvents consumer =
        new KafkaEvents(config, new EventIntake(customers, contract), services.metrics()).start()) {
      Instant at = Instant.now().minusSeconds(3600);
      List<String> keys = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        keys.add("f-1");
        values.add(event("fe-" + i, "f-1", at.plusSeconds(i), 3));
      }
      KafkaBroker.send(topic, keys, values);

      String problem = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (problem == null && System.nanoTime() < deadline) {
        problem = consumer.problem();
        Thread.sleep(20);
      }
      assertThat(problem)
          .startsWith(
              "the Kafka consumer failed (IllegalStateException: a fault on the first batch)");
      assertThat(services.metrics().scrape())
          .contains("nba_events_kafka_consumer_failures_total 1.0");

      awaitCommitted(config.group(), topic, 1, Duration.ofSeconds(60));
      assertThat(real.history("f-1", 0).events()).hasSize(5);
      deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumer.problem() != null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(consumer.problem()).isNull();
      assertThat(services.metrics().scrape()).contains("nba_events_kafka_consumer_up 1.0");
    } finally {
      services.close();
    }
  }

  @Test
  void recordsInEveryCompressionCodec_areRead(Vertx vertx) throws Exception {
    String topic = "events-" + UUID.randomUUID();
    KafkaBroker.createTopic(topic, 1);
    KafkaBroker.createTopic(topic + ".dead-letter", 1);
    EventsKafkaConfig config =
        new EventsKafkaConfig(KafkaBroker.bootstrapServers(), topic, "codecs-" + topic, null);
    Services services = Services.open(vertx, TestApi.config());
    ApiContract contract = ApiContract.load(vertx).await();
    List<String> codecs = List.of("gzip", "snappy", "lz4", "zstd");
    Instant at = Instant.now().minusSeconds(3600);
    for (int i = 0; i < codecs.size(); i++) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
      p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codecs.get(i));
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    "z-1".getBytes(StandardCharsets.UTF_8),
                    event("z-" + codecs.get(i), "z-1", at.plusSeconds(i), 2)
                        .getBytes(StandardCharsets.UTF_8)))
            .get();
      }
    }
    try (KafkaEvents consumer =
        new KafkaEvents(config, new EventIntake(services.customers(), contract), services.metrics())
            .start()) {
      awaitCommitted(config.group(), topic, 1, Duration.ofSeconds(60));
      assertThat(services.customers().profile("z-1", null).orElseThrow().storedEvents())
          .isEqualTo(4);
      assertThat(consumer.problem()).isNull();
    } finally {
      services.close();
    }
  }
}
