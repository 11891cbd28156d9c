package io.nextbest.engine.redis;

import io.nextbest.engine.store.StoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A pooled connection to one Redis server, shared by the stores that keep the state of several API
 * nodes there. Every failure to reach or use Redis surfaces as a {@link StoreException}, so callers
 * answer 503 (events) or degrade (decisions) rather than lose or invent data. Timeouts are short: a
 * Redis that does not answer within {@code timeout} counts as unreachable.
 */
public final class Redis implements AutoCloseable {
  /** The connection URL when none is configured. */
  public static final String DEFAULT_URL = "redis://localhost:6379";

  private final JedisPooled jedis;
  private final String url;
  private final Map<String, String> shas = new ConcurrentHashMap<>();

  private Redis(JedisPooled jedis, String url) {
    this.jedis = jedis;
    this.url = url;
  }

  /**
   * Connects lazily to {@code url} ({@code redis://[user:password@]host:port[/db]}).
   *
   * @throws IllegalArgumentException when the URL is not one
   */
  public static Redis connect(String url, Duration timeout) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Redis URL: '" + url + "'", e);
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "a Redis URL looks like redis://host:6379, was '" + url + "'");
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setMinIdle(0);
    // A pool exhausted for longer than the timeout is as good as unreachable.
    pool.setMaxWait(timeout);
    pool.setJmxEnabled(false);
    int ms = (int) timeout.toMillis();
    return new Redis(
        new JedisPooled(pool, uri, ms, ms),
        uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()));
  }

  /** Runs commands, turning every Redis failure into a {@link StoreException}. */
  public <T> T call(Function<JedisPooled, T> work) {
    try {
      return work.apply(jedis);
    } catch (JedisException e) {
      throw new StoreException("Redis at " + url + " is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a Lua script by its SHA, loading it first (and again after a Redis restart emptied the
   * script cache).
   */
  public Object eval(String script, List<String> keys, List<String> args) {
    return call(
        j -> {
          try {
            return j.evalsha(sha(j, script, false), keys, args);
          } catch (JedisNoScriptException e) {
            return j.evalsha(sha(j, script, true), keys, args);
          }
        });
  }

  /** The SHA of {@code script}, loaded on this server (reloaded when {@code reload}). */
  String sha(JedisPooled j, String script, boolean reload) {
    if (reload) {
      shas.remove(script);
    }
    return shas.computeIfAbsent(script, s -> j.scriptLoad(s));
  }

  /** Whether Redis answers a PING now. */
  public boolean ping() {
    try {
      return "PONG".equals(jedis.ping());
    } catch (JedisException e) {
      return false;
    }
  }

  /** Where it connects, without credentials (for logs and health). */
  public String address() {
    return url;
  }

  @Override
  public void close() {
    jedis.close();
  }
}
