package io.nextbest.api;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the service reads customer events from a Kafka topic, read at start-up; off unless
 * bootstrap servers are given.
 *
 * @param bootstrapServers {@code NBA_EVENTS_KAFKA_BOOTSTRAP_SERVERS}, {@code host:port} pairs
 *     separated by commas (none: no consumer)
 * @param topic {@code NBA_EVENTS_KAFKA_TOPIC}, required with bootstrap servers
 * @param group {@code NBA_EVENTS_KAFKA_GROUP}, the consumer group every node of one deployment
 *     shares, so they split the topic's partitions (default {@code nextbest-events})
 * @param deadLetterTopic {@code NBA_EVENTS_KAFKA_DEAD_LETTER_TOPIC}, where records that cannot be
 *     stored go with the reason (default the topic's name with {@code .dead-letter} appended)
 * @param unreachableSeconds {@code NBA_EVENTS_KAFKA_UNREACHABLE_SECONDS}: no answer from any broker
 *     for longer than this and {@code /health/ready} says DOWN (default 30, 5 to 3600: a consumer
 *     that reaches its brokers hears from them at least every heartbeat, 2 s)
 */
public record EventsKafkaConfig(
    String bootstrapServers,
    String topic,
    String group,
    String deadLetterTopic,
    int unreachableSeconds) {
  public static final String BOOTSTRAP_SERVERS = "NBA_EVENTS_KAFKA_BOOTSTRAP_SERVERS";
  public static final String TOPIC = "NBA_EVENTS_KAFKA_TOPIC";
  public static final String GROUP = "NBA_EVENTS_KAFKA_GROUP";
  public static final String DEAD_LETTER_TOPIC = "NBA_EVENTS_KAFKA_DEAD_LETTER_TOPIC";
  public static final String UNREACHABLE_SECONDS = "NBA_EVENTS_KAFKA_UNREACHABLE_SECONDS";

  public static final String DEFAULT_GROUP = "nextbest-events";
  public static final int DEFAULT_UNREACHABLE_SECONDS = 30;

  /** No consumer. */
  public static final EventsKafkaConfig OFF = new EventsKafkaConfig(null, null, null, null);

  /** Kafka's own rule for topic names. */
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private static final Pattern SERVERS =
      Pattern.compile("[^,\\s:]+:\\d{1,5}(,[^,\\s:]+:\\d{1,5})*");

  /** With the default bound on unreachable brokers. */
  public EventsKafkaConfig(
      String bootstrapServers, String topic, String group, String deadLetterTopic) {
    this(bootstrapServers, topic, group, deadLetterTopic, DEFAULT_UNREACHABLE_SECONDS);
  }

  public EventsKafkaConfig {
    if (unreachableSeconds < 5 || unreachableSeconds > 3600) {
      throw new IllegalArgumentException(
          UNREACHABLE_SECONDS + " must be between 5 and 3600, was " + unreachableSeconds);
    }
    if (bootstrapServers != null) {
      if (!SERVERS.matcher(bootstrapServers).matches()) {
        throw new IllegalArgumentException(
            BOOTSTRAP_SERVERS
                + " must be host:port pairs separated by commas, was '"
                + bootstrapServers
                + "'");
      }
      if (topic == null) {
        throw new IllegalArgumentException(
            TOPIC + " is required when " + BOOTSTRAP_SERVERS + " is set");
      }
      requireTopic(TOPIC, topic);
      group = group == null ? DEFAULT_GROUP : group;
      if (group.isBlank() || group.length() > 249) {
        throw new IllegalArgumentException(
            GROUP + " must be 1 to 249 characters, was '" + group + "'");
      }
      deadLetterTopic = deadLetterTopic == null ? topic + ".dead-letter" : deadLetterTopic;
      requireTopic(DEAD_LETTER_TOPIC, deadLetterTopic);
      if (deadLetterTopic.equals(topic)) {
        throw new IllegalArgumentException(
            DEAD_LETTER_TOPIC
                + " must differ from "
                + TOPIC
                + " ('"
                + topic
                + "'): a dead letter would be read again");
      }
    } else if (topic != null || group != null || deadLetterTopic != null) {
      throw new IllegalArgumentException(
          BOOTSTRAP_SERVERS + " is required when any other NBA_EVENTS_KAFKA_* setting is given");
    }
  }

  public boolean enabled() {
    return bootstrapServers != null;
  }

  /**
   * @throws IllegalArgumentException naming the variable and the value it had
   */
  public static EventsKafkaConfig fromEnv(Map<String, String> env) {
    String unreachable = get(env, UNREACHABLE_SECONDS);
    if (unreachable != null && get(env, BOOTSTRAP_SERVERS) == null) {
      throw new IllegalArgumentException(
          BOOTSTRAP_SERVERS + " is required when any other NBA_EVENTS_KAFKA_* setting is given");
    }
    int seconds;
    try {
      seconds =
          unreachable == null
              ? DEFAULT_UNREACHABLE_SECONDS
              : Integer.parseInt(unreachable.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          UNREACHABLE_SECONDS + " must be a whole number, was '" + unreachable + "'");
    }
    return new EventsKafkaConfig(
        get(env, BOOTSTRAP_SERVERS),
        get(env, TOPIC),
        get(env, GROUP),
        get(env, DEAD_LETTER_TOPIC),
        seconds);
  }

  /** For logs. */
  String describe() {
    return enabled()
        ? "topic "
            + topic
            + " at "
            + bootstrapServers
            + ", group "
            + group
            + ", dead letters to "
            + deadLetterTopic
            + ", not ready after "
            + unreachableSeconds
            + " s without a broker"
        : "off";
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static void requireTopic(String name, String value) {
    if (!TOPIC_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(
          name
              + " must be a Kafka topic name (letters, digits, '.', '_', '-'; at most 249), was '"
              + value
              + "'");
    }
  }
}
