package io.nextbest.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the service runs, read from the environment once at start-up.
 *
 * @param httpPort {@code NBA_HTTP_PORT}, 0–65535 (default 8080)
 * @param dataDir {@code NBA_DATA_DIR}, created at start (default {@code nba-data} in the working
 *     directory)
 * @param maxBodyBytes {@code NBA_MAX_BODY_BYTES}, larger request bodies get 413 (default 262144)
 * @param maxUploadBytes {@code NBA_MAX_UPLOAD_BYTES}, larger rule-set uploads get 413 (default 8
 *     MiB)
 * @param eventLoops {@code NBA_EVENT_LOOPS}, event-loop threads and HTTP verticle instances
 *     (default: one per core)
 * @param apiKeys {@code NBA_API_KEYS}, {@code key=role} pairs separated by commas; when empty the
 *     service creates one key per role in {@code <dataDir>/api-keys.properties} on first start
 * @param jwtSecret {@code NBA_JWT_SECRET}, the HS256 secret for bearer tokens (none: JWT disabled)
 * @param rulesDir {@code NBA_RULES_DIR}, a rule-set directory to watch in development mode: every
 *     save is registered as a version and activated if it passes the gate (none: off)
 * @param readTimeoutSeconds {@code NBA_READ_TIMEOUT_SECONDS}, how long a request's head and body
 *     may take to arrive, from the connection opening or the previous answer on it (default 30);
 *     idle connections close after it too
 * @param maxConnections {@code NBA_MAX_CONNECTIONS}, open connections the process holds at most
 *     (default 2048); beyond it the oldest connection still waiting for its request is closed
 * @param jwtMaxLifetimeSeconds {@code NBA_JWT_MAX_LIFETIME_SECONDS}, the longest a bearer token may
 *     live: tokens must carry {@code exp}, and one whose {@code exp} is further than this from its
 *     {@code iat} (or from now, without {@code iat}) is refused (default 3600)
 */
public record ApiConfig(
    int httpPort,
    Path dataDir,
    long maxBodyBytes,
    long maxUploadBytes,
    int eventLoops,
    Map<String, Role> apiKeys,
    String jwtSecret,
    Path rulesDir,
    int readTimeoutSeconds,
    int maxConnections,
    long jwtMaxLifetimeSeconds) {
  public static final String HTTP_PORT = "NBA_HTTP_PORT";
  public static final String DATA_DIR = "NBA_DATA_DIR";
  public static final String MAX_BODY_BYTES = "NBA_MAX_BODY_BYTES";
  public static final String EVENT_LOOPS = "NBA_EVENT_LOOPS";
  public static final String MAX_UPLOAD_BYTES = "NBA_MAX_UPLOAD_BYTES";
  public static final String API_KEYS = "NBA_API_KEYS";
  public static final String JWT_SECRET = "NBA_JWT_SECRET";
  public static final String RULES_DIR = "NBA_RULES_DIR";
  public static final String READ_TIMEOUT_SECONDS = "NBA_READ_TIMEOUT_SECONDS";
  public static final String MAX_CONNECTIONS = "NBA_MAX_CONNECTIONS";
  public static final String JWT_MAX_LIFETIME_SECONDS = "NBA_JWT_MAX_LIFETIME_SECONDS";

  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_DATA_DIR = "nba-data";
  public static final long DEFAULT_MAX_BODY_BYTES = 262_144;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 8L << 20;
  public static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_MAX_CONNECTIONS = 2048;
  public static final long DEFAULT_JWT_MAX_LIFETIME_SECONDS = 3600;

  public ApiConfig {
    requireRange(HTTP_PORT, httpPort, 0, 65_535);
    Objects.requireNonNull(dataDir, DATA_DIR);
    requireRange(MAX_BODY_BYTES, maxBodyBytes, 1, Integer.MAX_VALUE);
    requireRange(MAX_UPLOAD_BYTES, maxUploadBytes, 1, Integer.MAX_VALUE);
    requireRange(EVENT_LOOPS, eventLoops, 1, 1_024);
    requireRange(READ_TIMEOUT_SECONDS, readTimeoutSeconds, 1, 3_600);
    requireRange(MAX_CONNECTIONS, maxConnections, 16, 1_000_000);
    requireRange(JWT_MAX_LIFETIME_SECONDS, jwtMaxLifetimeSeconds, 60, 31_536_000);
    apiKeys = Map.copyOf(apiKeys == null ? Map.of() : apiKeys);
    for (String key : apiKeys.keySet()) {
      if (key.length() < 16) {
        throw new IllegalArgumentException(API_KEYS + ": every key needs at least 16 characters");
      }
    }
    if (jwtSecret != null && jwtSecret.length() < 32) {
      throw new IllegalArgumentException(JWT_SECRET + " needs at least 32 characters");
    }
  }

  /** A configuration with the default read timeout, connection limit and token lifetime. */
  public ApiConfig(
      int httpPort,
      Path dataDir,
      long maxBodyBytes,
      long maxUploadBytes,
      int eventLoops,
      Map<String, Role> apiKeys,
      String jwtSecret,
      Path rulesDir) {
    this(
        httpPort,
        dataDir,
        maxBodyBytes,
        maxUploadBytes,
        eventLoops,
        apiKeys,
        jwtSecret,
        rulesDir,
        DEFAULT_READ_TIMEOUT_SECONDS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_JWT_MAX_LIFETIME_SECONDS);
  }

  /** The same configuration with other API keys (the generated ones, on first start). */
  public ApiConfig withApiKeys(Map<String, Role> keys) {
    return new ApiConfig(
        httpPort,
        dataDir,
        maxBodyBytes,
        maxUploadBytes,
        eventLoops,
        keys,
        jwtSecret,
        rulesDir,
        readTimeoutSeconds,
        maxConnections,
        jwtMaxLifetimeSeconds);
  }

  /**
   * The same configuration with another read timeout and connection limit (tests of slow clients).
   */
  ApiConfig withConnections(int readTimeoutSeconds, int maxConnections) {
    return new ApiConfig(
        httpPort,
        dataDir,
        maxBodyBytes,
        maxUploadBytes,
        eventLoops,
        apiKeys,
        jwtSecret,
        rulesDir,
        readTimeoutSeconds,
        maxConnections,
        jwtMaxLifetimeSeconds);
  }

  /**
   * Reads the configuration from environment variables (pass {@code System.getenv()}); unset or
   * blank variables take their defaults.
   *
   * @throws IllegalArgumentException naming the variable and the value it had
   */
  public static ApiConfig fromEnv(Map<String, String> env) {
    return new ApiConfig(
        (int) number(env, HTTP_PORT, DEFAULT_HTTP_PORT),
        Path.of(text(env, DATA_DIR, DEFAULT_DATA_DIR)),
        number(env, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
        number(env, MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES),
        (int) number(env, EVENT_LOOPS, Runtime.getRuntime().availableProcessors()),
        keys(text(env, API_KEYS, "")),
        text(env, JWT_SECRET, null),
        text(env, RULES_DIR, null) == null ? null : Path.of(text(env, RULES_DIR, null)),
        (int) number(env, READ_TIMEOUT_SECONDS, DEFAULT_READ_TIMEOUT_SECONDS),
        (int) number(env, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
        number(env, JWT_MAX_LIFETIME_SECONDS, DEFAULT_JWT_MAX_LIFETIME_SECONDS));
  }

  /** Parses {@code key=role,key=role}. */
  static Map<String, Role> keys(String spec) {
    Map<String, Role> keys = new java.util.LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            API_KEYS + " must be key=role pairs separated by commas");
      }
      try {
        keys.put(pair.substring(0, eq).strip(), Role.parse(pair.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(API_KEYS + ": " + e.getMessage(), e);
      }
    }
    return keys;
  }

  private static String text(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = text(env, name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
