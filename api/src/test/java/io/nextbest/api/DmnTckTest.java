package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.DmnEvaluator;
import io.nextbest.engine.DmnXml;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;

/**
 * The public DMN TCK (dmn-tck/tck, Apache-2.0), compliance level 2, through the model library's
 * HTTP endpoints as a client would use them: every model is uploaded to {@code POST /v1/library}
 * (lenient, the default: the validator's findings are warnings), every test case's inputs are
 * posted to Kogito's {@code POST /models/{name}/dmnresult}, and every expected result must come
 * back, with the decision SUCCEEDED (an expected null, such as a division by zero, with any
 * status).
 *
 * <p>The suite is data from another project, so it is not in this repository: the test reads it
 * from {@code -Dnba.tck.dir}, {@code NBA_TCK_DIR}, or {@code shared/data/dmn-tck} beside the
 * checkout (the TCK's {@code TestCases} folders, e.g. {@code compliance-level-2/0118-...}), and is
 * skipped when none is there.
 */
@ExtendWith(VertxExtension.class)
class DmnTckTest {
  private static final ObjectMapper JSON = DmnEvaluator.jsonMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  static WebClient analyst;
  static Path suite;

  @BeforeAll
  static void start(Vertx vertx) {
    suite = locate();
    Assumptions.assumeTrue(
        suite != null,
        "the DMN TCK is not on this machine: set -Dnba.tck.dir or NBA_TCK_DIR to its TestCases folder");
    ApiConfig config = TestApi.config();
    TestApi.start(vertx, config);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
  }

  private static Path locate() {
    List<String> candidates = new ArrayList<>();
    if (System.getProperty("nba.tck.dir") != null) {
      candidates.add(System.getProperty("nba.tck.dir"));
    }
    if (System.getenv("NBA_TCK_DIR") != null) {
      candidates.add(System.getenv("NBA_TCK_DIR"));
    }
    candidates.add(Path.of("..", "..", "shared", "data", "dmn-tck").toString());
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isDirectory(p.resolve("compliance-level-2"))) {
        return p;
      }
    }
    return null;
  }

  record Outcome(int cases, List<String> failures) {}

  @Test
  void everyComplianceLevel2TestCase_passesThroughTheModelEndpoints() throws IOException {
    List<Path> models;
    try (Stream<Path> dirs = Files.list(suite.resolve("compliance-level-2"))) {
      models = dirs.filter(Files::isDirectory).sorted().toList();
    }
    int cases = 0;
    List<String> failures = new ArrayList<>();
    for (Path dir : models) {
      Outcome o = run(dir);
      cases += o.cases();
      failures.addAll(o.failures());
    }
    assertThat(failures).as("TCK test cases that failed").isEmpty();
    // 28 models, 116 test cases (126 results) in the TCK's compliance level 2
    assertThat(models).hasSize(28);
    assertThat(cases).isEqualTo(116);
  }

  private Outcome run(Path dir) throws IOException {
    String base = dir.getFileName().toString();
    Path dmn = dir.resolve(base + ".dmn");
    HttpResponse<Buffer> up =
        analyst
            .post("/v1/library")
            .addQueryParam("file", base + ".dmn")
            .putHeader("Content-Type", "application/xml")
            .sendBuffer(Buffer.buffer(Files.readAllBytes(dmn)))
            .await();
    if (up.statusCode() != 201) {
      return new Outcome(
          0, List.of(base + ": upload answered " + up.statusCode() + " " + up.bodyAsString()));
    }
    String name = up.bodyAsJsonObject().getJsonObject("version").getString("name");
    String path =
        "/models/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
            + "/dmnresult";
    int cases = 0;
    List<String> failures = new ArrayList<>();
    List<Path> tests;
    try (Stream<Path> files = Files.list(dir)) {
      tests =
          files
              .filter(f -> f.getFileName().toString().matches(".*-test-\\d+\\.xml"))
              .sorted()
              .toList();
    }
    for (Path test : tests) {
      Element root = DmnXml.parse(Files.readAllBytes(test)).getDocumentElement();
      for (Element tc : DmnXml.children(root, "testCase")) {
        cases++;
        String id = base + " #" + tc.getAttribute("id");
        ObjectNode inputs = NODES.objectNode();
        for (Element in : DmnXml.children(tc, "inputNode")) {
          inputs.set(in.getAttribute("name"), value(in));
        }
        HttpResponse<Buffer> r =
            analyst
                .post(path)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(JSON.writeValueAsBytes(inputs)))
                .await();
        if (r.statusCode() != 200) {
          failures.add(id + ": answered " + r.statusCode() + " " + r.bodyAsString());
          continue;
        }
        JsonNode body = JSON.readTree(r.body().getBytes());
        for (Element rn : DmnXml.children(tc, "resultNode")) {
          String decision = rn.getAttribute("name");
          JsonNode expected = value(DmnXml.child(rn, "expected"));
          JsonNode result = null;
          String status = null;
          for (JsonNode d : body.get("decisionResults")) {
            if (decision.equals(d.get("decisionName").asText())) {
              result = d.get("result");
              status = d.get("evaluationStatus").asText();
            }
          }
          // As the TCK's runners judge: the value. An expected null (1/0) comes with the runtime's
          // error message.
          boolean ok =
              expected.isNull()
                  ? result != null && result.isNull()
                  : "SUCCEEDED".equals(status) && same(expected, result);
          if (!ok) {
            failures.add(
                id
                    + " "
                    + decision
                    + ": expected "
                    + expected
                    + ", got "
                    + status
                    + " "
                    + result
                    + " "
                    + body.get("messages"));
          }
        }
      }
    }
    return new Outcome(cases, failures);
  }

  /**
   * A TCK value (valueType: a typed value, components, or a list of items) as the JSON a client
   * sends.
   */
  private static JsonNode value(Element e) {
    if (e == null || "true".equals(e.getAttributeNS(XSI, "nil"))) {
      return NODES.nullNode();
    }
    Element v = DmnXml.child(e, "value");
    if (v != null) {
      if ("true".equals(v.getAttributeNS(XSI, "nil"))) {
        return NODES.nullNode();
      }
      String type = v.getAttributeNS(XSI, "type");
      String text = v.getTextContent().strip();
      String local = type.contains(":") ? type.substring(type.indexOf(':') + 1) : type;
      return switch (local) {
        case "decimal", "double", "integer", "int", "long", "float" ->
            NODES.numberNode(new BigDecimal(text));
        case "boolean" -> NODES.booleanNode(Boolean.parseBoolean(text));
        default -> NODES.textNode(v.getTextContent());
      };
    }
    Element list = DmnXml.child(e, "list");
    if (list != null) {
      ArrayNode a = NODES.arrayNode();
      for (Element item : DmnXml.children(list, "item")) {
        a.add(value(item));
      }
      return a;
    }
    List<Element> components = DmnXml.children(e, "component");
    if (!components.isEmpty()) {
      ObjectNode o = NODES.objectNode();
      for (Element c : components) {
        o.set(c.getAttribute("name"), value(c));
      }
      return o;
    }
    return NODES.nullNode();
  }

  /**
   * The TCK's own Java runners' tolerance (its Camunda runners compare numbers to 1e-8): expected
   * values are written to 15 significant digits, the runtime answers up to 34 (0008's payment, for
   * one).
   */
  private static final BigDecimal TOLERANCE = new BigDecimal("0.00000001");

  /**
   * Equal as values: numbers within {@link #TOLERANCE}, objects field by field, arrays in order.
   */
  private static boolean same(JsonNode expected, JsonNode actual) {
    if (actual == null) {
      return false;
    }
    if (expected.isNumber() && actual.isNumber()) {
      return expected.decimalValue().subtract(actual.decimalValue()).abs().compareTo(TOLERANCE) < 0;
    }
    if (expected.isObject() && actual.isObject()) {
      if (expected.size() != actual.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!same(f.getValue(), actual.get(f.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!same(expected.get(i), actual.get(i))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(actual);
  }
}
