package io.nextbest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HTTP front of the engine; one instance per event loop, all sharing one engine. Decisions run
 * on the event loop: they take tens of microseconds of CPU and never block.
 */
final class ApiVerticle extends VerticleBase {
  static final String JSON = "application/json";

  // Trailing content is checked by hand, to tell it apart from a body that is not an object.
  private static final ObjectReader CONTEXT =
      Json.mapper().readerFor(CustomerContext.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectWriter WRITER = Json.mapper().writer();

  private final DecisionEngine engine;
  private final ApiConfig config;

  ApiVerticle(DecisionEngine engine, ApiConfig config) {
    this.engine = engine;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router
        .post("/v1/decisions")
        .consumes(JSON)
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(this::decide);
    router.get("/health").handler(this::health);

    ProblemHandler problems = new ProblemHandler(router, config.maxBodyBytes());
    router.route().failureHandler(problems);
    // Requests no route matched never reach a failure handler; the router hands them here instead.
    router.errorHandler(404, problems).errorHandler(405, problems).errorHandler(415, problems);

    return vertx
        .createHttpServer(new HttpServerOptions().setPort(config.httpPort()))
        .requestHandler(router)
        .listen();
  }

  private void decide(RoutingContext ctx) {
    CustomerContext context = read(ctx.body().buffer());
    Decision decision = engine.decide(context);
    send(ctx, 200, JSON, decision);
  }

  private void health(RoutingContext ctx) {
    RuleSet ruleSet = engine.ruleSet();
    send(ctx, 200, JSON, new Health("UP", ruleSet.version(), ruleSet.ruleCount()));
  }

  private static CustomerContext read(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new ProblemException(Problems.emptyBody());
    }
    // The parser stays open until the failure is mapped: it still knows which token was wrong.
    try (JsonParser parser = CONTEXT.createParser(body.getBytes())) {
      try {
        if (parser.nextToken() == null) {
          throw new ProblemException(Problems.emptyBody());
        }
        CustomerContext context = CONTEXT.readValue(parser);
        if (context == null) {
          throw new ProblemException(Problems.notAnObject("null"));
        }
        if (parser.nextToken() != null) {
          throw new ProblemException(Problems.trailingContent(parser.currentTokenLocation()));
        }
        return context;
      } catch (IOException e) {
        throw new ProblemException(Problems.unreadable(e));
      }
    } catch (IOException e) {
      // Closing an in-memory parser does not fail in practice.
      throw new UncheckedIOException(e);
    }
  }

  static void send(RoutingContext ctx, int status, String contentType, Object body) {
    byte[] bytes;
    try {
      bytes = WRITER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Our records failed to encode: a bug, not the client's doing.
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(Buffer.buffer(bytes));
  }

  /** What {@code GET /health} answers. */
  record Health(String status, String ruleSetVersion, int rules) {}
}
