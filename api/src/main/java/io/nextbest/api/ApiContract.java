package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypeInfo;
import io.vertx.openapi.mediatype.MediaTypePredicate;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API contract, {@code openapi.json}: the document {@code GET /openapi.json} serves and the one
 * every request is validated against (by Vert.x OpenAPI's {@link RequestValidator}) before its
 * handler runs. Loaded and checked against the OpenAPI 3.1 meta-schema once per process; a document
 * that does not load stops the service from starting.
 */
final class ApiContract {
  static final String RESOURCE = "openapi.json";

  private static final ObjectReader TREE = JsonBodies.reader(JsonNode.class);

  /**
   * One whole JSON value and nothing after it; anything else goes the full way, which says what is
   * wrong.
   */
  private static final ObjectReader WHOLE =
      Json.mapper()
          .readerFor(JsonNode.class)
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern PARAMETER = Pattern.compile("parameter (\\S+?)\\.?(?: |$)");

  private final Buffer document;
  private final OpenAPIContract contract;
  private final JsonObject raw;
  private final RequestValidator validator;
  private final Validator event;
  private final SchemaErrors eventErrors;

  /** The quick checks' view of the same document (see {@link #quick(String)}). */
  private final JsonSchemaFactory quickSchemas;

  /** Each operation's quick body check (see {@link #quickBodyCheck}), by operation id. */
  private final Map<String, java.util.Optional<JsonSchema>> quickChecks = new java.util.HashMap<>();

  /** The Event schema as a quick check: most events are valid, and then nothing more is needed. */
  private final JsonSchema eventCheck;

  /**
   * JSON Schema 2020-12 as the quick checks read the contract: the document's own fields (and the
   * few OpenAPI adds to schemas) are known to carry nothing to validate, so the library does not
   * warn about each of them on every start.
   */
  private static final JsonMetaSchema OPENAPI_DIALECT =
      JsonMetaSchema.builder(JsonMetaSchema.getV202012())
          .keywords(
              java.util.stream.Stream.of(
                      "openapi",
                      "info",
                      "jsonSchemaDialect",
                      "servers",
                      "paths",
                      "webhooks",
                      "components",
                      "security",
                      "tags",
                      "externalDocs",
                      "discriminator",
                      "xml",
                      "example")
                  .map(NonValidationKeyword::new)
                  .toList())
          .build();

  /** Where the quick checks find the contract: an identifier only, never fetched. */
  private static final String QUICK_URI = "urn:nextbest:openapi.json";

  private ApiContract(Vertx vertx, Buffer document, OpenAPIContract contract) {
    this.document = document;
    this.contract = contract;
    // The document as enforced: the errors the library reports point into it.
    this.raw = enforced(document.toJsonObject());
    this.validator = RequestValidator.create(vertx, contract);
    this.event = contract.getSchemaRepository().validator("app:///#/components/schemas/Event");
    this.quickSchemas =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b ->
                b.metaSchema(OPENAPI_DIALECT)
                    .schemaLoaders(l -> l.schemas(Map.of(QUICK_URI, document.toString()))));
    this.eventCheck = quick("/components/schemas/Event");
    this.eventErrors =
        new SchemaErrors(
            raw,
            raw.getJsonObject("components").getJsonObject("schemas").getJsonObject("Event"),
            Problem.Kind.INVALID_INPUT);
    // Compiled here, once for every verticle, so that no event loop spends its start compiling
    // schemas.
    for (Operation operation : contract.operations()) {
      quickChecks.put(
          operation.getOperationId(), java.util.Optional.ofNullable(quickBodyCheck(operation)));
    }
  }

  /** Reads the contract from the class path and has the library load and check it. */
  static Future<ApiContract> load(Vertx vertx) {
    Buffer document;
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Future.failedFuture(
            new IllegalStateException(RESOURCE + " is not on the class path"));
      }
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      return Future.failedFuture(new UncheckedIOException(e));
    }
    return load(vertx, document);
  }

  /**
   * Loads {@code document} as the contract; fails when it is not valid OpenAPI 3.1 or names what
   * the library cannot validate.
   */
  static Future<ApiContract> load(Vertx vertx, Buffer document) {
    return OpenAPIContract.builder(vertx)
        .setContract(enforced(document.toJsonObject()))
        .mediaTypeRegistry(mediaTypes())
        .build()
        // Compiling the quick checks takes a while: not on an event loop.
        .compose(c -> vertx.executeBlocking(() -> new ApiContract(vertx, document, c), false))
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "the API contract "
                            + RESOURCE
                            + " is not valid OpenAPI 3.1: "
                            + e.getMessage(),
                        e)));
  }

  /**
   * The contract as the library enforces it: as documented, except that a batch of events is
   * checked for its shape only (an array of at most 10000 objects), because each of its events is
   * checked on its own against {@code Event} and answered in the batch's 207 (see {@link
   * #eventErrors}): one bad event must not refuse the others.
   */
  private static JsonObject enforced(JsonObject document) {
    JsonObject events =
        document
            .getJsonObject("paths")
            .getJsonObject("/v1/events")
            .getJsonObject("post")
            .getJsonObject("requestBody")
            .getJsonObject("content")
            .getJsonObject(ApiVerticle.JSON);
    JsonObject shape =
        new JsonObject()
            .put("if", new JsonObject().put("type", "array"))
            .put(
                "then",
                new JsonObject()
                    .put("maxItems", MAX_BATCH)
                    .put("items", new JsonObject().put("type", "object")))
            .put("else", new JsonObject().put("type", "object"));
    events.put("schema", shape);
    return document;
  }

  /** The most events one request may carry, as the contract says. */
  static final int MAX_BATCH = 10_000;

  /**
   * JSON as the library reads it; {@code multipart/form-data} as the JSON object of its form fields
   * and file names (the body handler has already taken the multipart apart, see {@link #form});
   * everything else the contract names (XML uploads, HTML, CSS, zip, CSV, Prometheus text) unread.
   */
  private static MediaTypeRegistry mediaTypes() {
    return MediaTypeRegistry.createEmpty()
        .register(MediaTypeRegistration.APPLICATION_JSON)
        .register(
            new Registration(
                MediaTypePredicate.ofExactTypes("application/problem+json", "multipart/form-data"),
                ContentAnalyserFactory.json()))
        .register(
            new Registration(
                MediaTypePredicate.ofExactTypes(
                    "application/xml",
                    "text/xml",
                    "text/html",
                    "text/css",
                    "text/javascript",
                    "text/csv",
                    "text/plain",
                    "text/plain; version=0.0.4",
                    "application/zip"),
                ContentAnalyserFactory.noop()));
  }

  /** Media types read by {@code analysers}. */
  private record Registration(MediaTypePredicate types, ContentAnalyserFactory analysers)
      implements MediaTypeRegistration {
    @Override
    public ContentAnalyser createContentAnalyser(
        String contentType, Buffer content, ValidationContext context) {
      return analysers.create(contentType, content, context);
    }

    @Override
    public boolean canHandle(String mediaType) {
      return types.test(MediaTypeInfo.of(mediaType));
    }

    @Override
    public List<String> supportedTypes() {
      return types.supportedTypes();
    }
  }

  /** The document, byte for byte as it is in the resource. */
  Buffer document() {
    return document;
  }

  OpenAPIContract contract() {
    return contract;
  }

  /**
   * A handler that validates the request against operation {@code operationId} and fails it with a
   * problem naming every offending field, or passes it on.
   *
   * @throws IllegalArgumentException when the contract has no such operation (a route without a
   *     contract)
   */
  Handler<RoutingContext> validate(String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("the API contract has no operation " + operationId);
    }
    JsonObject rawOperation =
        raw.getJsonObject("paths")
            .getJsonObject(operation.getOpenAPIPath())
            .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT));
    JsonObject rawBody = rawOperation.getJsonObject("requestBody");
    String noun = rawBody == null ? "" : rawBody.getString("description", "the request body");
    boolean bodyRequired = rawBody != null && rawBody.getBoolean("required", false);
    Problem.Kind invalid =
        "decide".equals(operationId) ? Problem.Kind.INVALID_CONTEXT : Problem.Kind.INVALID_INPUT;
    if (rawBody == null && operation.getParameters().isEmpty()) {
      return RoutingContext::next;
    }
    JsonSchema quick = quickChecks.get(operationId).orElse(null);
    return ctx -> {
      if (quick != null && booleanQueries(ctx, operation) && passes(ctx, quick)) {
        ctx.next();
        return;
      }
      JsonNode tree = null;
      Buffer body = null;
      if (rawBody != null) {
        String type = contentType(ctx);
        if (type.startsWith("multipart/form-data")) {
          body = form(ctx);
        } else {
          body = ctx.body().buffer();
          if (type.startsWith(ApiVerticle.JSON)
              && (bodyRequired || (body != null && body.length() > 0))) {
            // Jackson first: it says where malformed JSON broke, which the library cannot.
            tree = JsonBodies.read(body, TREE, noun);
          }
        }
      }
      Buffer read = body;
      JsonNode parsed = tree;
      RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(read))
          .compose(request -> validator.validate(request, operationId))
          .onSuccess(
              validated -> {
                if (parsed != null) {
                  ctx.put(JsonBodies.PARSED, parsed);
                }
                ctx.next();
              })
          .onFailure(e -> ctx.fail(failure(e, ctx, parsed, rawOperation, noun, invalid)));
    };
  }

  /**
   * The schema at {@code pointer} in the contract as a quick check that only answers valid or not.
   * Vert.x's validator is the contract's reference, and names every offending field, but a profile
   * under load showed it costing as much CPU as the decision itself: it builds a validator per
   * request, copying its lookup of every sub-schema, and interprets the schema anew each time. The
   * networknt validator compiles a schema once and checks a valid body in a fraction of that, so
   * valid requests (nearly all) take this way and anything it refuses goes Vert.x's way for the
   * answer.
   */
  private JsonSchema quick(String pointer) {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    JsonSchema schema =
        quickSchemas.getSchema(SchemaLocation.of(QUICK_URI + "#" + pointer), config);
    schema.initializeValidators();
    return schema;
  }

  /**
   * For an operation whose only input is a JSON body: its quick check, made once. Null for any
   * other operation, which the library's request validator checks whole.
   */
  private JsonSchema quickBodyCheck(Operation operation) {
    if (!onlyOptionalBooleanQueries(operation) || operation.getRequestBody() == null) {
      return null;
    }
    if (operation.getRequestBody().getContent().size() != 1
        || operation.getRequestBody().getContent().get(ApiVerticle.JSON) == null) {
      return null;
    }
    String path = operation.getOpenAPIPath().replace("~", "~0").replace("/", "~1");
    return quick(
        "/paths/"
            + path
            + "/"
            + operation.getHttpMethod().name().toLowerCase(Locale.ROOT)
            + "/requestBody/content/application~1json/schema");
  }

  /**
   * Whether every parameter of {@code operation} is an optional boolean in the query (such as
   * {@code verbose}): a request whose values of them read true or false then needs only its body
   * checked.
   */
  private static boolean onlyOptionalBooleanQueries(Operation operation) {
    for (io.vertx.openapi.contract.Parameter p : operation.getParameters()) {
      if (p.getIn() != io.vertx.openapi.contract.Location.QUERY
          || p.isRequired()
          || !"boolean".equals(p.getSchema().get("type"))) {
        return false;
      }
    }
    return true;
  }

  /** Whether each of the operation's (boolean) query parameters the request carries is one. */
  private static boolean booleanQueries(RoutingContext ctx, Operation operation) {
    for (io.vertx.openapi.contract.Parameter p : operation.getParameters()) {
      for (String v : ctx.queryParam(p.getName())) {
        if (!"true".equals(v) && !"false".equals(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * What the quick check of {@code operationId} says of {@code body}: null when the operation has
   * none (for tests).
   */
  Boolean quickCheck(String operationId, JsonNode body) {
    JsonSchema quick = quickBodyCheck(contract.operation(operationId));
    return quick == null ? null : quick.validate(body, com.networknt.schema.OutputFormat.BOOLEAN);
  }

  /**
   * Whether the body is JSON the quick check finds valid, leaving the parsed body for the handler.
   * Anything else (not JSON, empty, invalid) goes the library's full way, which names every
   * offending field.
   */
  private static boolean passes(RoutingContext ctx, JsonSchema quick) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0 || !contentType(ctx).startsWith(ApiVerticle.JSON)) {
      return false;
    }
    JsonNode instance;
    try {
      instance = WHOLE.readValue(body.getBytes());
    } catch (IOException e) {
      return false;
    }
    if (instance == null
        || !Boolean.TRUE.equals(
            quick.validate(instance, com.networknt.schema.OutputFormat.BOOLEAN))) {
      return false;
    }
    ctx.put(JsonBodies.PARSED, instance);
    return true;
  }

  /**
   * Every problem of one customer event, by the contract's {@code Event} schema ({@code [3].value}
   * within a batch).
   */
  List<FieldError> validateEvent(JsonNode node, String path) {
    if (Boolean.TRUE.equals(eventCheck.validate(node, com.networknt.schema.OutputFormat.BOOLEAN))) {
      return List.of();
    }
    OutputUnit result = event.validate(new JsonObject(Json.mapper().convertValue(node, Map.class)));
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    return eventErrors
        .map(result.getErrors() == null ? List.of(result) : result.getErrors(), node, path)
        .stream()
        .map(SchemaErrors.Found::error)
        .toList();
  }

  private Throwable failure(
      Throwable e,
      RoutingContext ctx,
      JsonNode body,
      JsonObject rawOperation,
      String noun,
      Problem.Kind invalid) {
    if (e instanceof ProblemException) {
      return e;
    }
    if (e instanceof SchemaValidationException s
        && s.getMessage().startsWith("The value of the request body")) {
      JsonObject schema =
          rawSchema(
              rawOperation.getJsonObject("requestBody").getJsonObject("content"), contentType(ctx));
      List<SchemaErrors.Found> found =
          new SchemaErrors(raw, schema, invalid).map(units(s.getOutputUnit()), body, "");
      return new ProblemException(problem(found, invalid, noun));
    }
    if (!(e instanceof ValidatorException v)) {
      return e;
    }
    String name = parameter(v.getMessage());
    switch (v.type()) {
      case MISSING_REQUIRED_PARAMETER:
        return name == null
            ? new ProblemException(Problems.emptyBody(noun))
            : new ProblemException(
                problem(
                    List.of(
                        new SchemaErrors.Found(
                            new FieldError(name, "is required"), invalid, false)),
                    invalid,
                    noun));
      case UNSUPPORTED_VALUE_FORMAT:
        return new ProblemException(
            Problems.unsupportedMediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)));
      case INVALID_VALUE:
        if (v instanceof SchemaValidationException s && name != null) {
          JsonObject schema = parameterSchema(rawOperation, name);
          String value =
              ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.queryParams().get(name);
          JsonNode node = value == null ? null : parameterValue(value);
          return new ProblemException(
              problem(
                  new SchemaErrors(raw, schema, invalid).map(units(s.getOutputUnit()), node, name),
                  invalid,
                  noun));
        }
        return e;
      case INVALID_VALUE_FORMAT:
      case ILLEGAL_VALUE:
        return new ProblemException(
            Problem.of(
                Problem.Kind.INVALID_TYPE,
                new FieldError(name == null ? "" : name, "cannot be read: " + v.getMessage())));
      default:
        // No operation, no response: the contract and the routes disagree, which is our bug.
        return e;
    }
  }

  private static Problem problem(
      List<SchemaErrors.Found> found, Problem.Kind invalid, String noun) {
    if (found.isEmpty()) {
      return Problem.of(invalid, "The request does not match the API contract.");
    }
    SchemaErrors.Found first = found.get(0);
    if (first.rootType() && first.error().field().isEmpty()) {
      return Problems.notAnObject(
          first.error().message().substring(first.error().message().lastIndexOf("was ") + 4), noun);
    }
    List<FieldError> errors = found.stream().map(SchemaErrors.Found::error).toList();
    String detail =
        (errors.size() == 1 ? "" : errors.size() + " fields are invalid, first ")
            + describe(first.error());
    return Problem.of(first.kind(), detail, errors);
  }

  private static String describe(FieldError e) {
    return e.field().isEmpty() ? e.message() : e.field() + " " + e.message();
  }

  private static List<OutputUnit> units(OutputUnit result) {
    return result.getErrors() == null || result.getErrors().isEmpty()
        ? List.of(result)
        : result.getErrors();
  }

  /**
   * The body schema of the media type the request was sent as, with a top-level reference followed
   * as the library does.
   */
  private JsonObject rawSchema(JsonObject content, String contentType) {
    for (String type : content.fieldNames()) {
      if (contentType.startsWith(type)) {
        return followed(content.getJsonObject(type).getJsonObject("schema"));
      }
    }
    return new JsonObject();
  }

  private JsonObject parameterSchema(JsonObject rawOperation, String name) {
    for (Object p : rawOperation.getJsonArray("parameters", new io.vertx.core.json.JsonArray())) {
      JsonObject param = (JsonObject) p;
      if (name.equals(param.getString("name"))) {
        return followed(param.getJsonObject("schema"));
      }
    }
    return new JsonObject();
  }

  private JsonObject followed(JsonObject schema) {
    if (schema != null
        && schema.getString("$ref") != null
        && schema.getString("$ref").startsWith("#/components/schemas/")) {
      return raw.getJsonObject("components")
          .getJsonObject("schemas")
          .getJsonObject(schema.getString("$ref").substring("#/components/schemas/".length()));
    }
    return schema == null ? new JsonObject() : schema;
  }

  /** A path or query value as the library read it: a number when it reads as one, else text. */
  private static JsonNode parameterValue(String value) {
    try {
      return Json.mapper().readTree(value).isNumber()
          ? Json.mapper().readTree(value)
          : TextNode.valueOf(value);
    } catch (IOException e) {
      return TextNode.valueOf(value);
    }
  }

  private static String parameter(String message) {
    Matcher m = PARAMETER.matcher(message == null ? "" : message);
    return m.find() ? m.group(1) : null;
  }

  private static String contentType(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return type == null ? "" : type.toLowerCase(Locale.ROOT).strip();
  }

  /**
   * A multipart form as the contract describes it: each form field by name, each file part by its
   * name with its file name.
   */
  private static Buffer form(RoutingContext ctx) {
    JsonObject form = new JsonObject();
    ctx.request().formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
    for (FileUpload f : ctx.fileUploads()) {
      form.put(f.name() == null ? "" : f.name(), f.fileName() == null ? "" : f.fileName());
    }
    return form.toBuffer();
  }
}
