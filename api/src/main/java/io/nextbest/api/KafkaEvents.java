package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.nextbest.engine.customers.EventResult;
import io.nextbest.engine.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer events from a Kafka topic, on one thread of its own: each polled batch goes through the
 * same {@link EventIntake} as {@code POST /v1/events}, and its offsets are committed only once
 * every event of it is stored (or was a duplicate) and every record that cannot be stored is
 * acknowledged by the dead-letter topic. A crash between the two redelivers the batch, which the
 * idempotent store absorbs: delivery is at least once, storage exactly once per event id. While the
 * store is unavailable nothing is committed and the batch is read again after a pause.
 *
 * <p>A record that is not a JSON object, or an event the contract or the validator refuses, goes to
 * the dead-letter topic with its key and value unchanged and headers saying why ({@link
 * #REASON_HEADER}, {@link #ERRORS_HEADER} as a JSON array of {@code {field, message}}) and where it
 * was read ({@link #SOURCE_HEADER}). Nodes sharing the group split the topic's partitions.
 */
final class KafkaEvents implements AutoCloseable {
  static final String REASON_HEADER = "nba-dead-letter-reason";
  static final String ERRORS_HEADER = "nba-dead-letter-errors";
  static final String SOURCE_HEADER = "nba-source";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEvents.class);
  private static final ObjectReader TREE =
      Json.mapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long FIRST_RESTART_MILLIS = 1_000;

  private final EventsKafkaConfig config;
  private final EventIntake intake;
  private final ServiceMetrics metrics;
  private final Properties consumerProperties;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final Thread thread;
  private final Contact contact;

  /** The consumer thread's own; replaced by a new one when the poll loop fails. */
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /** The consumer thread's: the pause before the next new consumer. */
  private long restartBackoff = FIRST_RESTART_MILLIS;

  private volatile boolean running = true;

  /**
   * Why the poll loop last stopped, until a new consumer hears from the brokers again (null: it has
   * not stopped, or it runs again).
   */
  private volatile String failure;

  /** Written by the consumer thread after each poll, read by the Prometheus scrape. */
  private volatile long lag;

  private volatile int assigned;

  KafkaEvents(EventsKafkaConfig config, EventIntake intake, ServiceMetrics metrics) {
    if (!config.enabled()) {
      throw new IllegalArgumentException(
          "the Kafka consumer is off: " + EventsKafkaConfig.BOOTSTRAP_SERVERS + " is not set");
    }
    this.config = config;
    this.intake = intake;
    this.metrics = metrics;
    this.contact = new Contact(Duration.ofSeconds(config.unreachableSeconds()));
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group reads what the topic still holds: starting at the end would drop the events sent
    // before the first node came up.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // A node that died (kill -9, no leave message) keeps its partitions until this passes: 10 s
    // rather than Kafka's 45.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerProperties = c;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // Built here, on the caller's thread, so a setting the client refuses fails the start.
    this.consumer = newConsumer();
    try {
      this.deadLetters = new KafkaProducer<>(p);
    } catch (KafkaException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::run, "nba-kafka-events");
    this.thread.setDaemon(true);
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties);
    contact.watch(c);
    return c;
  }

  /** Subscribes and starts consuming on its own thread. */
  KafkaEvents start() {
    metrics.kafkaLag(() -> lag);
    metrics.kafkaPartitions(() -> assigned);
    metrics.kafkaConsumerUp(() -> problem() == null ? 1 : 0);
    thread.start();
    return this;
  }

  /**
   * Why this node's consumer is not consuming, for {@code /health/ready}: its poll loop failed (it
   * is started again after a pause, and the reason stays until the new one hears from a broker), or
   * no broker has answered it for longer than {@link EventsKafkaConfig#unreachableSeconds()}. Null
   * while it runs and reaches its brokers.
   */
  String problem() {
    if (!thread.isAlive() && thread.getState() != Thread.State.NEW) {
      return "the Kafka consumer has stopped";
    }
    String failed = failure;
    if (failed != null) {
      return failed;
    }
    long silent = contact.silentSeconds();
    return silent < 0
        ? null
        : "no answer from the Kafka brokers at "
            + config.bootstrapServers()
            + " for "
            + silent
            + " s (not ready after "
            + config.unreachableSeconds()
            + " s)";
  }

  /**
   * Runs the poll loop until {@link #close()}; a loop that fails (an error the client does not
   * recover from itself, an unexpected one of ours) is logged, counted, and started again on a new
   * consumer after a pause (1 s, doubling to 30 s). The new consumer resumes from the committed
   * offsets: what the failed one had not committed is read again, and the store absorbs it.
   */
  private void run() {
    try {
      while (running) {
        try {
          consume();
        } catch (WakeupException e) {
          if (!running) {
            return;
          }
          failure = "the Kafka consumer stopped: woken up unexpectedly";
        } catch (RuntimeException e) {
          failure =
              "the Kafka consumer failed ("
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()
                  + "); a new one is started after a pause of "
                  + restartBackoff / 1000
                  + " s";
          metrics.kafkaConsumerFailure();
          LOG.error("the Kafka consumer stopped; starting a new one in {} ms", restartBackoff, e);
        } finally {
          closeConsumer();
        }
        if (!pause(restartBackoff)) {
          return;
        }
        restartBackoff = Math.min(MAX_BACKOFF_MILLIS, restartBackoff * 2);
        try {
          consumer = newConsumer();
        } catch (KafkaException e) {
          failure = "cannot create a new Kafka consumer: " + e.getMessage();
          LOG.error("cannot create a new Kafka consumer", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sleeps up to {@code millis}, false when {@link #close()} asked to stop meanwhile. */
  private boolean pause(long millis) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (running && System.nanoTime() < until) {
      Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
    return running;
  }

  private void closeConsumer() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    consumer = null;
    if (c == null) {
      return;
    }
    try {
      c.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer failed", e);
    }
  }

  /** One consumer's poll loop: returns when {@link #close()} asks, throws when it fails. */
  private void consume() throws InterruptedException {
    if (consumer == null) {
      throw new IllegalStateException("no consumer (creating one failed)");
    }
    long backoff = 0;
    consumer.subscribe(
        List.of(config.topic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: a batch is committed before the next poll, inside which
            // rebalances run.
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("Kafka partitions assigned: {}", partitions);
          }
        });
    while (running) {
      if (backoff > 0) {
        Thread.sleep(backoff);
      }
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
      try {
        if (!records.isEmpty()) {
          handle(records);
          backoff = 0;
        }
      } catch (StoreException | DeadLetterException e) {
        backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        LOG.warn(
            "{} events from Kafka not stored ({}); reading them again in {} ms",
            records.count(),
            e.getMessage(),
            backoff);
        rewind(records);
      }
      measureLag();
      // Only after a whole round: a batch that fails the loop every time keeps the reason.
      if (failure != null && contact.silentSeconds() < 0 && contact.heardSinceWatch()) {
        LOG.info("the Kafka consumer runs again");
        failure = null;
        restartBackoff = FIRST_RESTART_MILLIS;
      }
    }
  }

  /** Stores the batch, dead-letters what cannot be stored, then commits. */
  private void handle(ConsumerRecords<byte[], byte[]> records) {
    List<JsonNode> events = new ArrayList<>(records.count());
    List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(records.count());
    List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
    List<String> poisonReasons = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      String unreadable = null;
      JsonNode node = null;
      if (r.value() == null) {
        unreadable = "the record has no value (a tombstone): an event is a JSON object";
      } else {
        try {
          node = TREE.readValue(r.value());
          if (node == null || !node.isObject()) {
            unreadable = "the record is JSON but not an object: an event is a JSON object";
          }
        } catch (JsonProcessingException e) {
          unreadable = "the record is not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
          unreadable = "the record cannot be read: " + e.getMessage();
        }
      }
      if (unreadable != null) {
        poison.add(r);
        poisonReasons.add(unreadable);
      } else {
        events.add(node);
        sources.add(r);
      }
    }
    // Throws StoreException with nothing committed or dead-lettered: the whole batch is read again.
    List<EventResult> results = intake.ingest(events, false);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < poison.size(); i++) {
      sent.add(deadLetter(poison.get(i), poisonReasons.get(i), List.of()));
    }
    int stored = 0;
    int duplicates = 0;
    int rejected = 0;
    for (EventResult result : results) {
      switch (result.status()) {
        case STORED -> stored++;
        case DUPLICATE -> duplicates++;
        case REJECTED -> {
          rejected++;
          FieldError first = result.errors().get(0);
          String reason =
              "the event cannot be stored: "
                  + (first.field().isEmpty() ? "" : first.field() + " ")
                  + first.message();
          sent.add(deadLetter(sources.get(result.index()), reason, result.errors()));
        }
      }
    }
    awaitDeadLetters(sent);
    metrics.kafkaRecords(stored, duplicates, rejected + poison.size());
    try {
      consumer.commitSync(next);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // A rebalance took the partitions first: their next owner reads the batch again and finds
      // every event stored.
      LOG.warn(
          "cannot commit the offsets of {} stored events ({}); they will be read again, as duplicates",
          records.count(),
          e.toString());
      return;
    }
    LOG.debug(
        "Kafka batch: {} stored, {} duplicates, {} dead-lettered, committed {}",
        stored,
        duplicates,
        rejected + poison.size(),
        next);
  }

  private Future<RecordMetadata> deadLetter(
      ConsumerRecord<byte[], byte[]> r, String reason, List<FieldError> errors) {
    RecordHeaders headers = new RecordHeaders();
    r.headers().forEach(headers::add);
    headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    try {
      headers.add(ERRORS_HEADER, Json.mapper().writeValueAsBytes(errors));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    headers.add(
        SOURCE_HEADER,
        (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      return deadLetters.send(
          new ProducerRecord<>(config.deadLetterTopic(), null, r.key(), r.value(), headers));
    } catch (KafkaException e) {
      throw new DeadLetterException(
          "cannot send to the dead-letter topic "
              + config.deadLetterTopic()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void awaitDeadLetters(List<Future<RecordMetadata>> sent) {
    if (sent.isEmpty()) {
      return;
    }
    deadLetters.flush();
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new DeadLetterException(
            "the dead-letter topic " + config.deadLetterTopic() + " did not acknowledge: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeadLetterException("interrupted while sending dead letters", e);
      }
    }
  }

  /**
   * Back to the first record of the batch on each of its partitions, so the next poll reads it
   * again.
   */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    first.forEach(
        (tp, offset) -> {
          if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
  }

  private void measureLag() {
    long total = 0;
    var partitions = consumer.assignment();
    for (TopicPartition tp : partitions) {
      var l = consumer.currentLag(tp);
      if (l.isPresent()) {
        total += l.getAsLong();
      }
    }
    lag = total;
    assigned = partitions.size();
  }

  /** Stops consuming (waits up to 10 s for the batch in hand) and closes the clients. */
  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close(Duration.ofSeconds(5));
  }

  /**
   * When a consumer last heard from a broker: the count of responses its network client has
   * received (Kafka's {@code response-total}: fetches, heartbeats, metadata, commits), sampled
   * after every poll and by every readiness probe. A consumer that reaches its brokers gets an
   * answer at least every heartbeat (2 s), even with no partition assigned.
   */
  private static final class Contact {
    private final long boundNanos;
    private volatile Metric responses;
    private double seen = -1;
    private long changedAt;
    private boolean heard;

    Contact(Duration bound) {
      this.boundNanos = bound.toNanos();
    }

    /** From now on counts {@code consumer}'s responses (a new consumer starts the clock again). */
    synchronized void watch(KafkaConsumer<?, ?> consumer) {
      Metric found = null;
      for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
        if (e.getKey().name().equals("response-total")
            && e.getKey().group().equals("consumer-metrics")) {
          found = e.getValue();
        }
      }
      if (found == null) {
        throw new IllegalStateException("the Kafka client has no consumer-metrics response-total");
      }
      responses = found;
      seen = -1;
      heard = false;
      changedAt = System.nanoTime();
    }

    /** Seconds without an answer when over the bound, else -1. */
    synchronized long silentSeconds() {
      long now = System.nanoTime();
      double count = ((Number) responses.metricValue()).doubleValue();
      // The count only grows, from 0 for a new consumer: any change is an answer.
      if (count != seen) {
        if (count > 0) {
          changedAt = now;
          heard = true;
        }
        seen = count;
      }
      long silent = now - changedAt;
      return silent > boundNanos ? TimeUnit.NANOSECONDS.toSeconds(silent) : -1;
    }

    /** Whether the consumer watched now has had any answer at all. */
    synchronized boolean heardSinceWatch() {
      return heard;
    }
  }

  /** The dead-letter topic did not take a record: nothing is committed, the batch is read again. */
  private static final class DeadLetterException extends RuntimeException {
    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
