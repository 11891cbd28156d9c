package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analysts' workbench over HTTP: evaluations that name their rows, batches, coverage, the
 * preview, and the model library with Kogito's routes — every answer checked against the contract.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchApiTest {
  static final String Q2 = "{\"Quadrant\": \"Q2\", \"Experience Index\": 45}";

  static Vertx vertx;
  static WebClient analyst;
  static WebClient agent;
  static ResponseValidator contract;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    ApiConfig config = TestApi.config();
    agent = TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    contract = ResponseValidator.create(vertx, ApiContract.load(vertx).await().contract());
  }

  static HttpResponse<Buffer> post(WebClient client, String path, String body) {
    return client
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  static HttpResponse<Buffer> upload(String xml, String query) {
    return analyst
        .post("/v1/library" + query)
        .putHeader("Content-Type", "application/xml")
        .sendBuffer(Buffer.buffer(xml))
        .await();
  }

  /**
   * The answer, after checking it is what the contract says operation {@code operationId} answers.
   */
  static HttpResponse<Buffer> conforming(String operationId, HttpResponse<Buffer> r) {
    ValidatableResponse response =
        ValidatableResponse.create(r.statusCode(), r.body(), r.getHeader("Content-Type"));
    contract
        .validate(response, operationId)
        .otherwise(
            e -> {
              String units =
                  e instanceof SchemaValidationException s ? s.getOutputUnit().toString() : "";
              throw new AssertionError(
                  operationId
                      + " answered what the contract does not describe: "
                      + e.getMessage()
                      + " "
                      + units
                      + "\n"
                      + r.bodyAsString(),
                  e);
            })
        .await();
    return r;
  }

  static String contactPolicy() {
    return RuleSetSource.bundled().text("dmn/contact-policy.dmn");
  }

  @Test
  @Order(1)
  void anEvaluation_namesTheRowEachTableMatched_withItsAnnotation() {
    HttpResponse<Buffer> r =
        conforming("evaluateModel", post(agent, "/v1/models/Contact%20Policy/evaluate", Q2));

    JsonObject table = r.bodyAsJsonObject().getJsonArray("tables").getJsonObject(0);
    assertThat(table.getString("decision")).isEqualTo("Contact Limits");
    assertThat(table.getString("hitPolicy")).isEqualTo("UNIQUE");
    JsonObject row = table.getJsonArray("matched").getJsonObject(0);
    assertThat(row.getString("id")).isEqualTo("_CP_ContactLimits_dt_r03");
    assertThat(row.getInteger("row")).isEqualTo(3);
    assertThat(row.getBoolean("selected")).isTrue();
    assertThat(row.getString("annotation")).startsWith("One-Hit Wonder");
  }

  @Test
  @Order(2)
  void aBatch_answersEveryContextInOrder_andABadOneDoesNotFailTheOthers() {
    String batch =
        "["
            + Q2
            + ", {\"Quadrant\": \"Q2\", \"Experience Index\": \"high\"}, {\"Quadrant\": \"Q4\", \"Experience Index\": 90}]";
    HttpResponse<Buffer> r =
        conforming(
            "evaluateVersionModel",
            post(analyst, "/v1/rulesets/1/models/Contact%20Policy/evaluate", batch));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getInteger("evaluated")).isEqualTo(2);
    assertThat(body.getInteger("rejected")).isEqualTo(1);
    JsonArray results = body.getJsonArray("results");
    assertThat(results.stream().map(o -> ((JsonObject) o).getInteger("index")))
        .containsExactly(0, 1, 2);
    assertThat(results.getJsonObject(1).getString("status")).isEqualTo("REJECTED");
    assertThat(results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("[1].Experience Index");
    JsonObject q4 =
        results
            .getJsonObject(2)
            .getJsonObject("evaluation")
            .getJsonArray("decisions")
            .getJsonObject(0)
            .getJsonObject("result");
    assertThat(q4.getInteger("max7Days")).isEqualTo(3);
  }

  @Test
  @Order(3)
  void aBatchOverTheLimit_isAClientError() {
    String many =
        IntStream.range(0, 1001).mapToObj(i -> Q2).collect(Collectors.joining(",", "[", "]"));
    HttpResponse<Buffer> r = post(agent, "/v1/models/Contact%20Policy/evaluate", many);

    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  @Order(4)
  void coverage_isServed_andPartOfTheValidateReport_andStrictValidationHasNothingToRefuse() {
    JsonObject coverage =
        conforming("ruleSetCoverage", analyst.get("/v1/rulesets/1/coverage").send().await())
            .bodyAsJsonObject();
    int rows =
        coverage.getJsonArray("tables").stream()
            .mapToInt(t -> ((JsonObject) t).getJsonArray("rows").size())
            .sum();
    assertThat(coverage.getInteger("rows")).isEqualTo(rows);
    assertThat(coverage.getInteger("covered") + coverage.getJsonArray("uncovered").size())
        .isEqualTo(rows);

    JsonObject strict =
        conforming(
                "validateRuleSet",
                analyst.post("/v1/rulesets/1/validate?strict=true").send().await())
            .bodyAsJsonObject();
    assertThat(strict.getBoolean("strict")).isTrue();
    assertThat(strict.getJsonArray("messages")).isEmpty();
    assertThat(strict.getBoolean("valid")).isTrue();
    assertThat(strict.getJsonObject("coverage").getInteger("rows")).isEqualTo(rows);
  }

  @Test
  @Order(5)
  void thePreview_ofACustomer_showsBothSides() {
    HttpResponse<Buffer> r =
        conforming("previewRuleSet", post(analyst, "/v1/rulesets/1/preview", TestApi.EXAMPLE));

    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("candidate").getInteger("version")).isEqualTo(1);
    assertThat(body.getJsonObject("active").getJsonObject("decision").getString("customerId"))
        .isEqualTo("c-1");
    assertThat(body.getJsonObject("candidate").getJsonArray("rows")).isNotEmpty();
    assertThat(body.getJsonArray("differences")).isEmpty();

    assertThat(post(analyst, "/v1/rulesets/99/preview", "{\"customerId\":\"c-1\"}").statusCode())
        .isEqualTo(404);
    assertThat(post(analyst, "/v1/rulesets/1/preview", "{\"customerId\": 7}").statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(6)
  void theLibrary_versionsAModelApartFromTheLiveRuleSet() {
    HttpResponse<Buffer> first =
        conforming("uploadLibraryModel", upload(contactPolicy(), "?comment=first"));
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(first.getHeader("Location")).isEqualTo("/v1/library/Contact%20Policy");
    assertThat(first.bodyAsJsonObject().getJsonObject("version").getInteger("version"))
        .isEqualTo(1);
    assertThat(
            upload(contactPolicy(), "")
                .bodyAsJsonObject()
                .getJsonObject("version")
                .getInteger("version"))
        .as("the same content")
        .isEqualTo(1);
    // One-Hit Wonders may now be contacted 5 times a week.
    String changed =
        contactPolicy()
            .replaceFirst(
                "(<outputEntry id=\"_CP_ContactLimits_dt_r03_o1\">\\s*<text>)2(</text>)", "$15$2");
    assertThat(
            upload(changed, "").bodyAsJsonObject().getJsonObject("version").getInteger("version"))
        .isEqualTo(2);

    JsonArray listed =
        conforming("listLibrary", agent.get("/v1/library").send().await()).bodyAsJsonArray();
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getInteger("version")).isEqualTo(2);
    JsonObject detail =
        conforming("getLibraryModel", agent.get("/v1/library/Contact%20Policy").send().await())
            .bodyAsJsonObject();
    assertThat(detail.getJsonArray("versions")).hasSize(2);
    assertThat(detail.getJsonObject("inputSchema").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrder("Quadrant", "Experience Index");

    JsonObject latest =
        conforming("evaluateLibraryModel", post(agent, "/v1/library/Contact%20Policy/evaluate", Q2))
            .bodyAsJsonObject();
    assertThat(
            latest
                .getJsonArray("decisions")
                .getJsonObject(0)
                .getJsonObject("result")
                .getInteger("max7Days"))
        .isEqualTo(5);
    // The live rule set still decides with its own table.
    assertThat(
            post(agent, "/v1/models/Contact%20Policy/evaluate", Q2)
                .bodyAsJsonObject()
                .getJsonArray("decisions")
                .getJsonObject(0)
                .getJsonObject("result")
                .getInteger("max7Days"))
        .isEqualTo(2);
    assertThat(
            analyst.get("/v1/rulesets").send().await().bodyAsJsonObject().getJsonArray("versions"))
        .hasSize(1);
  }

  @Test
  @Order(7)
  void kogitosRoutes_answerTheContextAndTheDmnResult() {
    JsonObject context =
        conforming("kogitoEvaluate", post(agent, "/models/Contact%20Policy?version=1", Q2))
            .bodyAsJsonObject();
    assertThat(context.getString("Quadrant")).isEqualTo("Q2");
    assertThat(context.getJsonObject("Contact Limits").getInteger("max7Days")).isEqualTo(2);

    JsonObject result =
        conforming("kogitoDmnResult", post(agent, "/models/Contact%20Policy/dmnresult", Q2))
            .bodyAsJsonObject();
    assertThat(result.getString("modelName")).isEqualTo("Contact Policy");
    JsonObject decision = result.getJsonArray("decisionResults").getJsonObject(0);
    assertThat(decision.getString("decisionName")).isEqualTo("Contact Limits");
    assertThat(decision.getString("evaluationStatus")).isEqualTo("SUCCEEDED");
    assertThat(decision.getString("decisionId")).isEqualTo("_CP_ContactLimits");
    assertThat(
            result
                .getJsonObject("dmnContext")
                .getJsonObject("Contact Limits")
                .getInteger("max7Days"))
        .isEqualTo(5);
  }

  @Test
  @Order(8)
  void theServedContract_describesEveryLibraryModel_withSchemasFromItsTypes() {
    JsonObject doc = agent.get("/openapi.json").send().await().bodyAsJsonObject();

    JsonObject inputs =
        doc.getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("Library.Contact_Policy.Inputs");
    assertThat(inputs.getBoolean("additionalProperties")).isFalse();
    assertThat(
            inputs
                .getJsonObject("properties")
                .getJsonObject("Experience Index")
                .getJsonArray("type")
                .getList())
        .containsExactly("number", "null");
    JsonObject results =
        doc.getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("Library.Contact_Policy.Results");
    assertThat(
            results
                .getJsonObject("properties")
                .getJsonObject("Contact Limits")
                .getJsonObject("properties")
                .fieldNames())
        .containsExactlyInAnyOrder("max7Days", "max30Days");
    assertThat(
            doc.getJsonObject("paths")
                .getJsonObject("/models/Contact%20Policy")
                .getJsonObject("post")
                .getJsonObject("requestBody")
                .encode())
        .contains("Library.Contact_Policy.Inputs");
    assertThat(doc.getJsonObject("paths").containsKey("/models/Contact%20Policy/dmnresult"))
        .isTrue();
  }

  @Test
  @Order(9)
  void badLibraryInput_isAClientErrorNamingWhatIsWrong() {
    HttpResponse<Buffer> notXml = upload("this is not DMN", "");
    assertThat(notXml.statusCode()).isEqualTo(422);
    assertThat(notXml.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(upload("", "").statusCode()).isBetween(400, 422);
    assertThat(agent.get("/v1/library/Nothing%20Here").send().await().statusCode()).isEqualTo(404);
    assertThat(post(agent, "/models/Nothing%20Here", "{}").statusCode()).isEqualTo(404);
    assertThat(agent.get("/v1/library/Contact%20Policy?version=9").send().await().statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> badInput =
        post(agent, "/models/Contact%20Policy", "{\"Experience Index\": \"high\"}");
    assertThat(badInput.statusCode()).isEqualTo(422);
    assertThat(
            badInput.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("Experience Index");
  }

  @Test
  @Order(10)
  void whatOnlyTheStrictValidatorRefuses_isAWarningUnlessStrictIsAsked() {
    // A PRIORITY table whose outputs list no values: the runtime evaluates it; the validator calls
    // it an error.
    String priority =
        contactPolicy()
            .replace("name=\"Contact Policy\"", "name=\"Priority Contact\"")
            .replaceFirst("hitPolicy=\"[A-Z ]+\"", "hitPolicy=\"PRIORITY\"");
    priority =
        priority.contains("hitPolicy=\"PRIORITY\"")
            ? priority
            : priority.replaceFirst(
                "<decisionTable id=\"([^\"]+)\"",
                "<decisionTable id=\"$1\" hitPolicy=\"PRIORITY\"");

    HttpResponse<Buffer> strict = upload(priority, "?strict=true");
    assertThat(strict.statusCode()).as(strict.bodyAsString()).isEqualTo(422);
    HttpResponse<Buffer> lenient = upload(priority, "");
    assertThat(lenient.statusCode()).as(lenient.bodyAsString()).isEqualTo(201);
    assertThat(
            lenient.bodyAsJsonObject().getJsonObject("version").getJsonArray("warnings").encode())
        .contains("strict validation");
    JsonObject r = post(agent, "/models/Priority%20Contact/dmnresult", Q2).bodyAsJsonObject();
    assertThat(r.getJsonArray("decisionResults").getJsonObject(0).getString("evaluationStatus"))
        .isEqualTo("SUCCEEDED");
  }
}
