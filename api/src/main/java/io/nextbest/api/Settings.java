package io.nextbest.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Every setting of the service from one place: a YAML file ({@code --config <file>} or {@code
 * NBA_CONFIG}) overlaid by {@code NBA_*} environment variables, so a deployment can ship a file and
 * still override one value per environment. Unknown keys and bad values stop the start with a
 * message naming the key (and the file) or the variable they came from.
 *
 * @param values every setting given, by environment variable name (the file's values under the name
 *     of their variable, the environment's on top)
 * @param fileKeys for each value that came from the file, its key there
 * @param file the file read, or null
 */
record Settings(Map<String, String> values, Map<String, String> fileKeys, Path file) {
  static final String CONFIG = "NBA_CONFIG";
  static final String LOG_FORMAT = "NBA_LOG_FORMAT";
  static final String LOG_LEVEL = "NBA_LOG_LEVEL";

  /** One setting: its key in the file and its environment variable. */
  record Key(String file, String env) {}

  /** Every setting there is, in the order the README documents them. */
  static final List<Key> KEYS =
      List.of(
          new Key("http.port", ApiConfig.HTTP_PORT),
          new Key("http.eventLoops", ApiConfig.EVENT_LOOPS),
          new Key("http.maxBodyBytes", ApiConfig.MAX_BODY_BYTES),
          new Key("http.maxUploadBytes", ApiConfig.MAX_UPLOAD_BYTES),
          new Key("http.readTimeoutSeconds", ApiConfig.READ_TIMEOUT_SECONDS),
          new Key("http.maxConnections", ApiConfig.MAX_CONNECTIONS),
          new Key("dataDir", ApiConfig.DATA_DIR),
          new Key("rulesDir", ApiConfig.RULES_DIR),
          new Key("store.kind", StoreConfig.STORE),
          new Key("store.redisUrl", StoreConfig.REDIS_URL),
          new Key("store.redisTimeoutMs", StoreConfig.REDIS_TIMEOUT_MS),
          new Key("warmup.decisions", WarmUpConfig.DECISIONS),
          new Key("warmup.maxSeconds", WarmUpConfig.MAX_SECONDS),
          new Key("warmup.activationDecisions", WarmUpConfig.ACTIVATION_DECISIONS),
          new Key("warmup.activationMaxSeconds", WarmUpConfig.ACTIVATION_MAX_SECONDS),
          new Key("events.kafka.bootstrapServers", EventsKafkaConfig.BOOTSTRAP_SERVERS),
          new Key("events.kafka.topic", EventsKafkaConfig.TOPIC),
          new Key("events.kafka.group", EventsKafkaConfig.GROUP),
          new Key("events.kafka.deadLetterTopic", EventsKafkaConfig.DEAD_LETTER_TOPIC),
          new Key("events.kafka.unreachableSeconds", EventsKafkaConfig.UNREACHABLE_SECONDS),
          new Key("security.apiKeys", ApiConfig.API_KEYS),
          new Key("security.jwtSecret", ApiConfig.JWT_SECRET),
          new Key("security.jwtMaxLifetimeSeconds", ApiConfig.JWT_MAX_LIFETIME_SECONDS),
          new Key("log.format", LOG_FORMAT),
          new Key("log.level", LOG_LEVEL));

  private static final List<String> LEVELS =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  Settings {
    values = Map.copyOf(values);
    fileKeys = Map.copyOf(fileKeys);
  }

  /**
   * The settings for a start: the file given by {@code --config} (may be null; else the one named
   * by {@code NBA_CONFIG}, else none), overridden by the environment.
   *
   * @throws IllegalArgumentException for an unreadable file, an unknown key or a bad value
   */
  static Settings forStart(Path config, Map<String, String> env) {
    String named =
        env.get(CONFIG) == null || env.get(CONFIG).isBlank() ? null : env.get(CONFIG).strip();
    return load(config != null ? config : named == null ? null : Path.of(named), env);
  }

  /** The settings of {@code file} (may be null) with the environment on top. */
  static Settings load(Path file, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    Map<String, String> fileKeys = new HashMap<>();
    if (file != null) {
      for (Map.Entry<String, String> e : readFile(file).entrySet()) {
        String variable = variable(e.getKey());
        values.put(variable, e.getValue());
        fileKeys.put(variable, e.getKey());
      }
    }
    for (Key k : KEYS) {
      String v = env.get(k.env());
      if (v != null && !v.isBlank()) {
        values.put(k.env(), v);
        fileKeys.remove(k.env());
      }
    }
    Settings s = new Settings(values, fileKeys, file);
    s.logFormat(false);
    s.logLevel();
    return s;
  }

  ApiConfig api() {
    try {
      return ApiConfig.fromEnv(values);
    } catch (IllegalArgumentException e) {
      throw named(e);
    }
  }

  StoreConfig store() {
    try {
      return StoreConfig.fromEnv(values);
    } catch (IllegalArgumentException e) {
      throw named(e);
    }
  }

  WarmUpConfig warmUp() {
    try {
      return WarmUpConfig.fromEnv(values);
    } catch (IllegalArgumentException e) {
      throw named(e);
    }
  }

  EventsKafkaConfig eventsKafka() {
    try {
      return EventsKafkaConfig.fromEnv(values);
    } catch (IllegalArgumentException e) {
      throw named(e);
    }
  }

  /** {@code json} (default) or {@code text}. */
  String logFormat() {
    return logFormat(false);
  }

  /**
   * {@code json} or {@code text} as set; when not set, {@code text} for a person at a terminal and
   * {@code json} (for log shippers) otherwise.
   */
  String logFormat(boolean terminal) {
    String v =
        values
            .getOrDefault(LOG_FORMAT, terminal ? "text" : "json")
            .strip()
            .toLowerCase(Locale.ROOT);
    if (!v.equals("json") && !v.equals("text")) {
      throw named(
          new IllegalArgumentException(
              LOG_FORMAT + " must be json or text, was '" + values.get(LOG_FORMAT) + "'"));
    }
    return v;
  }

  /** The root log level (default INFO). */
  String logLevel() {
    String v = values.getOrDefault(LOG_LEVEL, "INFO").strip().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(v)) {
      throw named(
          new IllegalArgumentException(
              LOG_LEVEL + " must be one of " + LEVELS + ", was '" + values.get(LOG_LEVEL) + "'"));
    }
    return v;
  }

  /** Where the settings came from, for the start-up log. */
  String describe() {
    return file == null
        ? "environment"
        : file + " and the environment (" + fileKeys.size() + " of its values not overridden)";
  }

  /** The same complaint, naming the file's key when the value came from the file. */
  private IllegalArgumentException named(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    for (Map.Entry<String, String> k : fileKeys.entrySet()) {
      if (message.startsWith(k.getKey())) {
        return new IllegalArgumentException(
            k.getValue() + " in " + file + message.substring(k.getKey().length()), e);
      }
    }
    return e;
  }

  private static String variable(String fileKey) {
    for (Key k : KEYS) {
      if (k.file().equals(fileKey)) {
        return k.env();
      }
    }
    throw new IllegalStateException(fileKey);
  }

  /**
   * The file's settings by key ({@code http.port}), nested maps flattened; unknown keys refused.
   */
  static Map<String, String> readFile(Path file) {
    Object root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(
          "the configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null) {
      return out;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "the configuration file " + file + " must be a mapping of keys to values");
    }
    flatten(file, "", map, out);
    return out;
  }

  private static void flatten(Path file, String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object value = e.getValue();
      boolean known = KEYS.stream().anyMatch(k -> k.file().equals(key));
      boolean parent = KEYS.stream().anyMatch(k -> k.file().startsWith(key + "."));
      if (known && value instanceof Map<?, ?> m && key.equals("security.apiKeys")) {
        // The natural YAML form: one "key: role" line per key.
        List<String> pairs = new ArrayList<>();
        m.forEach((k, role) -> pairs.add(k + "=" + role));
        out.put(key, String.join(",", pairs));
      } else if (known
          && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
        out.put(key, value.toString());
      } else if ((known || parent) && value == null) {
        // "security:" with every line under it commented out: nothing set.
        continue;
      } else if (known) {
        throw new IllegalArgumentException(
            key + " in " + file + " must be a single value, was " + describe(value));
      } else if (parent && value instanceof Map<?, ?> m) {
        flatten(file, key + ".", m, out);
      } else {
        throw new IllegalArgumentException(
            "unknown key '"
                + key
                + "' in "
                + file
                + "; the keys are "
                + KEYS.stream().map(Key::file).toList());
      }
    }
  }

  private static String describe(Object value) {
    return value instanceof List<?>
        ? "a list"
        : value instanceof Map<?, ?> ? "a mapping" : String.valueOf(value);
  }
}
