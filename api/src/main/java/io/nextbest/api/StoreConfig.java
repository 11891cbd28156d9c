package io.nextbest.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where customer state (events, ledger, audit trail, learned propensities) and the rule-set
 * registry live, read from the environment at start-up.
 *
 * @param kind {@code NBA_STORE}: {@code embedded} (default; SQLite in the data directory, one
 *     process) or {@code redis} (shared by every API node pointed at the same server)
 * @param redisUrl {@code NBA_REDIS_URL}, used when {@code kind} is redis (default {@code
 *     redis://localhost:6379})
 * @param redisTimeout {@code NBA_REDIS_TIMEOUT_MS}: a Redis that does not answer within it counts
 *     as unavailable (decisions degrade, events get 503); default 500 ms
 */
public record StoreConfig(Kind kind, String redisUrl, Duration redisTimeout) {
  public static final String STORE = "NBA_STORE";
  public static final String REDIS_URL = "NBA_REDIS_URL";
  public static final String REDIS_TIMEOUT_MS = "NBA_REDIS_TIMEOUT_MS";

  /** The embedded store, nothing else to run. */
  public static final StoreConfig EMBEDDED =
      new StoreConfig(Kind.EMBEDDED, null, Duration.ofMillis(500));

  public enum Kind {
    EMBEDDED,
    REDIS
  }

  public StoreConfig {
    Objects.requireNonNull(kind, STORE);
    Objects.requireNonNull(redisTimeout, REDIS_TIMEOUT_MS);
    if (kind == Kind.REDIS && (redisUrl == null || redisUrl.isBlank())) {
      throw new IllegalArgumentException(REDIS_URL + " is required when " + STORE + "=redis");
    }
  }

  public static StoreConfig redis(String url) {
    return new StoreConfig(Kind.REDIS, url, Duration.ofMillis(500));
  }

  /**
   * @throws IllegalArgumentException naming the variable and the value it had
   */
  public static StoreConfig fromEnv(Map<String, String> env) {
    String kind = env.getOrDefault(STORE, "").strip();
    Kind k;
    if (kind.isEmpty() || kind.equalsIgnoreCase("embedded")) {
      k = Kind.EMBEDDED;
    } else if (kind.equalsIgnoreCase("redis")) {
      k = Kind.REDIS;
    } else {
      throw new IllegalArgumentException(STORE + " must be embedded or redis, was '" + kind + "'");
    }
    String url = env.getOrDefault(REDIS_URL, "").strip();
    String timeout = env.getOrDefault(REDIS_TIMEOUT_MS, "").strip();
    long ms;
    try {
      ms = timeout.isEmpty() ? 500 : Long.parseLong(timeout);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          REDIS_TIMEOUT_MS + " must be a whole number, was '" + timeout + "'");
    }
    if (ms < 10 || ms > 60_000) {
      throw new IllegalArgumentException(
          REDIS_TIMEOUT_MS + " must be between 10 and 60000, was " + ms);
    }
    return new StoreConfig(
        k, url.isEmpty() ? io.nextbest.engine.redis.Redis.DEFAULT_URL : url, Duration.ofMillis(ms));
  }

  /** For logs: the kind, and where Redis is (without credentials). */
  String describe() {
    if (kind == Kind.EMBEDDED) {
      return "embedded";
    }
    String shown = redisUrl.replaceAll("//[^@/]*@", "//***@");
    return kind.name().toLowerCase(Locale.ROOT) + " at " + shown;
  }
}
