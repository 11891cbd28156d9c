package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult.DecisionEvaluationStatus;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNMessageType;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidator.Validation;
import org.kie.dmn.validation.DMNValidatorFactory;
import org.kie.kogito.dmn.DMNKogito;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The analyst-owned DMN models (G5 quadrants, G6/G16 family weights, G9 contact caps): they
 * validate cleanly, evaluate as documented, and carry a complete DMNDI diagram.
 */
class DmnModelsTest {

  private static final String DIR = "/nextbest/ruleset/dmn/";
  private static final String DMN_NS = "https://www.omg.org/spec/DMN/20230324/MODEL/";
  private static final String DMNDI_NS = "https://www.omg.org/spec/DMN/20230324/DMNDI/";

  private static final String CLASSIFICATION_NS = "https://nextbest.io/dmn/quadrant-classification";
  private static final String STRATEGY_NS = "https://nextbest.io/dmn/quadrant-strategy";
  private static final String CONTACT_NS = "https://nextbest.io/dmn/contact-policy";

  private static DMNRuntime runtime;

  @BeforeAll
  static void buildRuntime() throws IOException {
    runtime =
        DMNKogito.createGenericDMNRuntime(
            Collections.emptySet(),
            true,
            reader("quadrant-classification.dmn"),
            reader("quadrant-strategy.dmn"),
            reader("contact-policy.dmn"));
    assertThat(runtime.getModels()).hasSize(3);
  }

  // ------------------------------------------------------------------ validation

  @ParameterizedTest
  @ValueSource(
      strings = {"quadrant-classification.dmn", "quadrant-strategy.dmn", "contact-policy.dmn"})
  void modelPassesSchemaModelCompilationAndDecisionTableValidation(String file) throws IOException {
    DMNValidator validator = DMNValidatorFactory.newValidator();
    List<DMNMessage> messages;
    try {
      messages =
          validator.validate(
              new StringReader(text(file)),
              Validation.VALIDATE_SCHEMA,
              Validation.VALIDATE_MODEL,
              Validation.VALIDATE_COMPILATION,
              Validation.ANALYZE_DECISION_TABLE);
    } finally {
      validator.dispose();
    }
    assertThat(messages)
        .as("no ERROR from the validator for %s:%n%s", file, describe(messages))
        .noneMatch(m -> m.getSeverity() == DMNMessage.Severity.ERROR);
    assertThat(messages.stream().filter(m -> m.getSeverity() == DMNMessage.Severity.WARN))
        .as("WARN from the validator for %s:%n%s", file, describe(messages))
        .isEmpty();
  }

  /**
   * "Family Weights" answers every family's weight of a quadrant in one row (a list of {family,
   * weight}): one row per (quadrant, family) under COLLECT shared its input entry with seven
   * others, which the analysis reports as four First Normal Form violations on every validate.
   */
  @Test
  void familyWeightsTable_hasOneRowPerQuadrant_soNoFirstNormalFormViolation() throws IOException {
    DMNValidator validator = DMNValidatorFactory.newValidator();
    List<DMNMessage> messages;
    try {
      messages =
          validator.validate(
              reader("quadrant-strategy.dmn"),
              Validation.VALIDATE_SCHEMA,
              Validation.VALIDATE_MODEL,
              Validation.VALIDATE_COMPILATION,
              Validation.ANALYZE_DECISION_TABLE);
    } finally {
      validator.dispose();
    }
    assertThat(messages)
        .as(describe(messages))
        .noneMatch(m -> m.getMessageType() == DMNMessageType.DECISION_TABLE_1STNFVIOLATION);
    assertThat(text("quadrant-strategy.dmn").split("<rule id=", -1)).hasSize(5);
  }

  // ------------------------------------------------------------------ Quadrant Classification (G5)

  @ParameterizedTest(name = "experience {0}, engagement {1} -> {2}/{3} -> {4}")
  @CsvSource({
    "59.9, 49.9, LOW,  LOW,  Q1",
    "60,   49.9, HIGH, LOW,  Q2",
    "59.9, 50,   LOW,  HIGH, Q3",
    "60,   50,   HIGH, HIGH, Q4",
    "0,    0,    LOW,  LOW,  Q1",
    "100,  100,  HIGH, HIGH, Q4",
  })
  void quadrantClassificationSplitsAtExperienceSixtyAndEngagementFifty(
      BigDecimal experience,
      BigDecimal engagement,
      String expLevel,
      String engLevel,
      String quadrant) {
    DMNModel model = model(CLASSIFICATION_NS, "Quadrant Classification");
    DMNContext ctx = runtime.newContext();
    ctx.set("Experience Index", experience);
    ctx.set("Engagement Index", engagement);

    DMNResult result = runtime.evaluateAll(model, ctx);

    assertNoErrors(result);
    assertThat(result.getDecisionResultByName("Experience Level").getResult()).isEqualTo(expLevel);
    assertThat(result.getDecisionResultByName("Engagement Level").getResult()).isEqualTo(engLevel);
    assertThat(result.getDecisionResultByName("Quadrant").getResult()).isEqualTo(quadrant);
  }

  @Test
  void quadrantCanBeEvaluatedOnItsOwnByDecisionName() {
    DMNModel model = model(CLASSIFICATION_NS, "Quadrant Classification");
    DMNContext ctx = runtime.newContext();
    ctx.set("Experience Index", 72); // plain Java numbers are accepted too
    ctx.set("Engagement Index", 31.5d);

    DMNResult result = runtime.evaluateByName(model, ctx, "Quadrant");

    assertNoErrors(result);
    assertThat(result.getDecisionResultByName("Quadrant").getEvaluationStatus())
        .isEqualTo(DecisionEvaluationStatus.SUCCEEDED);
    assertThat(result.getDecisionResultByName("Quadrant").getResult()).isEqualTo("Q2");
  }

  @Test
  void outOfRangeIndexIsReportedAsAnError() {
    DMNModel model = model(CLASSIFICATION_NS, "Quadrant Classification");
    DMNContext ctx = runtime.newContext();
    ctx.set("Experience Index", 120);
    ctx.set("Engagement Index", 40);

    DMNResult result = runtime.evaluateByName(model, ctx, "Quadrant");

    assertThat(result.hasErrors()).isTrue();
  }

  // ------------------------------------------------------------------ Quadrant Strategy (G6, G16)

  @Test
  void familyWeightsForOneHitWonderListEveryFamilyOnceWithLoyaltyAtFullWeight() {
    List<Map<String, Object>> weights = familyWeights("Q2");

    assertThat(weights).hasSize(8);
    assertThat(weights)
        .allSatisfy(
            entry -> {
              assertThat(entry).containsOnlyKeys("family", "weight");
              assertThat(entry.get("family")).isInstanceOf(String.class);
              assertThat(entry.get("weight")).isInstanceOf(BigDecimal.class);
            });
    Map<String, BigDecimal> byFamily = byFamily(weights);
    assertThat(byFamily)
        .containsOnlyKeys(
            "EXPERIENCE_REPAIR",
            "PROACTIVE_SERVICE",
            "VALUE_CONTENT",
            "LOYALTY",
            "COMMUNITY",
            "ADVOCACY",
            "GROWTH",
            "FEEDBACK");
    assertThat(byFamily.get("LOYALTY")).isEqualByComparingTo("1.0");
    assertThat(byFamily.get("PROACTIVE_SERVICE")).isEqualByComparingTo("1.0");
    assertThat(byFamily.get("VALUE_CONTENT")).isEqualByComparingTo("1.0");
    assertThat(byFamily.get("GROWTH")).isEqualByComparingTo("0.5");
  }

  @ParameterizedTest(name = "{0}: top family {1} ({2}), lowest {3} ({4})")
  @CsvSource({
    "Q1, EXPERIENCE_REPAIR, 1.0, ADVOCACY, 0.1",
    "Q3, EXPERIENCE_REPAIR, 1.0, GROWTH,   0.1",
    "Q4, ADVOCACY,          1.0, FEEDBACK, 0.6",
  })
  void familyWeightsFollowTheQuadrantStrategy(
      String quadrant, String topFamily, String topWeight, String lowFamily, String lowWeight) {
    Map<String, BigDecimal> byFamily = byFamily(familyWeights(quadrant));

    assertThat(byFamily).hasSize(8);
    assertThat(byFamily.get(topFamily)).isEqualByComparingTo(topWeight);
    assertThat(byFamily.get(lowFamily)).isEqualByComparingTo(lowWeight);
  }

  @Test
  void growthWeighsMostForRelationshipChampions() {
    BigDecimal q4Growth = byFamily(familyWeights("Q4")).get("GROWTH");
    for (String other : List.of("Q1", "Q2", "Q3")) {
      assertThat(q4Growth).isGreaterThan(byFamily(familyWeights(other)).get("GROWTH"));
    }
  }

  // ------------------------------------------------------------------ Contact Policy (G9, G6)

  @ParameterizedTest(name = "{0} with experience {1} -> {2} per 7 days, {3} per 30 days")
  @CsvSource({
    "Q1, 29.9, 1, 2",
    "Q1, 30,   1, 4",
    "Q2, 0,    2, 6",
    "Q2, 100,  2, 6",
    "Q3, 25,   1, 2",
    "Q3, 30,   1, 3",
    "Q4, 79.9, 2, 6",
    "Q4, 80,   3, 8",
    "Q4, 85,   3, 8",
  })
  void contactLimitsAreCappedByQuadrantAndExperience(
      String quadrant, BigDecimal experience, int max7Days, int max30Days) {
    Map<String, Object> limits = contactLimits(quadrant, experience);

    assertThat(limits).containsOnlyKeys("max7Days", "max30Days");
    assertThat((BigDecimal) limits.get("max7Days"))
        .isEqualByComparingTo(BigDecimal.valueOf(max7Days));
    assertThat((BigDecimal) limits.get("max30Days"))
        .isEqualByComparingTo(BigDecimal.valueOf(max30Days));
  }

  @Test
  void pushyBrandGetsTighterCapsThanOneHitWonder() {
    Map<String, Object> q3 = contactLimits("Q3", new BigDecimal("50"));
    Map<String, Object> q2 = contactLimits("Q2", new BigDecimal("50"));

    assertThat((BigDecimal) q3.get("max7Days")).isLessThan((BigDecimal) q2.get("max7Days"));
    assertThat((BigDecimal) q3.get("max30Days")).isLessThan((BigDecimal) q2.get("max30Days"));
  }

  // ------------------------------------------------------------------ DMNDI

  @ParameterizedTest
  @ValueSource(
      strings = {"quadrant-classification.dmn", "quadrant-strategy.dmn", "contact-policy.dmn"})
  void diagramHasAShapeForEveryDrgElementAndAnEdgeForEveryRequirement(String file)
      throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc;
    try (InputStream in = stream(file)) {
      doc = dbf.newDocumentBuilder().parse(in);
    }
    Element definitions = doc.getDocumentElement();
    assertThat(definitions.getNamespaceURI()).isEqualTo(DMN_NS);

    Set<String> drgIds = new HashSet<>();
    Set<String> requirementIds = new HashSet<>();
    Set<String> drgTags =
        Set.of(
            "inputData",
            "decision",
            "businessKnowledgeModel",
            "knowledgeSource",
            "decisionService");
    for (Node n = definitions.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && DMN_NS.equals(e.getNamespaceURI())
          && drgTags.contains(e.getLocalName())) {
        drgIds.add(e.getAttribute("id"));
        NodeList reqs = e.getElementsByTagNameNS(DMN_NS, "informationRequirement");
        for (int i = 0; i < reqs.getLength(); i++) {
          requirementIds.add(((Element) reqs.item(i)).getAttribute("id"));
        }
      }
    }
    assertThat(drgIds).isNotEmpty();
    assertThat(requirementIds).isNotEmpty().doesNotContain("");

    NodeList diagrams = doc.getElementsByTagNameNS(DMNDI_NS, "DMNDiagram");
    assertThat(diagrams.getLength()).as("DMNDiagram count in %s", file).isEqualTo(1);
    Element diagram = (Element) diagrams.item(0);

    Set<String> shapeRefs = refs(diagram.getElementsByTagNameNS(DMNDI_NS, "DMNShape"));
    Set<String> edgeRefs = refs(diagram.getElementsByTagNameNS(DMNDI_NS, "DMNEdge"));
    assertThat(shapeRefs).as("shapes in %s", file).containsExactlyInAnyOrderElementsOf(drgIds);
    assertThat(edgeRefs)
        .as("edges in %s", file)
        .containsExactlyInAnyOrderElementsOf(requirementIds);

    NodeList shapes = diagram.getElementsByTagNameNS(DMNDI_NS, "DMNShape");
    for (int i = 0; i < shapes.getLength(); i++) {
      assertThat(
              ((Element) shapes.item(i))
                  .getElementsByTagNameNS("http://www.omg.org/spec/DMN/20180521/DC/", "Bounds")
                  .getLength())
          .as("bounds of shape %s", ((Element) shapes.item(i)).getAttribute("dmnElementRef"))
          .isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<Map<String, Object>> familyWeights(String quadrant) {
    DMNModel model = model(STRATEGY_NS, "Quadrant Strategy");
    DMNContext ctx = runtime.newContext();
    ctx.set("Quadrant", quadrant);
    DMNResult result = runtime.evaluateByName(model, ctx, "Family Weights");
    assertNoErrors(result);
    Object value = result.getDecisionResultByName("Family Weights").getResult();
    assertThat(value).isInstanceOf(List.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) value;
    return list;
  }

  private static Map<String, BigDecimal> byFamily(List<Map<String, Object>> weights) {
    Map<String, BigDecimal> byFamily =
        weights.stream()
            .collect(
                Collectors.toMap(e -> (String) e.get("family"), e -> (BigDecimal) e.get("weight")));
    assertThat(byFamily).as("one entry per family").hasSameSizeAs(weights);
    return byFamily;
  }

  private static Map<String, Object> contactLimits(String quadrant, BigDecimal experience) {
    DMNModel model = model(CONTACT_NS, "Contact Policy");
    DMNContext ctx = runtime.newContext();
    ctx.set("Quadrant", quadrant);
    ctx.set("Experience Index", experience);
    DMNResult result = runtime.evaluateByName(model, ctx, "Contact Limits");
    assertNoErrors(result);
    Object value = result.getDecisionResultByName("Contact Limits").getResult();
    assertThat(value).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map;
  }

  private static DMNModel model(String namespace, String name) {
    DMNModel model = runtime.getModel(namespace, name);
    assertThat(model).as("model %s", name).isNotNull();
    assertThat(model.hasErrors())
        .as("compilation messages of %s: %s", name, model.getMessages())
        .isFalse();
    return model;
  }

  private static void assertNoErrors(DMNResult result) {
    assertThat(result.hasErrors())
        .as("evaluation messages: %s", describe(result.getMessages()))
        .isFalse();
  }

  private static Set<String> refs(NodeList elements) {
    Set<String> refs = new HashSet<>();
    for (int i = 0; i < elements.getLength(); i++) {
      String ref = ((Element) elements.item(i)).getAttribute("dmnElementRef");
      refs.add(ref.substring(ref.indexOf(':') + 1)); // drop an optional namespace prefix
    }
    return refs;
  }

  private static String describe(List<DMNMessage> messages) {
    List<String> lines = new ArrayList<>();
    for (DMNMessage m : messages) {
      lines.add(
          m.getSeverity() + " " + m.getMessageType() + " [" + m.getSourceId() + "] " + m.getText());
    }
    return String.join(System.lineSeparator(), lines);
  }

  private static InputStream stream(String file) {
    InputStream in = DmnModelsTest.class.getResourceAsStream(DIR + file);
    assertThat(in).as("classpath resource %s", DIR + file).isNotNull();
    return in;
  }

  private static Reader reader(String file) {
    return new InputStreamReader(stream(file), StandardCharsets.UTF_8);
  }

  private static String text(String file) throws IOException {
    try (InputStream in = stream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
