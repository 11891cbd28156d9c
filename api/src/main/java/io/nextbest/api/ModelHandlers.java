package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.InvalidContextException;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Every DMN model of a version as an endpoint, like Kogito's generated ones: list the models with
 * their inputs and types, evaluate one with JSON inputs and get every decision's result and the
 * messages. Numbers stay exact decimals both ways.
 */
final class ModelHandlers {
  private static final ObjectMapper JSON = DmnEvaluator.jsonMapper();

  private final RuleSetRegistry registry;

  ModelHandlers(RuleSetRegistry registry) {
    this.registry = registry;
  }

  void listActive(RoutingContext ctx) {
    send(ctx, 200, DmnEvaluator.models(registry.active()));
  }

  void listVersion(RoutingContext ctx) {
    send(ctx, 200, DmnEvaluator.models(registry.ruleSet(AnalystHandlers.version(registry, ctx.pathParam("version"), "version"))));
  }

  void evaluateActive(RoutingContext ctx) {
    evaluate(ctx, registry.active());
  }

  void evaluateVersion(RoutingContext ctx) {
    evaluate(ctx, registry.ruleSet(AnalystHandlers.version(registry, ctx.pathParam("version"), "version")));
  }

  private void evaluate(RoutingContext ctx, RuleSet ruleSet) {
    String model = ctx.pathParam("model");
    JsonNode inputs;
    try {
      Buffer body = ctx.body().buffer();
      inputs = body == null || body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new ProblemException(Problems.unreadable(e));
    }
    try {
      DmnEvaluator.Evaluation result = DmnEvaluator.evaluate(ruleSet, model, inputs);
      send(ctx, 200, result);
    } catch (InvalidContextException e) {
      throw new ProblemException(Problem.of(Problem.Kind.INVALID_INPUT, e.errors().size() + " input(s) cannot be read as their DMN type", e.errors()));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, e.getMessage()));
    }
  }

  private static void send(RoutingContext ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ApiVerticle.JSON).end(Buffer.buffer(bytes));
  }
}
