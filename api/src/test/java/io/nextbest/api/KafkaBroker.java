package io.nextbest.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka node (KRaft, broker and controller combined) in the test JVM, started on first use
 * and shared by every test class; topics are created per test so tests do not see each other.
 */
final class KafkaBroker {
  private static KafkaClusterTestKit cluster;

  private KafkaBroker() {}

  static synchronized String bootstrapServers() {
    if (cluster == null) {
      // Kafka's servers end the JVM on what they take for a fatal fault (Exit.exit / Exit.halt),
      // also while closing in the shutdown hook below, when the test JVM has already passed every
      // test: surefire then fails the build on the fork's exit code ("Error occurred in starting
      // fork") with no test failed. In the test JVM they say so instead.
      org.apache.kafka.common.utils.Exit.setExitProcedure(KafkaBroker::refuseToEnd);
      org.apache.kafka.common.utils.Exit.setHaltProcedure(KafkaBroker::refuseToEnd);
      try {
        KafkaClusterTestKit c =
            new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.network.threads", "2")
                .setConfigProp("num.io.threads", "2")
                .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        cluster = c;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        c.close();
                      } catch (Exception e) {
                        // the JVM is going anyway
                      }
                    },
                    "kafka-test-broker-close"));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the in-process Kafka broker", e);
      }
    }
    return cluster.bootstrapServers();
  }

  private static void refuseToEnd(int status, String message) {
    System.err.println(
        "in-process Kafka broker asked to end the JVM with status " + status + ": " + message);
  }

  static Admin admin() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    return Admin.create(p);
  }

  static void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(p);
  }

  /**
   * Sends each value keyed by its customer id (null: no key) and answers where each landed, in
   * order.
   */
  static List<RecordMetadata> send(String topic, List<String> keys, List<String> values)
      throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < values.size(); i++) {
        String k = keys.get(i);
        String v = values.get(i);
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                    v == null ? null : v.getBytes(StandardCharsets.UTF_8))));
      }
      producer.flush();
    }
    List<RecordMetadata> out = new ArrayList<>();
    for (var f : sent) {
      out.add(f.get());
    }
    return out;
  }

  /**
   * Every record of {@code topic}, from the beginning (waits up to {@code timeout} for at least
   * {@code expected}).
   */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The group's committed offsets on {@code topic} (partition → next offset to read). */
  static Map<Integer, Long> committed(String group, String topic)
      throws ExecutionException, InterruptedException {
    Map<Integer, Long> out = new HashMap<>();
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      offsets.forEach(
          (tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
              out.put(tp.partition(), o.offset());
            }
          });
    }
    return out;
  }

  /** The end offset of every partition of {@code topic}. */
  static Map<Integer, Long> endOffsets(String topic, int partitions)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (int i = 0; i < partitions; i++) {
      ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
    }
    Map<Integer, Long> out = new HashMap<>();
    try (Admin admin = admin()) {
      admin
          .listOffsets(ask)
          .all()
          .get()
          .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    }
    return out;
  }
}
