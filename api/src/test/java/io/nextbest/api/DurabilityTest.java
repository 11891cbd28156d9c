package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event acknowledged with 2xx is never lost: a real server process (Main, from the test
 * classpath) takes events, is killed with SIGKILL right after the last acknowledgement, and comes
 * back on the same data directory with every acknowledged event in place. The same with the Redis
 * store, Redis killed with SIGKILL too (it runs with {@code appendfsync always}, the configuration
 * docs/reliability.md asks for). Figures in docs/reliability.md, "Durability and hot swap".
 */
class DurabilityTest {
  static final String KEY = "durability-agent-key-0123456789";
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void acknowledgedEvents_surviveSigkill() throws Exception {
    assertThat(acknowledgedAndLost(Map.of(), null)).isEqualTo(new int[] {1000, 0});
  }

  @Test
  void acknowledgedEvents_surviveSigkill_ofTheNodeAndOfRedis() throws Exception {
    Path redisDir = dir.resolve("redis");
    RedisServer[] redis = {RedisServer.startDurable(redisDir, RedisServer.freePort())};
    int redisPort = redis[0].port();
    try {
      Runnable killAndRestartRedis =
          () -> {
            redis[0].close();
            redis[0] = RedisServer.startDurable(redisDir, redisPort);
          };
      assertThat(
              acknowledgedAndLost(
                  Map.of("NBA_STORE", "redis", "NBA_REDIS_URL", redis[0].url()),
                  killAndRestartRedis))
          .isEqualTo(new int[] {1000, 0});
    } finally {
      redis[0].close();
    }
  }

  /**
   * Sends 20 batches of 50 events, kills the node (and, when given, the store) with SIGKILL with
   * one more batch in flight, starts again and resends every acknowledged batch.
   *
   * @return events acknowledged, and acknowledged events the restarted node did not have
   */
  private int[] acknowledgedAndLost(Map<String, String> env, Runnable killStore) throws Exception {
    Path data = dir.resolve("data");
    int port = RedisServer.freePort();
    Process server = start(data, port, dir.resolve("first.log"), env);
    List<String> acknowledged = new ArrayList<>();
    List<String> batches = new ArrayList<>();
    try {
      awaitHealthy(server, port, dir.resolve("first.log"));
      Instant at = Instant.now().minusSeconds(3600);
      for (int b = 0; b < 20; b++) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
          String id = "ev-" + b + "-" + i;
          batch
              .append(i == 0 ? "" : ",")
              .append("{\"type\":\"SURVEY_ANSWERED\",\"id\":\"")
              .append(id)
              .append("\",\"customerId\":\"k-")
              .append(i % 5)
              .append("\",\"at\":\"")
              .append(at.plusSeconds(b * 50L + i))
              .append("\",\"survey\":\"CSAT\",\"value\":")
              .append(1 + i % 5)
              .append('}');
        }
        batch.append(']');
        HttpResponse<String> r = post(port, "/v1/events", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        batches.add(batch.toString());
        for (int i = 0; i < 50; i++) {
          acknowledged.add("ev-" + b + "-" + i);
        }
      }
      // One more batch in flight when the kill comes: it may or may not land, it was never
      // acknowledged.
      CompletableFuture<?> inFlight =
          HTTP.sendAsync(
              request(port, "/v1/events", batches.get(0).replace("ev-0-", "late-")),
              HttpResponse.BodyHandlers.discarding());
      server.destroyForcibly();
      server.waitFor();
      if (killStore != null) {
        killStore.run();
      }
      inFlight.handle((r, e) -> null).join();
    } finally {
      server.destroyForcibly();
    }

    int again = RedisServer.freePort();
    Process restarted = start(data, again, dir.resolve("second.log"), env);
    try {
      awaitHealthy(restarted, again, dir.resolve("second.log"));
      int duplicates = 0;
      for (String batch : batches) {
        HttpResponse<String> r = post(again, "/v1/events", batch);
        assertThat(r.statusCode()).isEqualTo(200);
        duplicates += io.nextbest.engine.Json.mapper().readTree(r.body()).get("duplicates").asInt();
      }
      int lost = acknowledged.size() - duplicates;
      assertThat(lost).as("acknowledged events the restarted node did not have").isZero();
      int stored = 0;
      for (int c = 0; c < 5; c++) {
        HttpResponse<String> p = get(again, "/v1/customers/k-" + c + "/profile");
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        stored += io.nextbest.engine.Json.mapper().readTree(p.body()).get("storedEvents").asInt();
      }
      assertThat(stored).isGreaterThanOrEqualTo(acknowledged.size());
      System.out.printf(
          "kill -9 (%s): %d events acknowledged, %d lost%n",
          env.getOrDefault("NBA_STORE", "embedded"), acknowledged.size(), lost);
      return new int[] {acknowledged.size(), lost};
    } finally {
      restarted.destroyForcibly();
      restarted.waitFor();
    }
  }

  static Process start(Path data, int port, Path log) throws IOException {
    return start(data, port, log, Map.of());
  }

  static Process start(Path data, int port, Path log, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", cp, "io.nextbest.api.Main");
    pb.environment().put("NBA_DATA_DIR", data.toString());
    pb.environment().put("NBA_HTTP_PORT", Integer.toString(port));
    pb.environment().put("NBA_API_KEYS", KEY + "=agent");
    pb.environment().put("NBA_EVENT_LOOPS", "1");
    // Durability, not warming, is tested here.
    pb.environment().put(WarmUpConfig.DECISIONS, "0");
    pb.environment().remove("NBA_STORE");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  static void awaitHealthy(Process p, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "the server exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (get(port, "/health").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server did not become healthy:\n" + Files.readString(log));
  }

  static HttpRequest request(int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .header(Security.API_KEY_HEADER, KEY)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(request(port, path, body), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header(Security.API_KEY_HEADER, KEY)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
