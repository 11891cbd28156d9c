package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Uploaded DMN meets the hardened parser first and never reaches host code. */
class DmnScreenTest {
  static final String HEAD =
      "<definitions xmlns=\"https://www.omg.org/spec/DMN/20230324/MODEL/\" id=\"_M\" name=\"M\" namespace=\"https://example.org/m\">";

  static String model(String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + HEAD + body + "</definitions>";
  }

  static DmnScreen.Findings screen(String xml) {
    return DmnScreen.screen("dmn/m.dmn", xml.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> texts(List<RuleSetMessage> messages) {
    return messages.stream().map(RuleSetMessage::text).toList();
  }

  static final String FEEL_EXTERNAL =
      "<decision id=\"_D\" name=\"Prop\"><literalExpression id=\"_LE\"><text>(function(k) external { java: { class: \"java.lang.System\", method signature: \"getProperty(java.lang.String)\" } })(\"x\")</text></literalExpression></decision>";

  @Test
  void aPlainFeelModel_isClean() {
    assertThat(
            screen(
                    model(
                        "<decision id=\"_D\" name=\"D\"><literalExpression><text>function(a) a + 1</text></literalExpression></decision>"))
                .clean())
        .isTrue();
  }

  @Test
  void aFeelExternalJavaFunction_isHostCode_namingTheDecision() {
    DmnScreen.Findings f = screen(model(FEEL_EXTERNAL));
    assertThat(f.unreadable()).isEmpty();
    assertThat(f.hostCode())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.element()).isEqualTo("_LE");
              assertThat(m.text()).contains("decision 'Prop'").contains("external (Java) function");
            });
  }

  @Test
  void anExternalFunctionSplitByAnXmlComment_orWrittenWithCharacterReferences_isStillFound() {
    assertThat(
            screen(model(FEEL_EXTERNAL.replace("external {", "exter<!-- x -->nal /* c */ {")))
                .hostCode())
        .hasSize(1);
    assertThat(
            screen(model(FEEL_EXTERNAL.replace("external {", "&#101;xternal\n// line\n{")))
                .hostCode())
        .hasSize(1);
    assertThat(
            screen(
                    model(
                        FEEL_EXTERNAL
                            .replace("<text>", "<text><![CDATA[")
                            .replace("</text>", "]]></text>")))
                .hostCode())
        .hasSize(1);
  }

  @Test
  void aMillionUnclosedCommentsAfterExternal_areScannedOnce_andRefused() {
    String hostile = "external /*".repeat(200_000);
    assertThat(DmnScreen.external(hostile)).isTrue();
    assertThat(DmnScreen.external("external" + " ".repeat(500) + "{"))
        .as("a gap too long to be innocent")
        .isTrue();
    assertThat(DmnScreen.external("external")).isFalse();
    assertThat(DmnScreen.external("my_external {")).isFalse();
  }

  @Test
  void aNameThatMerelyContainsExternal_isClean() {
    assertThat(
            screen(
                    model(
                        "<decision id=\"_D\" name=\"D\"><literalExpression><text>{external: 1, externalScore: 2}.external</text></literalExpression></decision>"))
                .clean())
        .isTrue();
  }

  @Test
  void javaAndPmmlFunctionKinds_areHostCode() {
    String bkm =
        "<businessKnowledgeModel id=\"_B\" name=\"getprop\"><encapsulatedLogic id=\"_FD\" kind=\"%s\"><literalExpression><text>1</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>";
    assertThat(texts(screen(model(bkm.formatted("Java"))).hostCode()))
        .singleElement()
        .asString()
        .contains("businessKnowledgeModel 'getprop'")
        .contains("kind=\"Java\"");
    assertThat(screen(model(bkm.formatted("PMML"))).hostCode()).hasSize(1);
    assertThat(screen(model(bkm.formatted("FEEL"))).clean()).isTrue();
    String inContext =
        "<decision id=\"_D\" name=\"D\"><context><contextEntry><variable name=\"f\"/><functionDefinition id=\"_F\" kind=\"J\"/></contextEntry></context></decision>";
    assertThat(screen(model(inContext)).hostCode())
        .singleElement()
        .satisfies(m -> assertThat(m.element()).isEqualTo("_F"));
  }

  @Test
  void aNonDmnImport_isHostCode() {
    assertThat(
            screen(
                    model(
                        "<import id=\"_I\" name=\"p\" namespace=\"x\" importType=\"https://www.dmg.org/PMML-4_4\" locationURI=\"m.pmml\"/>"))
                .hostCode())
        .hasSize(1);
    assertThat(
            screen(
                    model(
                        "<import name=\"o\" namespace=\"x\" importType=\"https://www.omg.org/spec/DMN/20230324/MODEL/\"/>"))
                .clean())
        .isTrue();
  }

  @Test
  void aDoctype_isRefusedWithoutFetchingIt() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(300);
      String xml =
          "<?xml version=\"1.0\"?>\n<!DOCTYPE definitions SYSTEM \"http://127.0.0.1:"
              + listener.getLocalPort()
              + "/x.dtd\">\n"
              + HEAD
              + "</definitions>";
      DmnScreen.Findings f = screen(xml);
      assertThat(texts(f.unreadable()))
          .singleElement()
          .asString()
          .contains("DOCTYPE declaration is not allowed");
      boolean fetched;
      try {
        listener.accept().close();
        fetched = true;
      } catch (SocketTimeoutException e) {
        fetched = false;
      }
      assertThat(fetched).as("the DTD was fetched").isFalse();
    }
  }

  @Test
  void billionLaughs_isRefusedAtTheDoctype() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE definitions [<!ENTITY l0 \"ha\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY l")
          .append(i)
          .append(" \"")
          .append(("&l" + (i - 1) + ";").repeat(10))
          .append("\">");
    }
    dtd.append("]>");
    assertThat(
            texts(
                screen(dtd + HEAD + "<description>&l9;</description></definitions>").unreadable()))
        .singleElement()
        .asString()
        .contains("DOCTYPE");
  }

  @Test
  void deepNesting_isRefused() {
    String deep =
        "<extensionElements>".repeat(DmnXml.MAX_DEPTH + 5)
            + "</extensionElements>".repeat(DmnXml.MAX_DEPTH + 5);
    assertThat(texts(screen(model(deep)).unreadable()))
        .singleElement()
        .asString()
        .contains("nested deeper than " + DmnXml.MAX_DEPTH);
  }

  @Test
  void notXml_invalidUtf8_andAForeignEncoding_saySoPlainly() {
    assertThat(texts(screen("rule \"x\" when then end").unreadable()))
        .singleElement()
        .asString()
        .contains("is not well-formed XML at line 1")
        .doesNotContain("null");
    byte[] latin1 =
        model("<description>caf\u00e9</description>")
            .replace("UTF-8", "ISO-8859-1")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(texts(DmnScreen.screen("dmn/m.dmn", latin1).unreadable()))
        .singleElement()
        .asString()
        .contains("is not UTF-8");
    assertThat(texts(screen(model("").replace("UTF-8", "ISO-8859-1")).unreadable()))
        .singleElement()
        .asString()
        .contains("declares encoding \"ISO-8859-1\"");
    assertThat(texts(screen("<?xml version=\"1.0\"?><html/>").unreadable()))
        .singleElement()
        .asString()
        .contains("not a DMN model");
  }
}
