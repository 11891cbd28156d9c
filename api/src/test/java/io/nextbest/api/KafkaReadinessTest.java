package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer that cannot reach its brokers makes the node unready, with the reason and a metric,
 * and ready again once the broker is back. On a Kafka node of its own (KRaft, in this JVM), not the
 * one the other Kafka tests share, since its broker is stopped and started again.
 */
class KafkaReadinessTest {
  static final String TOPIC = "readiness-events";
  static final int UNREACHABLE_SECONDS = 5;

  KafkaClusterTestKit cluster;
  Vertx vertx;
  Services services;
  WebClient client;

  @BeforeEach
  void start() throws Exception {
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("num.network.threads", "2")
            .setConfigProp("num.io.threads", "2")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = Admin.create(clientProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, 1, (short) 1),
                  new NewTopic(TOPIC + ".dead-letter", 1, (short) 1)))
          .all()
          .get();
    }
    vertx = Vertx.vertx();
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    client = TestApi.client(vertx, config, null);
  }

  @AfterEach
  void stop() throws Exception {
    KafkaEvents consumer = services == null ? null : services.kafka().get();
    if (consumer != null) {
      consumer.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (services != null) {
      services.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  Properties clientProperties() {
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrapServers());
    return p;
  }

  void send(String id, String customer) throws Exception {
    Properties p = clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      String event = KafkaEventsTest.event(id, customer, Instant.now().minusSeconds(60), 4);
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  customer.getBytes(StandardCharsets.UTF_8),
                  event.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  int storedEvents(String customer) {
    return services.customers().profile(customer, null).map(p -> p.storedEvents()).orElse(0);
  }

  void awaitStored(String customer, int events, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (storedEvents(customer) < events && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(storedEvents(customer)).isEqualTo(events);
  }

  HttpResponse<Buffer> ready() {
    return client.get("/health/ready").send().await();
  }

  HttpResponse<Buffer> readyUntil(Predicate<HttpResponse<Buffer>> until, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<Buffer> r = ready();
    while (!until.test(r) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = ready();
    }
    return r;
  }

  String metric(String name) {
    return client
        .get("/metrics")
        .send()
        .await()
        .bodyAsString()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .findFirst()
        .orElse("(no " + name + ")");
  }

  @Test
  void brokersOutOfReach_makeTheNodeUnready_withTheReason_andReadyAgainWhenTheyAreBack()
      throws Exception {
    EventsKafkaConfig config =
        new EventsKafkaConfig(
            cluster.bootstrapServers(), TOPIC, "readiness", null, UNREACHABLE_SECONDS);
    KafkaEvents consumer =
        new KafkaEvents(
            config,
            new EventIntake(services.customers(), ApiContract.load(vertx).await()),
            services.metrics());
    services.kafka().set(consumer.start());
    send("ev-1", "c-1");
    awaitStored("c-1", 1, Duration.ofSeconds(30));

    HttpResponse<Buffer> up = ready();
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject().getJsonObject("checks").getJsonObject("kafka"))
        .isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(metric("nba_events_kafka_consumer_up")).endsWith(" 1.0");

    BrokerServer broker = cluster.brokers().values().iterator().next();
    broker.shutdown();
    broker.awaitShutdown();

    HttpResponse<Buffer> down = readyUntil(r -> r.statusCode() == 503, Duration.ofSeconds(30));
    assertThat(down.statusCode()).isEqualTo(503);
    JsonObject body = down.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    JsonObject kafka = body.getJsonObject("checks").getJsonObject("kafka");
    assertThat(kafka.getString("status")).isEqualTo("DOWN");
    assertThat(kafka.getString("reason"))
        .startsWith("no answer from the Kafka brokers at " + config.bootstrapServers() + " for ")
        .endsWith("(not ready after " + UNREACHABLE_SECONDS + " s)");
    // Only the consumer is at fault: the node still decides and takes events over HTTP.
    assertThat(body.getJsonObject("checks").getJsonObject("store").getString("status"))
        .isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getJsonObject("ruleSet").getString("status"))
        .isEqualTo("UP");
    assertThat(metric("nba_events_kafka_consumer_up")).endsWith(" 0.0");

    broker.startup();
    cluster.waitForReadyBrokers();
    HttpResponse<Buffer> back = readyUntil(r -> r.statusCode() == 200, Duration.ofSeconds(30));
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.bodyAsJsonObject().getJsonObject("checks").getJsonObject("kafka"))
        .isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(metric("nba_events_kafka_consumer_up")).endsWith(" 1.0");
    // And it consumes again.
    send("ev-2", "c-1");
    awaitStored("c-1", 2, Duration.ofSeconds(30));
  }
}
