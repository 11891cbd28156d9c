package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.vertx.ext.web.RoutingContext;

/**
 * The analysts' workbench over the registry: which rows the scenarios cover, and what a candidate
 * would decide for one customer next to the active version. Thin: parse, call, encode.
 */
final class WorkbenchHandlers {
  private static final ObjectReader CONTEXT = JsonBodies.reader(CustomerContext.class);

  private final RuleSetRegistry registry;
  private final CustomerService customers;

  WorkbenchHandlers(RuleSetRegistry registry, CustomerService customers) {
    this.registry = registry;
    this.customers = customers;
  }

  void coverage(RoutingContext ctx) {
    int v = AnalystHandlers.version(registry, ctx.pathParam("version"), "version");
    try {
      ApiVerticle.send(ctx, 200, ApiVerticle.JSON, registry.coverage(v));
    } catch (RuleSetException e) {
      throw notCompiling(v, e);
    }
  }

  /**
   * A customer id alone (the stored profile), an id with the live interaction, or a whole context,
   * as {@code POST /v1/decisions} takes it; nothing is audited or learned.
   */
  void preview(RoutingContext ctx) {
    int v = AnalystHandlers.version(registry, ctx.pathParam("version"), "version");
    JsonNode body = JsonBodies.tree(ctx, "a customer context");
    CustomerContext request = JsonBodies.bind(body, CONTEXT, "a customer context");
    CustomerContext resolved =
        customers.resolve(request, CustomerHandlers.profileFields(body)).context();
    try {
      ApiVerticle.send(ctx, 200, ApiVerticle.JSON, registry.preview(v, resolved));
    } catch (RuleSetException e) {
      throw notCompiling(v, e);
    }
  }

  /** The request as sent (the window's bounds as ISO-8601 instants). */
  record OfflineBody(
      java.time.Instant from,
      java.time.Instant to,
      Integer limit,
      Boolean feedback,
      java.util.List<String> successEvents,
      Integer successWithinDays) {}

  private static final ObjectReader OFFLINE = JsonBodies.reader(OfflineBody.class);

  /**
   * What the version would have earned on the audit trail's decisions of a window (inverse
   * propensity scoring); nothing is audited as a decision or learned.
   */
  void offlineEvaluation(RoutingContext ctx) {
    int v = AnalystHandlers.version(registry, ctx.pathParam("version"), "version");
    OfflineBody b = JsonBodies.read(ctx, OFFLINE, "an offline evaluation");
    io.nextbest.engine.RuleSet candidate;
    try {
      candidate = registry.ruleSet(v);
    } catch (RuleSetException e) {
      throw notCompiling(v, e);
    }
    try {
      ApiVerticle.send(
          ctx,
          200,
          ApiVerticle.JSON,
          customers.offlineEvaluation(
              new io.nextbest.engine.customers.OfflineEvaluation.Request(
                  b.from(),
                  b.to(),
                  b.limit(),
                  b.feedback(),
                  b.successEvents(),
                  b.successWithinDays()),
              candidate));
    } catch (io.nextbest.engine.customers.OfflineEvaluation.Invalid e) {
      throw new ProblemException(
          Problem.of(Problem.Kind.INVALID_INPUT, "invalid offline evaluation", e.errors()));
    }
  }

  /**
   * A version that does not compile has no decisions to show: 409 with its errors, as the gate
   * answers.
   */
  static ProblemException notCompiling(int v, RuleSetException e) {
    return new ProblemException(
        Problem.of(
            Problem.Kind.GATE_FAILED,
            "version " + v + " does not compile: " + e.getMessage(),
            ModelHandlers.errors(e.messages())));
  }
}
