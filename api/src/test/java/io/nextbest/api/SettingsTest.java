package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from a YAML file with the environment on top; unknown keys and bad values named. */
class SettingsTest {
  static final Path EXAMPLE = Path.of("..", "docs", "nba.example.yaml");

  @TempDir Path dir;

  Path file(String yaml) throws IOException {
    Path f = Files.createTempFile(dir, "nba-", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void theShippedExample_loads_andGivesTheDefaults() {
    Settings s = Settings.forStart(EXAMPLE, Map.of());

    ApiConfig defaults = ApiConfig.fromEnv(Map.of());
    assertThat(s.api()).isEqualTo(defaults);
    assertThat(s.store()).isEqualTo(StoreConfig.fromEnv(Map.of()));
    assertThat(s.logFormat()).isEqualTo("json");
    assertThat(s.logFormat(true)).as("unset, at a terminal").isEqualTo("text");
    assertThat(s.logLevel()).isEqualTo("INFO");
    assertThat(Settings.readFile(EXAMPLE))
        .containsKeys("http.port", "dataDir", "store.kind", "store.redisUrl", "log.level");
  }

  @Test
  void everyKey_isRead_andTheEnvironmentWins() throws IOException {
    Path f =
        file(
            """
            http: {port: 18080, eventLoops: 3, maxBodyBytes: 1024, maxUploadBytes: 4096}
            dataDir: /var/lib/nba
            rulesDir: rules/src/main/resources/nextbest/ruleset
            store: {kind: redis, redisUrl: "redis://cache:6379/2", redisTimeoutMs: 250}
            security:
              apiKeys: {agent-key-0123456789: agent, analyst-key-0123456789: analyst}
              jwtSecret: a-secret-of-at-least-32-characters!
            log: {format: text, level: debug}
            """);
    Settings fromFile = Settings.load(f, Map.of());
    assertThat(fromFile.api())
        .isEqualTo(
            new ApiConfig(
                18080,
                Path.of("/var/lib/nba"),
                1024,
                4096,
                3,
                Map.of("agent-key-0123456789", Role.AGENT, "analyst-key-0123456789", Role.ANALYST),
                "a-secret-of-at-least-32-characters!",
                Path.of("rules/src/main/resources/nextbest/ruleset")));
    assertThat(fromFile.store())
        .isEqualTo(
            new StoreConfig(
                StoreConfig.Kind.REDIS, "redis://cache:6379/2", Duration.ofMillis(250)));
    assertThat(fromFile.logFormat()).isEqualTo("text");
    assertThat(fromFile.logLevel()).isEqualTo("DEBUG");

    Settings overridden =
        Settings.forStart(
            f, Map.of("NBA_HTTP_PORT", "9090", "NBA_STORE", "embedded", "NBA_LOG_FORMAT", "json"));
    assertThat(overridden.api().httpPort()).isEqualTo(9090);
    assertThat(overridden.api().eventLoops()).isEqualTo(3);
    assertThat(overridden.store().kind()).isEqualTo(StoreConfig.Kind.EMBEDDED);
    assertThat(overridden.logFormat()).isEqualTo("json");
  }

  @Test
  void theConfigVariable_namesTheFile_andTheArgumentWinsOverIt() throws IOException {
    Path f = file("http: {port: 18081}\n");
    assertThat(Settings.forStart(null, Map.of("NBA_CONFIG", f.toString())).api().httpPort())
        .isEqualTo(18081);
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "http: {port: 18082}\n");
    assertThat(Settings.forStart(other, Map.of("NBA_CONFIG", f.toString())).api().httpPort())
        .isEqualTo(18082);
  }

  @Test
  void anUnknownKey_failsNamingIt() throws IOException {
    Path typo = file("http: {prot: 8080}\n");
    assertThatThrownBy(() -> Settings.load(typo, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown key 'http.prot' in " + typo);
    Path top = file("colour: blue\n");
    assertThatThrownBy(() -> Settings.load(top, Map.of()))
        .hasMessageStartingWith("unknown key 'colour'");
  }

  @Test
  void badValues_failNamingTheKeyInTheFile_orTheVariable() throws IOException {
    Path port = file("http: {port: 70000}\n");
    assertThatThrownBy(() -> Settings.load(port, Map.of()).api())
        .hasMessage("http.port in " + port + " must be between 0 and 65535, was 70000");
    Path words = file("http: {maxBodyBytes: lots}\n");
    assertThatThrownBy(() -> Settings.load(words, Map.of()).api())
        .hasMessage("http.maxBodyBytes in " + words + " must be a whole number, was 'lots'");
    Path store = file("store: {kind: mongo}\n");
    assertThatThrownBy(() -> Settings.load(store, Map.of()).store())
        .hasMessage("store.kind in " + store + " must be embedded or redis, was 'mongo'");
    Path role = file("security: {apiKeys: {agent-key-0123456789: boss}}\n");
    assertThatThrownBy(() -> Settings.load(role, Map.of()).api())
        .hasMessageStartingWith("security.apiKeys in " + role + ": unknown role 'boss'");
    Path format = file("log: {format: xml}\n");
    assertThatThrownBy(() -> Settings.load(format, Map.of()))
        .hasMessage("log.format in " + format + " must be json or text, was 'xml'");
    Path list = file("http: {port: [1, 2]}\n");
    assertThatThrownBy(() -> Settings.load(list, Map.of()))
        .hasMessage("http.port in " + list + " must be a single value, was a list");

    assertThatThrownBy(() -> Settings.load(port, Map.of("NBA_HTTP_PORT", "http")).api())
        .hasMessage("NBA_HTTP_PORT must be a whole number, was 'http'");
  }

  @Test
  void eventsFromKafka_areOffByDefault_readFromTheFile_andCheckedNamingTheKey() throws IOException {
    assertThat(Settings.load(EXAMPLE, Map.of()).eventsKafka().enabled()).isFalse();
    Path f =
        file(
            "events:\n  kafka: {bootstrapServers: \"kafka-1:9092,kafka-2:9092\", topic: customer-events}\n");
    EventsKafkaConfig k = Settings.load(f, Map.of()).eventsKafka();
    assertThat(k)
        .isEqualTo(
            new EventsKafkaConfig(
                "kafka-1:9092,kafka-2:9092",
                "customer-events",
                "nextbest-events",
                "customer-events.dead-letter"));
    assertThat(Settings.load(f, Map.of("NBA_EVENTS_KAFKA_GROUP", "eu-nodes")).eventsKafka().group())
        .isEqualTo("eu-nodes");
    assertThat(k.unreachableSeconds()).isEqualTo(30);
    assertThat(
            Settings.load(f, Map.of("NBA_EVENTS_KAFKA_UNREACHABLE_SECONDS", "12"))
                .eventsKafka()
                .unreachableSeconds())
        .isEqualTo(12);
    Path tooSoon =
        file(
            "events: {kafka: {bootstrapServers: \"kafka:9092\", topic: t, unreachableSeconds: 2}}\n");
    assertThatThrownBy(() -> Settings.load(tooSoon, Map.of()).eventsKafka())
        .hasMessage(
            "events.kafka.unreachableSeconds in " + tooSoon + " must be between 5 and 3600, was 2");
    assertThatThrownBy(
            () ->
                Settings.load((Path) null, Map.of("NBA_EVENTS_KAFKA_UNREACHABLE_SECONDS", "soon"))
                    .eventsKafka())
        .hasMessage(
            "NBA_EVENTS_KAFKA_BOOTSTRAP_SERVERS is required when any other NBA_EVENTS_KAFKA_* setting is given");

    Path noTopic = file("events: {kafka: {bootstrapServers: \"kafka:9092\"}}\n");
    assertThatThrownBy(() -> Settings.load(noTopic, Map.of()).eventsKafka())
        .hasMessage(
            "NBA_EVENTS_KAFKA_TOPIC is required when NBA_EVENTS_KAFKA_BOOTSTRAP_SERVERS is set");
    Path badServers = file("events: {kafka: {bootstrapServers: kafka, topic: t}}\n");
    assertThatThrownBy(() -> Settings.load(badServers, Map.of()).eventsKafka())
        .hasMessage(
            "events.kafka.bootstrapServers in "
                + badServers
                + " must be host:port pairs separated by commas, was 'kafka'");
    Path badTopic =
        file("events: {kafka: {bootstrapServers: \"kafka:9092\", topic: \"customer events\"}}\n");
    assertThatThrownBy(() -> Settings.load(badTopic, Map.of()).eventsKafka())
        .hasMessageStartingWith(
            "events.kafka.topic in " + badTopic + " must be a Kafka topic name");
    Path loop =
        file("events: {kafka: {bootstrapServers: \"kafka:9092\", topic: t, deadLetterTopic: t}}\n");
    assertThatThrownBy(() -> Settings.load(loop, Map.of()).eventsKafka())
        .hasMessageStartingWith("events.kafka.deadLetterTopic in " + loop + " must differ from");
    assertThatThrownBy(
            () -> Settings.load((Path) null, Map.of("NBA_EVENTS_KAFKA_TOPIC", "t")).eventsKafka())
        .hasMessage(
            "NBA_EVENTS_KAFKA_BOOTSTRAP_SERVERS is required when any other NBA_EVENTS_KAFKA_* setting is given");
  }

  @Test
  void unreadableFiles_failClearly() throws IOException {
    assertThatThrownBy(() -> Settings.load(dir.resolve("missing.yaml"), Map.of()))
        .hasMessageStartingWith("cannot read the configuration file");
    Path broken = file("http: {port: 8080\n");
    assertThatThrownBy(() -> Settings.load(broken, Map.of()))
        .hasMessageStartingWith("the configuration file " + broken + " is not valid YAML");
  }
}
