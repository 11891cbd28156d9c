package io.nextbest.api;

import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.experiments.ExperimentException;
import io.nextbest.engine.experiments.Experiments;
import io.vertx.ext.web.RoutingContext;

/**
 * Live experiments: start a champion/challenger, read its report, promote or stop it. Thin: parse,
 * call, encode.
 */
final class ExperimentHandlers {
  /** The request as sent: {@code challenger} is a version number or a label ({@code v3}). */
  record StartBody(
      String id,
      com.fasterxml.jackson.databind.JsonNode challenger,
      Double share,
      java.util.List<String> successEvents,
      Integer successWithinDays,
      Experiments.Without successWithout) {}

  private static final ObjectReader START = JsonBodies.reader(StartBody.class);

  private final Experiments experiments;

  ExperimentHandlers(Experiments experiments) {
    this.experiments = experiments;
  }

  void start(RoutingContext ctx) {
    StartBody b = JsonBodies.read(ctx, START, "experiment");
    Integer challenger =
        b.challenger() == null || b.challenger().isNull()
            ? null
            : b.challenger().isTextual()
                ? call(() -> experiments.sequenceOf(b.challenger().asText()))
                : Integer.valueOf(b.challenger().intValue());
    Experiments.Start s =
        new Experiments.Start(
            b.id(),
            challenger,
            b.share(),
            b.successEvents(),
            b.successWithinDays(),
            b.successWithout());
    ApiVerticle.send(
        ctx, 201, ApiVerticle.JSON, call(() -> experiments.start(s, Security.actor(ctx))));
  }

  void report(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        experiments
            .report(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(Problem.Kind.NOT_FOUND, "No experiment " + clip(id) + "."))));
  }

  void promote(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiVerticle.send(
        ctx, 200, ApiVerticle.JSON, call(() -> experiments.promote(id, Security.actor(ctx))));
  }

  void stop(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ApiVerticle.send(
        ctx, 200, ApiVerticle.JSON, call(() -> experiments.stop(id, Security.actor(ctx))));
  }

  private static <T> T call(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (ExperimentException e) {
      FieldError first = e.errors().isEmpty() ? null : e.errors().get(0);
      String detail =
          e.getMessage() + (first == null ? "" : ": " + first.field() + " " + first.message());
      Problem.Kind kind =
          switch (e.reason()) {
            case NOT_FOUND -> Problem.Kind.NOT_FOUND;
            case INVALID -> Problem.Kind.INVALID_INPUT;
            case CONFLICT -> Problem.Kind.CONFLICT;
          };
      throw new ProblemException(Problem.of(kind, detail, e.errors()));
    }
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
