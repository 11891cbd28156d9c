package io.nextbest.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the service runs, read from the environment once at start-up.
 *
 * @param httpPort {@code NBA_HTTP_PORT}, 0–65535 (default 8080)
 * @param dataDir {@code NBA_DATA_DIR}, created at start (default {@code nba-data} in the working directory)
 * @param maxBodyBytes {@code NBA_MAX_BODY_BYTES}, larger request bodies get 413 (default 262144)
 * @param eventLoops {@code NBA_EVENT_LOOPS}, event-loop threads and HTTP verticle instances (default: one per core)
 */
public record ApiConfig(int httpPort, Path dataDir, long maxBodyBytes, int eventLoops) {
  public static final String HTTP_PORT = "NBA_HTTP_PORT";
  public static final String DATA_DIR = "NBA_DATA_DIR";
  public static final String MAX_BODY_BYTES = "NBA_MAX_BODY_BYTES";
  public static final String EVENT_LOOPS = "NBA_EVENT_LOOPS";

  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_DATA_DIR = "nba-data";
  public static final long DEFAULT_MAX_BODY_BYTES = 262_144;

  public ApiConfig {
    requireRange(HTTP_PORT, httpPort, 0, 65_535);
    Objects.requireNonNull(dataDir, DATA_DIR);
    requireRange(MAX_BODY_BYTES, maxBodyBytes, 1, Integer.MAX_VALUE);
    requireRange(EVENT_LOOPS, eventLoops, 1, 1_024);
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
        (int) number(env, EVENT_LOOPS, Runtime.getRuntime().availableProcessors()));
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
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
