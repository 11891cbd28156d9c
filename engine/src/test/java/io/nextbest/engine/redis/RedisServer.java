package io.nextbest.engine.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real {@code redis-server} (the Debian package of that name) on a free port in a temp directory,
 * started by the test itself. Where it is not installed the test fails under CI ({@code CI=true})
 * and is skipped elsewhere by an explicit assumption.
 */
public final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static RedisServer start() {
    String binary = find();
    if (binary == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(
            "redis-server is not installed; CI must install the Debian package redis-server");
      }
      assumeTrue(
          false,
          "redis-server is not installed (apt-get install redis-server); Redis tests skipped outside CI");
    }
    return start(binary, freePort());
  }

  /**
   * A server that appends every write to its log in {@code dir} and fsyncs it before answering
   * ({@code appendfsync always}): what makes a write Redis acknowledged survive Redis being killed.
   * Starting one again on the same directory (and port) reads the log back.
   */
  public static RedisServer startDurable(Path dir, int port) {
    String binary = find();
    if (binary == null) {
      start();
    }
    return start(binary, port, dir, "--appendonly", "yes", "--appendfsync", "always");
  }

  private static RedisServer start(String binary, int port) {
    try {
      return start(binary, port, Files.createTempDirectory("nba-redis"), "--appendonly", "no");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RedisServer start(String binary, int port, Path dir, String... persistence) {
    try {
      Files.createDirectories(dir);
      java.util.List<String> command =
          new java.util.ArrayList<>(
              java.util.List.of(
                  binary,
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--dir",
                  dir.toString()));
      command.addAll(java.util.List.of(persistence));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      RedisServer server = new RedisServer(p, port);
      server.awaitListening(Duration.ofSeconds(10));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a new server on the same port (after {@link #close()}), empty. */
  public RedisServer restart() {
    close();
    return start(find(), port);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException(
        "redis-server did not listen on " + port + " within " + timeout);
  }

  private static String find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    for (String f :
        new String[] {
          "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"
        }) {
      if (new File(f).canExecute()) {
        return f;
      }
    }
    return null;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
