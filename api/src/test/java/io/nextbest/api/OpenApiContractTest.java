package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract describes every route and only routes that exist, is valid OpenAPI 3.1, is what
 * {@code /openapi.json} serves, and is what requests are validated against: each kind of body and
 * parameter, rejected with the right status and the offending fields named.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {
  private static final String TYPES = "tag:nextbest.io,2025:problem/";

  static Vertx vertx;
  static ApiConfig config;
  static ApiVerticle verticle;
  static WebClient agent;
  static WebClient analyst;
  static JsonObject document;

  @BeforeAll
  static void start(Vertx v) throws IOException {
    vertx = v;
    config = TestApi.config();
    verticle = new ApiVerticle(Services.open(vertx, config), config);
    vertx.deployVerticle(verticle).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    document = resource().toJsonObject();
  }

  static Buffer resource() throws IOException {
    try (InputStream in =
        OpenApiContractTest.class.getClassLoader().getResourceAsStream(ApiContract.RESOURCE)) {
      return Buffer.buffer(in.readAllBytes());
    }
  }

  /**
   * {@code GET /v1/rulesets/{version}} for every route the router serves: {@code :param} as {@code
   * {param}}, a trailing wildcard as the one parameter the contract documents there. A route for
   * any method (a static handler) is {@code * /path}.
   */
  static Set<String> routes() {
    Set<String> routes = new TreeSet<>();
    for (Route r : verticle.router().getRoutes()) {
      if (r.getPath() == null) {
        continue;
      }
      String path = r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      // The router reports a trailing wildcard without its star.
      if (path.length() > 1 && path.endsWith("/")) {
        path = wildcard(path);
      }
      String normalised = path;
      if (r.methods() == null || r.methods().isEmpty()) {
        routes.add("* " + normalised);
      } else {
        r.methods().forEach(m -> routes.add(m.name() + " " + normalised));
      }
    }
    return routes;
  }

  /**
   * {@code /v1/rulesets/{version}/files/} as the documented {@code
   * /v1/rulesets/{version}/files/{path}}.
   */
  static String wildcard(String prefix) {
    List<String> documented =
        document.getJsonObject("paths").fieldNames().stream()
            .filter(
                p ->
                    p.startsWith(prefix)
                        && p.substring(prefix.length()).matches("\\{[A-Za-z0-9_]+\\}"))
            .toList();
    return documented.size() == 1 ? documented.get(0) : prefix + "{*}";
  }

  static Set<String> operations() {
    Set<String> ops = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        ops.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path);
      }
    }
    return ops;
  }

  static JsonObject operation(String method, String path) {
    return document.getJsonObject("paths").getJsonObject(path).getJsonObject(method);
  }

  @Test
  void everyRoute_isDescribed_andEveryOperationIsARouteButTheListedOnes() {
    Set<String> routes = routes();
    Set<String> operations = operations();
    Set<String> anyMethod =
        routes.stream()
            .filter(r -> r.startsWith("* "))
            .map(r -> r.substring(2))
            .collect(Collectors.toSet());

    Set<String> undescribed = new TreeSet<>();
    for (String route : routes) {
      String path = route.substring(route.indexOf(' ') + 1);
      boolean described =
          route.startsWith("* ")
              ? operations.stream().anyMatch(o -> o.endsWith(" " + path))
              : operations.contains(route);
      if (!described) {
        undescribed.add(route);
      }
    }
    assertThat(undescribed).as("routes the contract does not describe").isEmpty();
    Set<String> notRoutes = new TreeSet<>(operations);
    notRoutes.removeAll(routes);
    notRoutes.removeIf(o -> anyMethod.contains(o.substring(o.indexOf(' ') + 1)));
    assertThat(notRoutes).as("documented operations without a route").isEmpty();
  }

  @Test
  void theWildcardRoute_isDocumentedAsThePathParameter() {
    JsonArray params =
        operation("get", "/v1/rulesets/{version}/files/{path}").getJsonArray("parameters");

    assertThat(params.stream().map(p -> ((JsonObject) p).getString("name")))
        .contains("version", "path");
  }

  @Test
  void everyOperation_namesItsRoles_asTheRoutesEnforceThem() {
    for (AuthorizationTest.Endpoint e : AuthorizationTest.ENDPOINTS) {
      String path = e.path().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      path = path.endsWith("*") ? wildcard(path.substring(0, path.length() - 1)) : path;
      JsonObject op = operation(e.method().name().toLowerCase(java.util.Locale.ROOT), path);
      assertThat(op).as(e.toString()).isNotNull();
      if (e.role() == null) {
        assertThat(op.getJsonArray("security")).as(e + " is public").isEmpty();
        assertThat(op.getJsonArray("x-roles")).isNull();
      } else {
        assertThat(
                op.getJsonArray("security").stream()
                    .map(s -> ((JsonObject) s).fieldNames().iterator().next()))
            .as(e.toString())
            .containsExactlyInAnyOrder("apiKey", "bearerJwt");
        assertThat(op.getJsonArray("x-roles").getList())
            .as(e.toString())
            .contains(e.role().claim());
        assertThat(op.getJsonObject("responses").fieldNames())
            .as(e.toString())
            .contains("401", "403");
      }
    }
    assertThat(operation("get", "/v1/models").getJsonArray("x-roles").getList())
        .containsExactlyInAnyOrder("agent", "analyst");
  }

  @Test
  void theDocument_isValidOpenApi31_withAnIdASummaryAndResponsesForEveryOperation() {
    ApiContract contract = ApiContract.load(vertx).await();

    assertThat(contract.contract().getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    assertThat(contract.contract().operations()).hasSize(operations().size());
    for (String op : operations()) {
      String[] mp = op.split(" ", 2);
      JsonObject o = operation(mp[0].toLowerCase(java.util.Locale.ROOT), mp[1]);
      assertThat(o.getString("operationId")).as(op).isNotBlank();
      assertThat(o.getString("summary")).as(op).isNotBlank();
      assertThat(o.getJsonObject("responses").fieldNames()).as(op).isNotEmpty();
    }
  }

  @Test
  void aDocumentThatIsNotValidOpenApi_failsToLoad() {
    JsonObject broken = document.copy();
    broken
        .getJsonObject("paths")
        .getJsonObject("/v1/decisions")
        .getJsonObject("post")
        .remove("responses");
    broken
        .getJsonObject("paths")
        .getJsonObject("/v1/decisions")
        .getJsonObject("post")
        .put("parameters", new JsonArray().add(new JsonObject().put("name", "x")));

    assertThatThrownBy(() -> ApiContract.load(vertx, broken.toBuffer()).await())
        .hasMessageContaining("not valid OpenAPI 3.1");
  }

  @Test
  void theServedDocument_isTheResource() throws IOException {
    HttpResponse<Buffer> served =
        TestApi.client(vertx, config, null).get("/openapi.json").send().await();

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.getHeader("Content-Type")).isEqualTo("application/json");
    // The contract test may have put a model into the library by now: what it adds is generated
    // (a path pair and three schemas per model); the rest is the resource as it is.
    JsonObject document = served.bodyAsJsonObject();
    document
        .getJsonObject("paths")
        .fieldNames()
        .removeIf(p -> p.startsWith("/models/") && !p.startsWith("/models/{model}"));
    document
        .getJsonObject("components")
        .getJsonObject("schemas")
        .fieldNames()
        .removeIf(n -> n.startsWith("Library."));
    assertThat(document).isEqualTo(new JsonObject(resource()));
  }

  @Test
  void theExamples_matchTheirOwnSchemas() {
    ApiContract contract = ApiContract.load(vertx).await();
    ResponseValidator responses = ResponseValidator.create(vertx, contract.contract());
    RequestValidator requests = RequestValidator.create(vertx, contract.contract());
    int checked = 0;
    for (io.vertx.openapi.contract.Operation op : contract.contract().operations()) {
      JsonObject raw =
          operation(
              op.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT), op.getOpenAPIPath());
      JsonObject responseMap = raw.getJsonObject("responses");
      for (String status : responseMap.fieldNames()) {
        JsonObject response = responseMap.getJsonObject(status);
        JsonObject resolved =
            response.containsKey("$ref")
                ? document
                    .getJsonObject("components")
                    .getJsonObject("responses")
                    .getJsonObject(
                        response.getString("$ref").substring("#/components/responses/".length()))
                : response;
        for (var media : resolved.getJsonObject("content", new JsonObject())) {
          for (var example :
              ((JsonObject) media.getValue()).getJsonObject("examples", new JsonObject())) {
            Buffer body = Json.encodeToBuffer(((JsonObject) example.getValue()).getValue("value"));
            String what = op.getOperationId() + " " + status + " " + example.getKey();
            assertThat(
                    responses
                        .validate(
                            ValidatableResponse.create(
                                Integer.parseInt(status), body, media.getKey()),
                            op.getOperationId())
                        .map(true)
                        .otherwise(e -> fail(what, e))
                        .await())
                .isTrue();
            checked++;
          }
        }
      }
      JsonObject requestBody = raw.getJsonObject("requestBody");
      JsonObject json =
          requestBody == null
              ? null
              : requestBody.getJsonObject("content").getJsonObject("application/json");
      boolean parameterless =
          raw.getJsonArray("parameters", new JsonArray()).stream()
              .noneMatch(p -> ((JsonObject) p).getBoolean("required", false));
      if (json != null && parameterless) {
        for (var example : json.getJsonObject("examples", new JsonObject())) {
          Buffer body = Json.encodeToBuffer(((JsonObject) example.getValue()).getValue("value"));
          ValidatableRequest request =
              new ValidatableRequestImpl(
                  Map.of(),
                  Map.of(),
                  Map.of(),
                  Map.of(),
                  new RequestParameterImpl(body),
                  "application/json");
          String what = op.getOperationId() + " request " + example.getKey();
          assertThat(
                  requests
                      .validate(request, op.getOperationId())
                      .map(true)
                      .otherwise(e -> fail(what, e))
                      .await())
              .isTrue();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  /**
   * Answers whose body is a format of its own rather than an object the contract can close: the
   * contract itself, and the simulation report (documented, versioned, in docs/simulator.md).
   */
  static final Set<String> OPEN_RESPONSES =
      Set.of(
          "get /openapi.json 200 application/json",
          "get /v1/simulations/{id}/{kind} 200 application/json");

  /**
   * Every object a response can carry says what else it may hold: nothing ({@code
   * additionalProperties: false}) or, for a map, what its values are. A field the service adds and
   * the contract does not name then fails the test of real answers below, instead of going
   * unnoticed. Walks every response of every operation, so routes added later are held to it too.
   */
  @Test
  void everyResponseSchema_isClosed() {
    Set<String> open = new TreeSet<>();
    int objects = 0;
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses =
            paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          JsonObject response = (JsonObject) resolve(responses.getJsonObject(status));
          for (var media : response.getJsonObject("content", new JsonObject())) {
            String where = method + " " + path + " " + status + " " + media.getKey();
            if (!OPEN_RESPONSES.contains(where)) {
              objects +=
                  closed(
                      ((JsonObject) media.getValue()).getValue("schema"),
                      where,
                      open,
                      new java.util.HashSet<>());
            }
          }
        }
      }
    }
    assertThat(open)
        .as("response objects that do not say additionalProperties: false (or what a map holds)")
        .isEmpty();
    assertThat(objects).isGreaterThan(50);
  }

  /**
   * Counts the object schemas under {@code schema}, adding to {@code open} those that are not
   * closed.
   */
  private static int closed(Object schema, String where, Set<String> open, Set<String> seen) {
    return closed(schema, where, open, seen, false);
  }

  /**
   * {@code branch}: {@code schema} is an inline {@code if}/{@code then}/{@code else} of a schema
   * that is checked itself; it narrows what its parent allows and need not close anything. A schema
   * whose {@code allOf} holds only such conditionals dispatches to its branches, which must be
   * closed instead.
   */
  private static int closed(
      Object schema, String where, Set<String> open, Set<String> seen, boolean branch) {
    if (schema instanceof JsonArray list) {
      int n = 0;
      for (Object s : list) {
        n += closed(s, where, open, seen);
      }
      return n;
    }
    if (!(schema instanceof JsonObject s)) {
      return 0;
    }
    if (s.containsKey("$ref")) {
      // Each named schema once (they may refer to themselves).
      return seen.add(s.getString("$ref"))
          ? closed(resolve(s), s.getString("$ref"), open, seen)
          : 0;
    }
    int n = 0;
    boolean object = "object".equals(s.getValue("type")) || s.containsKey("properties");
    JsonArray allOf = s.getJsonArray("allOf");
    boolean dispatches =
        allOf != null
            && !allOf.isEmpty()
            && allOf.stream().allMatch(c -> c instanceof JsonObject j && j.containsKey("then"));
    if (object && !branch && !dispatches) {
      n++;
      Object extra = s.getValue("additionalProperties", s.getValue("unevaluatedProperties"));
      if (!(Boolean.FALSE.equals(extra) || extra instanceof JsonObject)) {
        open.add(where);
      }
    }
    for (String k :
        List.of("allOf", "oneOf", "anyOf", "items", "prefixItems", "additionalProperties")) {
      n += closed(s.getValue(k), where + (k.equals("items") ? "[]" : ""), open, seen);
    }
    for (String k : List.of("if", "then", "else")) {
      n += closed(s.getValue(k), where, open, seen, true);
    }
    JsonObject properties = s.getJsonObject("properties", new JsonObject());
    for (String name : properties.fieldNames()) {
      n += closed(properties.getValue(name), where + "." + name, open, seen);
    }
    return n;
  }

  /** The schema or response {@code value} refers to, or itself. */
  private static Object resolve(JsonObject value) {
    if (!value.containsKey("$ref")) {
      return value;
    }
    Object at = document;
    for (String part : value.getString("$ref").substring(2).split("/")) {
      at = ((JsonObject) at).getValue(part.replace("~1", "/").replace("~0", "~"));
    }
    return at instanceof JsonObject o && o.containsKey("$ref") ? resolve(o) : at;
  }

  /**
   * Operations this test does not ask, and why; every other operation with a JSON answer is asked
   * and its answer checked, so a route added later fails here until its answer is checked too.
   */
  static final Set<String> NOT_ASKED =
      Set.of(
          // A rule-set file byte for byte (DMN XML, a scenario's JSON): the file's own format.
          "downloadFile");

  @Test
  void whatTheServiceAnswers_matchesTheContract() throws Exception {
    ResponseValidator responses =
        ResponseValidator.create(vertx, ApiContract.load(vertx).await().contract());
    HttpResponse<Buffer> decision = post(agent, "/v1/decisions", TestApi.EXAMPLE);
    String decisionId = decision.bodyAsJsonObject().getString("decisionId");
    String actionId =
        decision.bodyAsJsonObject().getJsonArray("actions").getJsonObject(0).getString("actionId");
    String survey =
        "{\"type\":\"SURVEY_ANSWERED\",\"id\":\"r-1\",\"customerId\":\"c-r\",\"at\":\"2026-11-20T09:00:00Z\",\"survey\":\"CSAT\",\"value\":4}";
    Map<String, List<HttpResponse<Buffer>>> answers = new java.util.LinkedHashMap<>();
    java.util.function.BiConsumer<String, HttpResponse<Buffer>> answer =
        (op, r) -> answers.computeIfAbsent(op, k -> new java.util.ArrayList<>()).add(r);
    answer.accept("decide", decision);
    answer.accept("ingestEvents", post(agent, "/v1/events", survey));
    answer.accept(
        "ingestEvents",
        post(
            agent,
            "/v1/events",
            "["
                + survey
                + ",{\"type\":\"PURCHASE\",\"id\":\"p-1\",\"customerId\":\"c-r\",\"at\":\"2026-11-20T09:00:00Z\",\"amount\":-3}]"));
    answer.accept(
        "feedback",
        post(
            agent,
            "/v1/feedback",
            new JsonObject()
                .put("decisionId", decisionId)
                .put("actionId", actionId)
                .put("outcome", "SHOWN")
                .encode()));
    answer.accept("getProfile", agent.get("/v1/customers/c-r/profile").send().await());
    answer.accept("getDecision", analyst.get("/v1/decisions/" + decisionId).send().await());
    answer.accept("listRuleSets", analyst.get("/v1/rulesets").send().await());
    answer.accept("getRuleSet", analyst.get("/v1/rulesets/1").send().await());
    answer.accept("validateRuleSet", analyst.post("/v1/rulesets/1/validate").send().await());
    answer.accept("testRuleSet", analyst.post("/v1/rulesets/1/test").send().await());
    answer.accept("listModels", agent.get("/v1/models").send().await());
    answer.accept(
        "evaluateModel",
        post(
            agent,
            "/v1/models/Contact%20Policy/evaluate",
            "{\"Experience Index\": 45, \"Quadrant\": \"Q2\"}"));
    answer.accept("listVersionModels", analyst.get("/v1/rulesets/1/models").send().await());
    answer.accept(
        "evaluateVersionModel",
        post(
            analyst,
            "/v1/rulesets/1/models/Contact%20Policy/evaluate",
            "{\"Experience Index\": 45, \"Quadrant\": \"Q2\"}"));
    String contact =
        new String(
            analyst
                .get("/v1/rulesets/1/files/dmn/contact-policy.dmn")
                .send()
                .await()
                .body()
                .getBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<Buffer> upload =
        post(
            analyst,
            "/v1/rulesets",
            new JsonObject()
                .put(
                    "files",
                    new JsonObject()
                        .put(
                            "dmn/contact-policy.dmn",
                            contact.replace("</definitions>", "<!-- same rules --></definitions>")))
                .put("comment", "contract test")
                .encode());
    answer.accept("uploadRuleSet", upload);
    String uploaded = upload.getHeader("Location").substring("/v1/rulesets/".length());
    answer.accept(
        "diffRuleSets", analyst.get("/v1/rulesets/diff?from=1&to=" + uploaded).send().await());
    answer.accept(
        "activateRuleSet", analyst.post("/v1/rulesets/" + uploaded + "/activate").send().await());
    answer.accept("rollbackRuleSet", analyst.post("/v1/rulesets/1/rollback").send().await());
    answer.accept("audit", analyst.get("/v1/audit").send().await());
    // A live experiment on the uploaded version (its gate passed above), read, then stopped.
    answer.accept(
        "startExperiment",
        post(
            analyst,
            "/v1/experiments",
            new JsonObject()
                .put("id", "exp-contract")
                .put("challenger", Integer.parseInt(uploaded))
                .put("share", 0.5)
                .encode()));
    answer.accept("getExperiment", analyst.get("/v1/experiments/exp-contract").send().await());
    answer.accept("stopExperiment", post(analyst, "/v1/experiments/exp-contract/stop", ""));
    post(
        analyst,
        "/v1/experiments",
        new JsonObject()
            .put("id", "exp-promoted")
            .put("challenger", Integer.parseInt(uploaded))
            .put("share", 0.5)
            .encode());
    answer.accept("promoteExperiment", post(analyst, "/v1/experiments/exp-promoted/promote", ""));
    post(analyst, "/v1/rulesets/1/activate", "");
    answer.accept("ruleSetCoverage", analyst.get("/v1/rulesets/1/coverage").send().await());
    answer.accept("previewRuleSet", post(analyst, "/v1/rulesets/1/preview", TestApi.EXAMPLE));
    // The decisions made above, scored offline for the bundled version.
    answer.accept(
        "offlineEvaluation",
        post(
            analyst,
            "/v1/rulesets/1/offline-evaluation",
            "{\"feedback\": true, \"successEvents\": [\"PURCHASE\"], \"successWithinDays\": 0}"));
    // The model library: a standalone copy of the contact policy, listed, read and evaluated (also
    // by Kogito's routes).
    answer.accept(
        "uploadLibraryModel",
        analyst
            .post("/v1/library")
            .putHeader("Content-Type", "application/xml")
            .sendBuffer(Buffer.buffer(contact))
            .await());
    answer.accept("listLibrary", agent.get("/v1/library").send().await());
    answer.accept("getLibraryModel", agent.get("/v1/library/Contact%20Policy").send().await());
    String q2 = "{\"Quadrant\": \"Q2\", \"Experience Index\": 45}";
    answer.accept("evaluateLibraryModel", post(agent, "/v1/library/Contact%20Policy/evaluate", q2));
    answer.accept("kogitoEvaluate", post(agent, "/models/Contact%20Policy", q2));
    answer.accept("kogitoDmnResult", post(agent, "/models/Contact%20Policy/dmnresult", q2));
    HttpResponse<Buffer> started =
        post(analyst, "/v1/simulations", "{\"population\": {\"synthetic\": 20}, \"seed\": 3}");
    answer.accept("startSimulation", started);
    String simulation = started.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> progress = analyst.get("/v1/simulations/" + simulation).send().await();
    for (int i = 0;
        i < 600 && !progress.bodyAsJsonObject().getString("state").equals("DONE");
        i++) {
      Thread.sleep(100);
      progress = analyst.get("/v1/simulations/" + simulation).send().await();
    }
    answer.accept("getSimulation", progress);
    answer.accept("listSimulations", analyst.get("/v1/simulations").send().await());
    answer.accept(
        "getSimulationReport",
        analyst.get("/v1/simulations/" + simulation + "/report").send().await());
    answer.accept("health", agent.get("/health").send().await());
    answer.accept("healthLive", agent.get("/health/live").send().await());
    answer.accept("healthReady", agent.get("/health/ready").send().await());
    answer.accept("listCustomers", agent.get("/v1/customers?prefix=c-").send().await());
    WebClient admin = TestApi.client(vertx, config, TestApi.ADMIN_KEY);
    answer.accept(
        "replayDecision", analyst.post("/v1/decisions/" + decisionId + "/replay").send().await());
    answer.accept("getCustomerEvents", analyst.get("/v1/customers/c-r/events").send().await());
    answer.accept("getCustomerLedger", analyst.get("/v1/customers/c-1/ledger").send().await());
    answer.accept("exportCustomer", admin.get("/v1/customers/c-r/export").send().await());
    answer.accept("eraseCustomer", admin.delete("/v1/customers/c-r").send().await());
    answer.accept("openapi", agent.get("/openapi.json").send().await());
    List<String> mismatches = new java.util.ArrayList<>();
    for (Map.Entry<String, List<HttpResponse<Buffer>>> a : answers.entrySet()) {
      for (HttpResponse<Buffer> r : a.getValue()) {
        assertThat(r.statusCode()).as(a.getKey() + " " + r.bodyAsString()).isBetween(200, 299);
        ValidatableResponse response =
            ValidatableResponse.create(r.statusCode(), r.body(), r.getHeader("Content-Type"));
        responses
            .validate(response, a.getKey())
            .map(true)
            .otherwise(e -> mismatches.add(a.getKey() + " " + r.statusCode() + ": " + explain(e)))
            .await();
      }
    }
    // Problem answers too: one per kind of client mistake.
    Map<String, HttpResponse<Buffer>> problems = new java.util.LinkedHashMap<>();
    problems.put(
        "decide",
        TestApi.client(vertx, config, null)
            .post("/v1/decisions")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{}"))
            .await());
    problems.put("getRuleSet", analyst.get("/v1/rulesets/999").send().await());
    problems.put("ingestEvents", post(agent, "/v1/events", "{\"type\":\"PURCHASE\"}"));
    problems.put("feedback", post(agent, "/v1/feedback", "{\"outcome\":\"NOPE\"}"));
    for (Map.Entry<String, HttpResponse<Buffer>> p : problems.entrySet()) {
      HttpResponse<Buffer> r = p.getValue();
      assertThat(r.statusCode()).as(p.getKey() + " " + r.bodyAsString()).isBetween(400, 499);
      responses
          .validate(
              ValidatableResponse.create(r.statusCode(), r.body(), r.getHeader("Content-Type")),
              p.getKey())
          .map(true)
          .otherwise(e -> mismatches.add(p.getKey() + " " + r.statusCode() + ": " + explain(e)))
          .await();
    }
    assertThat(mismatches).as("answers that do not match the contract").isEmpty();

    Set<String> jsonOperations = new TreeSet<>();
    for (io.vertx.openapi.contract.Operation op :
        ApiContract.load(vertx).await().contract().operations()) {
      JsonObject raw =
          operation(
              op.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT), op.getOpenAPIPath());
      for (String status : raw.getJsonObject("responses").fieldNames()) {
        JsonObject response =
            (JsonObject) resolve(raw.getJsonObject("responses").getJsonObject(status));
        if (status.startsWith("2")
            && response
                .getJsonObject("content", new JsonObject())
                .containsKey("application/json")) {
          jsonOperations.add(op.getOperationId());
        }
      }
    }
    jsonOperations.removeAll(NOT_ASKED);
    assertThat(answers.keySet())
        .as("every operation with a JSON answer is asked")
        .containsAll(jsonOperations);

    // And the check bites: a health answer with a number for its status, or a field it does not
    // name, does not match.
    for (String wrong : List.of("{\"status\":1}", "{\"status\":\"UP\",\"colour\":\"green\"}")) {
      ValidatableResponse r =
          ValidatableResponse.create(200, Buffer.buffer(wrong), "application/json");
      assertThat(responses.validate(r, "health").map(true).otherwise(false).await())
          .as(wrong)
          .isFalse();
    }
  }

  private static String explain(Throwable e) {
    return e.getMessage()
        + (e instanceof SchemaValidationException s ? " " + s.getOutputUnit() : "");
  }

  private static boolean fail(String what, Throwable e) {
    String units = e instanceof SchemaValidationException s ? s.getOutputUnit().toString() : "";
    throw new AssertionError(what + ": " + e.getMessage() + " " + units, e);
  }

  @Test
  void theQuickCheck_acceptsEveryDocumentedRequestExample_andRefusesWhatTheLibraryRefuses()
      throws IOException {
    ApiContract contract = ApiContract.load(vertx).await();
    com.fasterxml.jackson.databind.ObjectMapper json = io.nextbest.engine.Json.mapper();
    int examples = 0;
    for (String path : document.getJsonObject("paths").fieldNames()) {
      JsonObject item = document.getJsonObject("paths").getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject op = item.getJsonObject(method);
        JsonObject body = op.getJsonObject("requestBody");
        JsonObject media =
            body == null ? null : body.getJsonObject("content").getJsonObject("application/json");
        if (media == null || media.getJsonObject("examples") == null) {
          continue;
        }
        for (String name : media.getJsonObject("examples").fieldNames()) {
          Object value = media.getJsonObject("examples").getJsonObject(name).getValue("value");
          Boolean verdict =
              contract.quickCheck(
                  op.getString("operationId"),
                  json.readTree(io.vertx.core.json.Json.encode(value)));
          if (verdict != null) {
            assertThat(verdict).as(op.getString("operationId") + " example " + name).isTrue();
            examples++;
          }
        }
      }
    }
    assertThat(examples)
        .as("documented request examples the quick check saw")
        .isGreaterThanOrEqualTo(3);
    // Each kind of refusal the library makes, the quick check makes too (so such bodies go the
    // library's way).
    for (String bad :
        List.of(
            "{\"customerId\":\"c-1\",\"limit\":\"3\"}",
            "{\"customerId\":\"c-1\",\"limit\":0}",
            "{\"customerId\":\"c-1\",\"colour\":\"blue\"}",
            "{\"customerId\":\"c-1\",\"interaction\":{\"channel\":\"PIGEON\"}}",
            "{\"customerId\":\"c-1\",\"asOf\":\"yesterday\"}",
            "{\"limit\":3}",
            "[]")) {
      assertThat(contract.quickCheck("decide", json.readTree(bad))).as(bad).isFalse();
    }
    assertThat(contract.quickCheck("decide", json.readTree("{\"customerId\":\"c-1\"}"))).isTrue();
    assertThat(contract.quickCheck("getProfile", json.readTree("{}")))
        .as("parameters: the library checks those whole")
        .isNull();
  }

  // Request validation, one kind of body or parameter at a time.

  @Test
  void aDecisionRequest_withWrongShapes_is400_andWithBrokenRules_is422_namingEveryField() {
    JsonObject shape =
        problem(
            post(
                agent,
                "/v1/decisions",
                "{\"customerId\":\"c-1\",\"limit\":\"3\",\"interaction\":{\"channel\":\"PHONE\",\"justResolved\":1}}"),
            400,
            "invalid-type");
    assertThat(fields(shape)).containsExactlyInAnyOrder("limit", "interaction.justResolved");
    assertThat(messages(shape))
        .containsExactlyInAnyOrder(
            "must be a whole number, was a string", "must be true or false, was a whole number");

    JsonObject rules =
        problem(
            post(
                agent,
                "/v1/decisions",
                "{\"limit\":51,\"profile\":{\"ces\":[{\"value\":8}],\"outreach\":[{}]}}"),
            422,
            "invalid-context");
    assertThat(fields(rules))
        .containsExactlyInAnyOrder(
            "customerId",
            "limit",
            "profile.ces[0].at",
            "profile.ces[0].value",
            "profile.outreach[0].at",
            "profile.outreach[0].actionId",
            "profile.outreach[0].channel");
    assertThat(messages(rules))
        .contains(
            "must be between 1 and 50, was 51", "must be between 1 and 7, was 8", "is required");
  }

  @Test
  void oneEvent_isCheckedAgainstTheEventSchemaOfItsType() {
    JsonObject p =
        problem(
            post(
                agent,
                "/v1/events",
                "{\"type\":\"SURVEY_ANSWERED\",\"id\":\"e-1\",\"customerId\":\"c-1\",\"at\":\"2026-11-20T09:00:00Z\",\"survey\":\"NPS\",\"value\":11,\"channel\":\"SMS\"}"),
            422,
            "invalid-input");

    assertThat(fields(p)).containsExactlyInAnyOrder("channel", "value");
    assertThat(messages(p)).contains("must be between 0 and 10, was 11");
    JsonObject unknown =
        problem(
            post(agent, "/v1/events", "{\"type\":\"TELEPATHY\",\"id\":\"e-1\"}"),
            422,
            "invalid-input");
    assertThat(fields(unknown)).containsExactlyInAnyOrder("type", "customerId", "at");
    assertThat(messages(unknown).get(0)).startsWith("must be one of [INTERACTION_STARTED, ");
  }

  @Test
  void aBatch_rejectsEachBadEventOnItsOwn_andTheBodyMustBeEventsAtAll() {
    HttpResponse<Buffer> r =
        post(
            agent,
            "/v1/events",
            "[{\"type\":\"PURCHASE\",\"id\":\"p-1\",\"customerId\":\"c-b\",\"at\":\"2026-11-20T09:00:00Z\",\"amount\":-3},{\"type\":\"PURCHASE\",\"id\":\"p-2\",\"customerId\":\"c-b\",\"at\":\"2026-11-20T09:00:00Z\"}]");

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(207);
    JsonObject first = r.bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
    assertThat(first.getString("status")).isEqualTo("REJECTED");
    assertThat(first.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[0].amount");
    assertThat(r.bodyAsJsonObject().getJsonArray("results").getJsonObject(1).getString("status"))
        .isEqualTo("STORED");

    assertThat(problem(post(agent, "/v1/events", "42"), 400, "invalid-type").getString("detail"))
        .contains("must be a JSON object", "a whole number");
    assertThat(fields(problem(post(agent, "/v1/events", "[1]"), 400, "invalid-type")))
        .containsExactly("[0]");
    String tooMany = "[" + String.join(",", java.util.Collections.nCopies(10_001, "{}")) + "]";
    assertThat(messages(problem(post(agent, "/v1/events", tooMany), 422, "invalid-input")))
        .containsExactly("must hold at most 10000 items, holds 10001");
  }

  @Test
  void numbersBeyondEveryRange_areClientErrors() {
    String huge = "99999999999999999999999";
    assertThat(
            post(agent, "/v1/decisions", "{\"customerId\":\"c-1\",\"limit\":" + huge + "}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    agent,
                    "/v1/decisions",
                    "{\"customerId\":\"c-1\",\"profile\":{\"annualValue\":1e999999}}")
                .statusCode())
        .isBetween(400, 499);
    assertThat(
            post(
                    agent,
                    "/v1/events",
                    "{\"type\":\"PURCHASE\",\"id\":\"h-1\",\"customerId\":\"c-h\",\"at\":\"2026-11-20T09:00:00Z\",\"amount\":"
                        + huge
                        + "0.5}")
                .statusCode())
        .isBetween(200, 499);
    assertThat(
            post(
                    agent,
                    "/v1/events",
                    "{\"type\":\"LOYALTY_ACTIVITY\",\"id\":\"h-2\",\"customerId\":\"c-h\",\"at\":\"2026-11-20T09:00:00Z\",\"kind\":\"EARNED\",\"points\":"
                        + huge
                        + "}")
                .statusCode())
        .isEqualTo(422);
  }

  @Test
  void feedback_withAnUnknownOutcome_is400_andWithoutItsFields_is422() {
    JsonObject unknown =
        problem(
            post(
                agent,
                "/v1/feedback",
                "{\"decisionId\":\"d-1\",\"actionId\":\"a\",\"outcome\":\"RECOMMENDED\"}"),
            400,
            "unknown-value");
    assertThat(fields(unknown)).containsExactly("outcome");
    assertThat(messages(unknown).get(0))
        .contains("ACCEPTED_BY_CUSTOMER")
        .doesNotContain("RECOMMENDED,");

    assertThat(
            fields(
                problem(
                    post(agent, "/v1/feedback", "{\"reason\":\"" + "x".repeat(501) + "\"}"),
                    422,
                    "invalid-input")))
        .containsExactlyInAnyOrder("decisionId", "actionId", "outcome", "reason");
  }

  @Test
  void aSimulation_isCheckedBeforeAnythingRuns() {
    JsonObject both =
        problem(
            post(
                analyst,
                "/v1/simulations",
                "{\"population\":{\"synthetic\":0,\"dataset\":\"telco-churn\"},\"journeyWeeks\":521}"),
            422,
            "invalid-input");
    assertThat(fields(both))
        .containsExactlyInAnyOrder("population", "population.synthetic", "journeyWeeks");
    assertThat(messages(both)).contains("must have exactly one of [dataset, synthetic], has 2");

    JsonObject baseline =
        problem(
            post(
                analyst,
                "/v1/simulations",
                "{\"population\":{\"synthetic\":5},\"baseline\":\"yesterday\",\"seeds\":1}"),
            400,
            "unknown-value");
    assertThat(fields(baseline)).containsExactlyInAnyOrder("baseline", "seeds");
  }

  @Test
  void modelInputs_mustBeAnObject() {
    assertThat(
            problem(post(agent, "/v1/models/Contact%20Policy/evaluate", "[1]"), 400, "invalid-type")
                .getString("detail"))
        .contains("must be a JSON object", "an array");
  }

  @Test
  void aJsonUpload_needsItsFiles_andAMultipartOneAWholeBasedOn() {
    assertThat(
            fields(
                problem(
                    post(analyst, "/v1/rulesets", "{\"comment\":\"no files\",\"basedOn\":0}"),
                    422,
                    "invalid-input")))
        .containsExactlyInAnyOrder("files", "basedOn");

    MultipartForm form =
        MultipartForm.create()
            .attribute("basedOn", "latest")
            .binaryFileUpload(
                "dmn/contact-policy.dmn",
                "contact-policy.dmn",
                Buffer.buffer("<x/>"),
                "application/xml");
    JsonObject multipart =
        problem(analyst.post("/v1/rulesets").sendMultipartForm(form).await(), 400, "invalid-type");
    assertThat(fields(multipart)).containsExactly("basedOn");

    HttpResponse<Buffer> text =
        analyst
            .post("/v1/rulesets")
            .putHeader("Content-Type", "text/plain")
            .sendBuffer(Buffer.buffer("hello"))
            .await();
    problem(text, 415, null);
  }

  @Test
  void queryAndPathParameters_areChecked() {
    assertThat(
            messages(
                problem(analyst.get("/v1/audit?limit=0").send().await(), 422, "invalid-input")))
        .containsExactly("must be between 1 and 1000, was 0");
    assertThat(
            fields(
                problem(
                    analyst.get("/v1/rulesets/diff?to=2").send().await(), 422, "invalid-input")))
        .containsExactly("from");
    assertThat(fields(problem(analyst.get("/v1/rulesets/abc").send().await(), 400, "invalid-type")))
        .containsExactly("version");
    assertThat(
            fields(
                problem(
                    agent.get("/v1/customers/c-1/profile?asOf=yesterday").send().await(),
                    400,
                    "invalid-type")))
        .containsExactly("asOf");
    assertThat(
            fields(
                problem(
                    analyst.get("/v1/simulations/sim-1/report.pdf").send().await(),
                    400,
                    "unknown-value")))
        .containsExactly("kind");
  }

  private static HttpResponse<Buffer> post(WebClient client, String path, String body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo(type == null ? "about:blank" : TYPES + type);
    return problem;
  }

  private static List<String> fields(JsonObject problem) {
    return problem.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field"))
        .collect(Collectors.toList());
  }

  private static List<String> messages(JsonObject problem) {
    return problem.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("message"))
        .collect(Collectors.toList());
  }
}
