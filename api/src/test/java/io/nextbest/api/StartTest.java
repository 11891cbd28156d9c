package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person starting the service sees: the real {@link Main} in a process of its own, with the
 * production logging set-up, as {@code java -jar nba-api.jar} runs it.
 */
class StartTest {
  @TempDir Path dir;

  record Run(int exit, List<String> out, List<String> err) {
    String all() {
      return String.join("\n", out) + "\n" + String.join("\n", err);
    }
  }

  ProcessBuilder service(Map<String, String> env, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    // The jar's own logging set-up, not the tests' logback-test.xml that is on the same class path.
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("NBA_"));
    pb.environment().put(ApiConfig.DATA_DIR, dir.resolve("data").toString());
    pb.environment().put("NBA_LOG_FORMAT", "json");
    // Starts as before warming existed (WarmUpTest tests warming).
    pb.environment().put(WarmUpConfig.DECISIONS, "0");
    pb.environment().putAll(env);
    return pb;
  }

  Run run(Map<String, String> env, String... args) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = service(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<JsonObject> logLines(List<String> out) {
    return out.stream().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
  }

  @Test
  void versionAndHelp_printAndExitZero() throws Exception {
    Run version = run(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out().get(0)).startsWith("NextBest API ");

    Run help = run(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.all())
        .contains(
            "Usage: nba-api", "--config=<file>", "--version", "NBA_HTTP_PORT", "NBA_LOG_FORMAT");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
  }

  @Test
  void unknownArgument_isAUsageErrorNamingIt() throws Exception {
    Run r = run(Map.of(), "--port", "1");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.all()).contains("Unknown option", "'--port'", "Usage: nba-api");
  }

  @Test
  void portInUse_oneLineNamingThePortAndTheSetting_beforeAnythingCompiles() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();

      Run r = run(Map.of(ApiConfig.HTTP_PORT, String.valueOf(port)));

      assertThat(r.exit()).isEqualTo(2);
      List<JsonObject> errors =
          logLines(r.out()).stream().filter(l -> l.getString("level").equals("ERROR")).toList();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).getString("message"))
          .contains("port " + port + " is already in use", "NBA_HTTP_PORT", "http.port");
      assertThat(errors.get(0).containsKey("stack_trace")).isFalse();
      assertThat(r.all()).doesNotContain("rule set").doesNotContain("\tat ");
    }
  }

  @Test
  void dataDirInUse_refusesNamingTheProcessHoldingIt() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    try (DataDirLock held = DataDirLock.acquire(data)) {
      Run r = run(Map.of(ApiConfig.HTTP_PORT, String.valueOf(freePort())));

      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.all())
          .contains(
              "the data directory "
                  + data.toAbsolutePath()
                  + " is in use by process "
                  + ProcessHandle.current().pid(),
              "NBA_DATA_DIR");
      assertThat(Files.exists(data.resolve(ApiKeysFile.NAME))).as("nothing opened").isFalse();
    }
  }

  @Test
  void cleanStart_andFirstRequests_logNoWarning_andTheReadyLineSaysWhereEverythingIs()
      throws Exception {
    int port = freePort();
    Path out = dir.resolve("start.txt");
    Process p =
        service(Map.of(ApiConfig.HTTP_PORT, String.valueOf(port)))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      JsonObject ready = null;
      for (int i = 0; i < 240 && ready == null && p.isAlive(); i++) {
        Thread.sleep(500);
        ready =
            logLines(Files.readAllLines(out)).stream()
                .filter(l -> l.getString("message").contains(" ready in "))
                .findFirst()
                .orElse(null);
      }
      assertThat(ready).as(Files.readString(out)).isNotNull();
      String base = "http://localhost:" + port;
      assertThat(ready.getString("message"))
          .startsWith("NextBest API ")
          .contains(
              "on port " + port,
              "desk " + base + "/desk/",
              "contract " + base + "/openapi.json",
              "API keys in " + dir.resolve("data").resolve(ApiKeysFile.NAME).toAbsolutePath());

      // The first requests on both event loops (each has its own HTTP server) and a scrape.
      String key =
          Files.readAllLines(dir.resolve("data").resolve(ApiKeysFile.NAME)).stream()
              .filter(l -> l.startsWith("agent="))
              .findFirst()
              .orElseThrow()
              .substring(6);
      for (int i = 0; i < 4; i++) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> decision =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/decisions"))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-1\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(decision.statusCode()).isEqualTo(200);
      }
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    List<JsonObject> lines = logLines(Files.readAllLines(out));
    assertThat(lines).extracting(l -> l.getString("message")).contains("stopped");
    // Vert.x's blocked-thread checker speaks about the machine's load (a loop not scheduled for 2
    // s), not about the start.
    assertThat(
            lines.stream()
                .filter(l -> !l.getString("level").equals("INFO"))
                .map(l -> l.getString("level") + " " + l.getString("message"))
                .filter(l -> !l.contains(" has been blocked for ")))
        .as("every line that is not INFO")
        .isEmpty();
    assertThat(Files.readAllLines(out).stream().filter(l -> !l.startsWith("{")))
        .as("nothing but JSON lines")
        .isEmpty();
  }
}
