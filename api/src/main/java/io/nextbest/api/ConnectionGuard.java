package io.nextbest.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps slow and idle clients from holding the server. A request's head and body must arrive within
 * the read timeout of the connection opening (or of the previous answer on it); a connection that
 * misses it is closed, with a 408 when its request head had arrived. The process holds at most
 * {@code maxConnections}: a connection beyond that evicts the oldest one still waiting for its
 * request, so a flood of slow clients cannot lock out new ones (health probes included), and is
 * itself refused only when every connection is busy with a request. One guard per HTTP verticle,
 * touched only on its event loop; the count is shared by every verticle of the process.
 */
final class ConnectionGuard {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ConnectionGuard.class);

  private static final byte[] TIMEOUT =
      "{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,\"detail\":\"The request did not arrive in time.\",\"errors\":[]}"
          .getBytes(StandardCharsets.UTF_8);

  private final Vertx vertx;
  private final AtomicInteger open;
  private final int maxConnections;
  private final long readTimeoutMillis;

  /** This verticle's connections in the order they started waiting for a request. */
  private final Map<HttpConnection, State> waiting = new LinkedHashMap<>();

  private final Map<HttpConnection, State> all = new java.util.HashMap<>();

  private static final class State {
    long timer = -1;
    HttpServerRequest request;

    /**
     * What to do once nothing more of the current request can arrive: its next request, or the
     * close.
     */
    final java.util.List<Runnable> afterRequest = new java.util.ArrayList<>();

    void runAfterRequest() {
      java.util.List<Runnable> due = new java.util.ArrayList<>(afterRequest);
      afterRequest.clear();
      due.forEach(Runnable::run);
    }
  }

  /**
   * Runs {@code action} when nothing more of {@code request} can arrive: when the next request on
   * its connection starts, or when the connection closes (now, if it already has).
   */
  void afterRequest(HttpServerRequest request, Runnable action) {
    State state = all.get(request.connection());
    if (state == null) {
      action.run();
    } else {
      state.afterRequest.add(action);
    }
  }

  ConnectionGuard(Vertx vertx, AtomicInteger open, int maxConnections, long readTimeoutMillis) {
    this.vertx = vertx;
    this.open = open;
    this.maxConnections = maxConnections;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  /** For {@code HttpServer.connectionHandler}. */
  void opened(HttpConnection connection) {
    LOG.debug("connection from {}, {} open", connection.remoteAddress(), open.get() + 1);
    State state = new State();
    all.put(connection, state);
    connection.closeHandler(v -> closed(connection));
    if (open.incrementAndGet() > maxConnections && !evictOldestWaiting()) {
      connection.close();
      return;
    }
    wait(connection, state);
  }

  /** Wraps the router: marks the connection busy while its request is handled. */
  Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      State state = all.get(request.connection());
      if (state != null) {
        waiting.remove(request.connection());
        state.runAfterRequest();
        state.request = request;
      }
      next.handle(request);
    };
  }

  /** The answer to {@code request} has ended: the connection waits for its next request. */
  void answered(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    State state = all.get(connection);
    if (state != null && state.request == request) {
      state.request = null;
      wait(connection, state);
    }
  }

  private void wait(HttpConnection connection, State state) {
    cancel(state);
    waiting.put(connection, state);
    state.timer = vertx.setTimer(readTimeoutMillis, id -> expired(connection, state));
  }

  private void expired(HttpConnection connection, State state) {
    state.timer = -1;
    LOG.debug(
        "read timeout on {} (request {})",
        connection.remoteAddress(),
        state.request == null ? "not arrived" : "unfinished");
    HttpServerRequest request = state.request;
    if (request == null) {
      // No request head in time (or an idle keep-alive connection): nothing to answer.
      connection.close();
    } else if (!request.isEnded() && !request.response().headWritten()) {
      // The head came but the body did not: say so, then hang up.
      request
          .response()
          .setStatusCode(408)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .putHeader("Connection", "close")
          .end(io.vertx.core.buffer.Buffer.buffer(TIMEOUT))
          .onComplete(v -> connection.close());
    }
    // A request read whole is being handled: its answer restarts the clock.
  }

  private boolean evictOldestWaiting() {
    Iterator<Map.Entry<HttpConnection, State>> it = waiting.entrySet().iterator();
    if (!it.hasNext()) {
      return false;
    }
    Map.Entry<HttpConnection, State> oldest = it.next();
    it.remove();
    cancel(oldest.getValue());
    oldest.getKey().close();
    return true;
  }

  private void closed(HttpConnection connection) {
    State state = all.remove(connection);
    if (state != null) {
      waiting.remove(connection);
      cancel(state);
      open.decrementAndGet();
      state.runAfterRequest();
    }
  }

  private void cancel(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
