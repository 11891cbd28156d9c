package io.nextbest.api;

import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.StandaloneModel;
import io.nextbest.engine.library.ModelLibrary;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The contract as served: the document itself, plus for every model of the library (its latest
 * version) an input and a result schema generated from its DMN types, and its two Kogito routes
 * described with them — what Kogito's generated OpenAPI gives per model. With an empty library the
 * document is served byte for byte as it is.
 */
final class LibrarySchemas {
  private LibrarySchemas() {}

  static Buffer document(Buffer contract, ModelLibrary library) {
    List<ModelLibrary.ModelVersion> models = library.models();
    if (models.isEmpty()) {
      return contract.copy();
    }
    JsonObject doc = new JsonObject(contract.copy());
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    JsonObject paths = doc.getJsonObject("paths");
    for (ModelLibrary.ModelVersion v : models) {
      StandaloneModel m = library.model(v.name(), v.version());
      DmnEvaluator.Schemas generated = DmnEvaluator.schemas(m);
      String id = safe(v.name());
      JsonObject inputs =
          new JsonObject(generated.inputs().toString())
              .put("description", "inputs of DMN model '" + v.name() + "' v" + v.version());
      JsonObject results =
          new JsonObject(generated.results().toString())
              .put(
                  "description",
                  "decision results of DMN model '" + v.name() + "' v" + v.version());
      JsonObject context =
          new JsonObject()
              .put("type", "object")
              .put("additionalProperties", false)
              .put(
                  "description",
                  "the context after evaluating '" + v.name() + "': inputs and decisions");
      JsonObject props = new JsonObject();
      inputs.getJsonObject("properties").forEach(e -> props.put(e.getKey(), e.getValue()));
      results.getJsonObject("properties").forEach(e -> props.put(e.getKey(), e.getValue()));
      context.put("properties", props);
      schemas
          .put("Library." + id + ".Inputs", inputs)
          .put("Library." + id + ".Results", results)
          .put("Library." + id + ".Context", context);
      String path =
          "/models/" + URLEncoder.encode(v.name(), StandardCharsets.UTF_8).replace("+", "%20");
      paths.put(
          path,
          new JsonObject()
              .put(
                  "post",
                  operation(
                      "kogitoEvaluate." + id,
                      "Evaluate '"
                          + v.name()
                          + "' (library v"
                          + v.version()
                          + "), Kogito's context answer",
                      id,
                      "#/components/schemas/Library." + id + ".Context")));
      paths.put(
          path + "/dmnresult",
          new JsonObject()
              .put(
                  "post",
                  operation(
                      "kogitoDmnResult." + id,
                      "Evaluate '"
                          + v.name()
                          + "' (library v"
                          + v.version()
                          + "), Kogito's DMN result",
                      id,
                      "#/components/schemas/KogitoResult")));
    }
    return doc.toBuffer();
  }

  private static JsonObject operation(
      String operationId, String summary, String id, String answer) {
    return new JsonObject()
        .put("operationId", operationId)
        .put("summary", summary)
        .put("tags", new JsonArray().add("library"))
        .put(
            "security",
            new JsonArray()
                .add(new JsonObject().put("apiKey", new JsonArray()))
                .add(new JsonObject().put("bearerJwt", new JsonArray())))
        .put("x-roles", new JsonArray().add("agent").add("analyst"))
        .put(
            "requestBody",
            new JsonObject()
                .put("required", false)
                .put("description", "the model's inputs")
                .put(
                    "content",
                    new JsonObject()
                        .put(
                            ApiVerticle.JSON,
                            new JsonObject()
                                .put(
                                    "schema",
                                    new JsonObject()
                                        .put(
                                            "$ref",
                                            "#/components/schemas/Library." + id + ".Inputs")))))
        .put(
            "responses",
            new JsonObject()
                .put(
                    "200",
                    new JsonObject()
                        .put("description", "evaluated")
                        .put(
                            "content",
                            new JsonObject()
                                .put(
                                    ApiVerticle.JSON,
                                    new JsonObject()
                                        .put("schema", new JsonObject().put("$ref", answer)))))
                .put("401", new JsonObject().put("$ref", "#/components/responses/Unauthorized"))
                .put("403", new JsonObject().put("$ref", "#/components/responses/Forbidden"))
                .put(
                    "422",
                    new JsonObject().put("$ref", "#/components/responses/UnprocessableContent")));
  }

  /** A model name as a schema name may spell it ({@code ^[A-Za-z0-9._-]+$}). */
  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
