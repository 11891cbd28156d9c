package io.nextbest.api;

import io.nextbest.engine.FieldError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The one failure handler: every error leaves as {@code application/problem+json}. */
final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  /** Sent if even the problem cannot be encoded. */
  private static final Buffer LAST_RESORT =
      Buffer.buffer(
          "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,\"errors\":[]}"
              .getBytes(StandardCharsets.UTF_8));

  /**
   * The routing-context key of the body limit of the route the request is on (bodies differ:
   * decisions, uploads).
   */
  static final String BODY_LIMIT = "nba.bodyLimit";

  private final Router router;
  private final long maxBodyBytes;
  private final ServiceMetrics metrics;
  private final String challenge;

  /**
   * @param challenge the {@code WWW-Authenticate} value of a 401
   */
  ProblemHandler(Router router, long maxBodyBytes, ServiceMetrics metrics, String challenge) {
    this.router = router;
    this.maxBodyBytes = maxBodyBytes;
    this.metrics = metrics;
    this.challenge = challenge;
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Failures of blocking handlers arrive here on the event loop: the decision id comes along in
    // the context.
    String decisionId = ctx.get(CustomerHandlers.DECISION_ID);
    if (decisionId != null) {
      MDC.put(CustomerHandlers.DECISION_ID, decisionId);
    }
    try {
      HttpServerResponse response = ctx.response();
      if (response.ended() || response.closed()) {
        // Already answered (a body handler failing each part after the 400), or the client hung up:
        // nobody is told, so nothing is counted and nothing is ours to log as an error.
        LOG.debug(
            "{} {} failed after its answer or after the client left: {}",
            ctx.request().method(),
            ctx.request().path(),
            String.valueOf(ctx.failure()));
        return;
      }
      handle(ctx, mapped(ctx));
    } finally {
      if (decisionId != null) {
        MDC.remove(CustomerHandlers.DECISION_ID);
      }
    }
  }

  private void handle(RoutingContext ctx, Problem problem) {
    metrics.problem(problem);
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Part of a response is already out; all that is left is to break the connection.
      response.reset();
      return;
    }
    if (!ctx.request().isEnded() && (problem.status() == 401 || problem.status() == 403)) {
      // Refused before the body was read: the rest of it is not worth reading from a caller
      // without the right credentials, and the connection cannot carry another request before it
      // is.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(v -> ctx.request().connection().close());
    }
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", challenge);
    } else if (problem.status() == 405) {
      response.putHeader(HttpHeaders.ALLOW, allowed(ctx.normalizedPath()));
    } else if (problem.status() == 415) {
      response.putHeader("Accept-Post", ApiVerticle.JSON);
    }
    try {
      ApiVerticle.send(ctx, problem.status(), Problem.MEDIA_TYPE, problem);
    } catch (RuntimeException e) {
      LOG.error("cannot encode {}", problem, e);
      response
          .setStatusCode(500)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
          .end(LAST_RESORT);
    }
  }

  /**
   * The problem for the failure, logged: with its stack trace when it is ours (5xx), briefly at
   * debug when it is the client's.
   */
  private Problem mapped(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Problem problem;
    try {
      problem = problem(ctx);
    } catch (RuntimeException e) {
      if (ctx.failure() != null) {
        e.addSuppressed(ctx.failure());
      }
      LOG.error(
          "cannot map the failure of {} {} (status {})",
          request.method(),
          request.path(),
          ctx.statusCode(),
          e);
      return Problems.fromStatus(500);
    }
    if (problem.status() >= 500) {
      LOG.error(
          "{} {} failed (status {})",
          request.method(),
          request.path(),
          ctx.statusCode(),
          ctx.failure());
    } else if (LOG.isDebugEnabled()) {
      // The detail may quote what the client sent (profile values): name the fields only.
      LOG.debug(
          "{} {} -> {} {} {}",
          request.method(),
          request.path(),
          problem.status(),
          problem.type(),
          problem.errors().stream().map(FieldError::field).toList());
    }
    return problem;
  }

  private Problem problem(RoutingContext ctx) {
    if (ctx.failure() != null) {
      return Problems.from(ctx.failure(), ctx.statusCode());
    }
    HttpServerRequest request = ctx.request();
    return switch (ctx.statusCode()) {
      case 404 -> Problems.notFound(request.path());
      case 405 ->
          Problems.methodNotAllowed(
              request.method().name(), request.path(), allowed(ctx.normalizedPath()));
      case 413 ->
          ctx.get(BODY_LIMIT) instanceof Long limit
              ? Problems.payloadTooLarge(limit)
              : Problems.payloadTooLarge(maxBodyBytes);
      case 415 -> Problems.unsupportedMediaType(request.getHeader(HttpHeaders.CONTENT_TYPE));
      default -> Problems.fromStatus(ctx.statusCode());
    };
  }

  /** The methods the routes for {@code path} accept, for the Allow header of a 405. */
  private String allowed(String path) {
    return router.getRoutes().stream()
        .filter(r -> Objects.equals(r.getPath(), path) && r.methods() != null)
        .map(Route::methods)
        .flatMap(java.util.Set::stream)
        .map(HttpMethod::name)
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .collect(Collectors.joining(", "));
  }
}
