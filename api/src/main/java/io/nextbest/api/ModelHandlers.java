package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.InvalidContextException;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.StandaloneModel;
import io.nextbest.engine.library.ModelLibrary;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every DMN model as an endpoint, like Kogito's generated ones: list the models with their inputs
 * and types, evaluate one with JSON inputs (one object, or an array of them evaluated each on its
 * own) and get every decision's result, the messages and the rows each table matched. Numbers stay
 * exact decimals both ways. Models come from a rule-set version or from the model library, which
 * also answers Kogito's own routes ({@code POST /models/{name}} and {@code .../dmnresult}).
 */
final class ModelHandlers {
  private static final ObjectMapper JSON = DmnEvaluator.jsonMapper();

  private final RuleSetRegistry registry;
  private final ModelLibrary library;

  ModelHandlers(RuleSetRegistry registry, ModelLibrary library) {
    this.registry = registry;
    this.library = library;
  }

  /**
   * A batch's answer: one item per input context, in order.
   *
   * @param evaluated how many were evaluated (their decisions may still have failed: see each
   *     status)
   * @param rejected how many had inputs that cannot be read as their DMN types
   */
  record Batch(String model, int evaluated, int rejected, List<BatchItem> results) {}

  /** One context of a batch: its evaluation, or the inputs that cannot be read. */
  record BatchItem(
      int index, String status, DmnEvaluator.Evaluation evaluation, List<FieldError> errors) {}

  /** A library model as uploaded, with what validation found. */
  record LibraryModel(ModelLibrary.ModelVersion version, DmnEvaluator.ModelInfo model) {}

  /** A library model's versions, its inputs and decisions, its tables and its generated schemas. */
  record LibraryDetail(
      String name,
      List<ModelLibrary.ModelVersion> versions,
      DmnEvaluator.ModelInfo model,
      List<DmnEvaluator.TableInfo> tables,
      JsonNode inputSchema,
      JsonNode resultSchema) {}

  /** Kogito's DMN result, as its {@code /dmnresult} endpoints answer it. */
  record KogitoResult(
      String namespace,
      String modelName,
      JsonNode dmnContext,
      List<KogitoMessage> messages,
      List<KogitoDecision> decisionResults) {}

  record KogitoDecision(
      String decisionId,
      String decisionName,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
          JsonNode result,
      List<KogitoMessage> messages,
      String evaluationStatus) {}

  record KogitoMessage(String severity, String message, String messageType, String sourceId) {}

  void listActive(RoutingContext ctx) {
    send(ctx, 200, DmnEvaluator.models(registry.active()));
  }

  void listVersion(RoutingContext ctx) {
    send(
        ctx,
        200,
        DmnEvaluator.models(
            registry.ruleSet(
                AnalystHandlers.version(registry, ctx.pathParam("version"), "version"))));
  }

  void evaluateActive(RoutingContext ctx) {
    evaluate(ctx, registry.active());
  }

  void evaluateVersion(RoutingContext ctx) {
    evaluate(
        ctx,
        registry.ruleSet(AnalystHandlers.version(registry, ctx.pathParam("version"), "version")));
  }

  private void evaluate(RoutingContext ctx, RuleSet ruleSet) {
    String model = ctx.pathParam("model");
    try {
      answer(ctx, model, inputs -> DmnEvaluator.evaluate(ruleSet, model, inputs));
    } catch (IllegalArgumentException e) {
      // the version has no such model: the message lists those it has
      throw new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, e.getMessage()));
    }
  }

  /**
   * One object: its evaluation, or 422 naming the inputs; an array: a {@link Batch}, one item per
   * context.
   */
  private static void answer(
      RoutingContext ctx, String model, Function<JsonNode, DmnEvaluator.Evaluation> evaluator) {
    JsonNode body = body(ctx);
    if (!body.isArray()) {
      send(ctx, 200, evaluateOne(evaluator, body));
      return;
    }
    List<BatchItem> items = new ArrayList<>(body.size());
    int rejected = 0;
    for (int i = 0; i < body.size(); i++) {
      try {
        items.add(new BatchItem(i, "EVALUATED", evaluator.apply(body.get(i)), null));
      } catch (InvalidContextException e) {
        rejected++;
        String at = "[" + i + "]";
        List<FieldError> errors =
            e.errors().stream()
                .map(
                    f ->
                        new FieldError(
                            at
                                + (f.field().startsWith("$")
                                    ? f.field().substring(1)
                                    : "." + f.field()),
                            f.message()))
                .toList();
        items.add(new BatchItem(i, "REJECTED", null, errors));
      }
    }
    send(ctx, 200, new Batch(model, items.size() - rejected, rejected, items));
  }

  private static DmnEvaluator.Evaluation evaluateOne(
      Function<JsonNode, DmnEvaluator.Evaluation> evaluator, JsonNode inputs) {
    try {
      return evaluator.apply(inputs);
    } catch (InvalidContextException e) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.INVALID_INPUT,
              e.errors().size() + " input(s) cannot be read as their DMN type",
              e.errors()));
    }
  }

  private static JsonNode body(RoutingContext ctx) {
    try {
      Buffer body = ctx.body().buffer();
      return body == null || body.length() == 0
          ? JSON.createObjectNode()
          : JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw new ProblemException(Problems.unreadable(e));
    }
  }

  // ------------------------------------------------------------------------------------ library

  void libraryList(RoutingContext ctx) {
    send(ctx, 200, library.models());
  }

  /**
   * A DMN file as the body ({@code application/xml}); {@code ?strict=true} refuses what the
   * validator calls an error.
   */
  void libraryUpload(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw AnalystHandlers.invalid("$", "is empty: send the DMN file as the body");
    }
    boolean strict = "true".equals(ctx.request().getParam("strict"));
    ModelLibrary.ModelVersion v;
    try {
      v =
          library.upload(
              String.valueOf(ctx.request().getParam("file", "model.dmn")),
              body.getBytes(),
              Security.actor(ctx),
              ctx.request().getParam("comment"),
              strict);
    } catch (RuleSetException e) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.INVALID_INPUT,
              e.getMessage() + ": " + e.messages().size() + " error(s)",
              errors(e.messages())));
    } catch (IllegalArgumentException e) {
      throw AnalystHandlers.invalid("$", e.getMessage());
    }
    String path =
        "/v1/library/"
            + java.net.URLEncoder.encode(v.name(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    ctx.response().putHeader(HttpHeaders.LOCATION, path);
    send(
        ctx, 201, new LibraryModel(v, DmnEvaluator.describe(library.model(v.name(), v.version()))));
  }

  void libraryModel(RoutingContext ctx) {
    String name = ctx.pathParam("model");
    List<ModelLibrary.ModelVersion> versions = library.versions(name);
    StandaloneModel m = library.model(name, versionParam(ctx));
    DmnEvaluator.Schemas schemas = DmnEvaluator.schemas(m);
    send(
        ctx,
        200,
        new LibraryDetail(
            name,
            versions,
            DmnEvaluator.describe(m),
            DmnEvaluator.tables(m),
            schemas.inputs(),
            schemas.results()));
  }

  void libraryEvaluate(RoutingContext ctx) {
    StandaloneModel m = library.model(ctx.pathParam("model"), versionParam(ctx));
    answer(ctx, m.name(), inputs -> DmnEvaluator.evaluate(m, inputs));
  }

  /**
   * Kogito's {@code POST /{model}}: the context after evaluation, inputs and every decision's
   * result by name.
   */
  void kogitoContext(RoutingContext ctx) {
    StandaloneModel m = library.model(ctx.pathParam("model"), versionParam(ctx));
    JsonNode inputs = body(ctx);
    DmnEvaluator.Evaluation e = evaluateOne(in -> DmnEvaluator.evaluate(m, in), inputs);
    if (e.failed()) {
      List<FieldError> errors = new ArrayList<>();
      for (DmnEvaluator.Message msg : e.messages()) {
        if ("ERROR".equals(msg.severity())) {
          errors.add(new FieldError(msg.decision() == null ? "$" : msg.decision(), msg.text()));
        }
      }
      throw new ProblemException(
          Problem.of(
              Problem.Kind.INVALID_INPUT,
              "the model's evaluation failed; POST .../dmnresult answers every decision's status and message",
              errors));
    }
    send(ctx, 200, context(inputs, e));
  }

  /**
   * Kogito's {@code POST /{model}/dmnresult}: the whole result, each decision with its status and
   * messages.
   */
  void kogitoResult(RoutingContext ctx) {
    StandaloneModel m = library.model(ctx.pathParam("model"), versionParam(ctx));
    JsonNode inputs = body(ctx);
    DmnEvaluator.Evaluation e = evaluateOne(in -> DmnEvaluator.evaluate(m, in), inputs);
    List<KogitoDecision> decisions = new ArrayList<>();
    for (DmnEvaluator.DecisionOutcome d : e.decisions()) {
      List<KogitoMessage> own =
          e.messages().stream()
              .filter(x -> d.name().equals(x.decision()))
              .map(ModelHandlers::kogito)
              .toList();
      decisions.add(new KogitoDecision(d.id(), d.name(), d.result(), own, d.status()));
    }
    send(
        ctx,
        200,
        new KogitoResult(
            e.namespace(),
            e.model(),
            context(inputs, e),
            e.messages().stream().map(ModelHandlers::kogito).toList(),
            decisions));
  }

  private static KogitoMessage kogito(DmnEvaluator.Message m) {
    return new KogitoMessage(m.severity(), m.text(), m.type(), m.sourceId());
  }

  private static ObjectNode context(JsonNode inputs, DmnEvaluator.Evaluation e) {
    ObjectNode out = JSON.createObjectNode();
    if (inputs.isObject()) {
      out.setAll((ObjectNode) inputs);
    }
    for (DmnEvaluator.DecisionOutcome d : e.decisions()) {
      out.set(d.name(), d.result());
    }
    return out;
  }

  /**
   * {@code ?version=}, which the contract has checked is a whole number from 1; null for the
   * latest.
   */
  private static Integer versionParam(RoutingContext ctx) {
    String v = ctx.request().getParam("version");
    return v == null || v.isBlank() ? null : Integer.valueOf(v.strip());
  }

  static List<FieldError> errors(List<RuleSetMessage> messages) {
    List<FieldError> out = new ArrayList<>();
    for (RuleSetMessage m : messages) {
      out.add(
          new FieldError(
              m.file()
                  + (m.line() == null ? "" : ":" + m.line())
                  + (m.element() == null ? "" : "#" + m.element()),
              m.text()));
    }
    return out;
  }

  private static void send(RoutingContext ctx, int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, ApiVerticle.JSON)
        .end(Buffer.buffer(bytes));
  }
}
