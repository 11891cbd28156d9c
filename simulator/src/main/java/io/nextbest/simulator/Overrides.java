package io.nextbest.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.Quadrant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Parameter overrides for a what-if on one rule-set version, applied to a copy of its files so the
 * candidate is compiled and validated like any other version:
 *
 * <ul>
 *   <li>{@code experience.threshold=70}, {@code engagement.threshold=45}: the comparison cells of
 *       the Experience Level / Engagement Level decision tables (quadrant classification DMN)
 *   <li>{@code cap.Q3.max7Days=2}, {@code cap.Q1.max30Days=3}: the output cells of every Contact
 *       Limits row for that quadrant (contact policy DMN)
 *   <li>{@code lever.GROWTH=0.5}: a family lever in {@code arbitration.json}
 *   <li>{@code gap.compoundingWindowDays=30}, {@code gap.trendMinPoints=2}, {@code
 *       gap.gapSeverities=HIGH,CRITICAL}: an entry of the Gap Policy decision (gap policy DMN); a
 *       number, or for the severity lists the severities separated by commas
 * </ul>
 */
final class Overrides {
  private static final Pattern COMPARISON =
      Pattern.compile("^\\s*(>=|<=|>|<)\\s*(-?\\d+(?:\\.\\d+)?)\\s*$");
  private static final Pattern CAP = Pattern.compile("cap\\.(Q[1-4])\\.(max7Days|max30Days)");
  private static final Pattern GAP = Pattern.compile("gap\\.([A-Za-z][A-Za-z0-9]*)");
  static final String KEYS =
      "experience.threshold, engagement.threshold, cap.<Q1..Q4>.<max7Days|max30Days>, lever.<FAMILY>,"
          + " gap.<Gap Policy entry>";

  /** One {@code key=value}. */
  record Setting(String key, String value) {
    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  private Overrides() {}

  /** Parses and checks {@code key=value} settings, naming the first bad one. */
  static List<Setting> parse(List<String> settings) {
    List<Setting> out = new ArrayList<>();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException("override '" + s + "' is not key=value; keys: " + KEYS);
      }
      String key = s.substring(0, eq).strip();
      String value = s.substring(eq + 1).strip();
      if (key.equals("experience.threshold") || key.equals("engagement.threshold")) {
        double d = number(s, value);
        if (d < 0 || d > 100) {
          throw new IllegalArgumentException(
              "override '" + s + "': a threshold is an index value between 0 and 100");
        }
      } else if (CAP.matcher(key).matches()) {
        double d = number(s, value);
        if (d < 0 || d != Math.rint(d)) {
          throw new IllegalArgumentException(
              "override '" + s + "': a cap is a whole number of messages, 0 or more");
        }
        value = Long.toString((long) d);
      } else if (key.startsWith("lever.")) {
        String family = key.substring("lever.".length()).toUpperCase(Locale.ROOT);
        try {
          ActionFamily.valueOf(family);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "override '"
                  + s
                  + "': no action family "
                  + family
                  + "; families: "
                  + java.util.Arrays.toString(ActionFamily.values()));
        }
        if (number(s, value) < 0) {
          throw new IllegalArgumentException("override '" + s + "': a lever must not be negative");
        }
        key = "lever." + family;
      } else if (GAP.matcher(key).matches()) {
        value = gapValue(s, key, value);
      } else {
        throw new IllegalArgumentException("unknown override '" + key + "'; keys: " + KEYS);
      }
      out.add(new Setting(key, value));
    }
    return out;
  }

  /**
   * A Gap Policy entry's FEEL text: a non-negative number, or for an entry whose name ends in
   * "Severities" a list of severities.
   */
  private static String gapValue(String setting, String key, String value) {
    if (key.endsWith("Severities")) {
      List<String> quoted = new ArrayList<>();
      for (String part : value.split(",")) {
        String sev = part.strip().toUpperCase(Locale.ROOT);
        try {
          io.nextbest.engine.model.Severity.valueOf(sev);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "override '"
                  + setting
                  + "': '"
                  + part.strip()
                  + "' is not a severity; severities: "
                  + java.util.Arrays.toString(io.nextbest.engine.model.Severity.values()));
        }
        quoted.add("\"" + sev + "\"");
      }
      return "[" + String.join(", ", quoted) + "]";
    }
    double d = number(setting, value);
    if (d < 0) {
      throw new IllegalArgumentException(
          "override '" + setting + "': a gap policy setting must not be negative");
    }
    return d == Math.rint(d) && !value.contains(".") ? Long.toString((long) d) : value;
  }

  private static double number(String setting, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "override '" + setting + "': '" + value + "' is not a number");
    }
  }

  /** A copy of {@code source} with every override written into its files. */
  static RuleSetSource apply(RuleSetSource source, List<Setting> overrides, String name) {
    Map<String, byte[]> changed = new LinkedHashMap<>();
    Map<String, Document> dmn = new LinkedHashMap<>();
    ObjectNode arbitration = null;
    for (Setting o : overrides) {
      if (o.key().equals("experience.threshold")) {
        threshold(source, dmn, "Experience Level", o);
      } else if (o.key().equals("engagement.threshold")) {
        threshold(source, dmn, "Engagement Level", o);
      } else if (o.key().startsWith("cap.")) {
        Matcher m = CAP.matcher(o.key());
        m.matches();
        cap(source, dmn, Quadrant.valueOf(m.group(1)), m.group(2), o);
      } else if (o.key().startsWith("gap.")) {
        gap(source, dmn, o.key().substring("gap.".length()), o);
      } else {
        if (arbitration == null) {
          arbitration = arbitration(source);
        }
        String family = o.key().substring("lever.".length());
        JsonNode levers = arbitration.get("levers");
        if (!(levers instanceof ObjectNode l) || !l.has(family)) {
          throw new IllegalArgumentException(
              "override " + o + ": arbitration.json has no levers." + family);
        }
        l.put(family, Double.parseDouble(o.value()));
      }
    }
    dmn.forEach((path, doc) -> changed.put(path, write(doc)));
    if (arbitration != null) {
      try {
        changed.put(
            "arbitration.json",
            Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(arbitration));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return source.with(name, changed);
  }

  private static void threshold(
      RuleSetSource source, Map<String, Document> dmn, String decision, Setting o) {
    Element table = decisionTable(source, dmn, decision, o);
    int rewritten = 0;
    for (Element rule : children(table, "rule")) {
      List<Element> inputs = children(rule, "inputEntry");
      if (inputs.isEmpty()) {
        continue;
      }
      Element text = first(inputs.get(0), "text");
      String cell = text == null ? "" : text.getTextContent();
      Matcher m = COMPARISON.matcher(cell);
      if (m.matches()) {
        text.setTextContent(m.group(1) + " " + o.value());
        rewritten++;
      } else if (!cell.strip().equals("-")) {
        throw new IllegalArgumentException(
            "override "
                + o
                + ": rule "
                + rule.getAttribute("id")
                + " of '"
                + decision
                + "' reads '"
                + cell.strip()
                + "', not a single comparison such as '>= 60'; change the DMN itself for this rule set");
      }
    }
    if (rewritten == 0) {
      throw new IllegalArgumentException(
          "override " + o + ": no rule of '" + decision + "' compares the index with a number");
    }
  }

  private static void cap(
      RuleSetSource source,
      Map<String, Document> dmn,
      Quadrant quadrant,
      String output,
      Setting o) {
    Element table = decisionTable(source, dmn, "Contact Limits", o);
    List<Element> outputs = children(table, "output");
    int outIndex = -1;
    for (int i = 0; i < outputs.size(); i++) {
      if (output.equals(outputs.get(i).getAttribute("name"))) {
        outIndex = i;
      }
    }
    List<Element> inputs = children(table, "input");
    int inIndex = -1;
    for (int i = 0; i < inputs.size(); i++) {
      Element expr = first(inputs.get(i), "inputExpression");
      Element text = expr == null ? null : first(expr, "text");
      if ("Quadrant".equals(inputs.get(i).getAttribute("label"))
          || (text != null && "Quadrant".equals(text.getTextContent().strip()))) {
        inIndex = i;
      }
    }
    if (outIndex < 0 || inIndex < 0) {
      throw new IllegalArgumentException(
          "override " + o + ": 'Contact Limits' has no Quadrant input or no " + output + " output");
    }
    int rewritten = 0;
    for (Element rule : children(table, "rule")) {
      List<Element> in = children(rule, "inputEntry");
      List<Element> out = children(rule, "outputEntry");
      Element cell = in.size() > inIndex ? first(in.get(inIndex), "text") : null;
      String q = cell == null ? "" : cell.getTextContent().strip();
      if (q.equals("\"" + quadrant + "\"") || q.equals("-")) {
        Element target = out.size() > outIndex ? first(out.get(outIndex), "text") : null;
        if (target != null) {
          target.setTextContent(o.value());
          rewritten++;
        }
      }
    }
    if (rewritten == 0) {
      throw new IllegalArgumentException(
          "override " + o + ": no 'Contact Limits' row applies to " + quadrant);
    }
  }

  private static void gap(
      RuleSetSource source, Map<String, Document> dmn, String entry, Setting o) {
    Element decision = decision(source, dmn, "Gap Policy", o);
    Element context = first(decision, "context");
    if (context == null) {
      throw new IllegalArgumentException(
          "override " + o + ": the Gap Policy decision is not a context of settings");
    }
    List<String> names = new ArrayList<>();
    for (Element ce : children(context, "contextEntry")) {
      Element variable = first(ce, "variable");
      String name = variable == null ? "" : variable.getAttribute("name");
      names.add(name);
      if (name.equals(entry)) {
        Element literal = first(ce, "literalExpression");
        Element text = literal == null ? null : first(literal, "text");
        if (text == null) {
          throw new IllegalArgumentException(
              "override " + o + ": Gap Policy's " + entry + " is not a literal value");
        }
        text.setTextContent(o.value());
        return;
      }
    }
    throw new IllegalArgumentException(
        "override " + o + ": the Gap Policy has no entry '" + entry + "'; entries: " + names);
  }

  private static Element decisionTable(
      RuleSetSource source, Map<String, Document> dmn, String decision, Setting o) {
    Element d = decision(source, dmn, decision, o);
    Element table = first(d, "decisionTable");
    if (table == null) {
      throw new IllegalArgumentException(
          "override " + o + ": decision '" + decision + "' is not a decision table");
    }
    return table;
  }

  private static Element decision(
      RuleSetSource source, Map<String, Document> dmn, String decision, Setting o) {
    for (String path : source.list("dmn", ".dmn")) {
      Document doc = dmn.get(path);
      if (doc == null) {
        if (!source.text(path).contains("\"" + decision + "\"")) {
          continue;
        }
        doc = read(source.bytes(path), path);
      }
      NodeList decisions = doc.getElementsByTagNameNS("*", "decision");
      for (int i = 0; i < decisions.getLength(); i++) {
        Element d = (Element) decisions.item(i);
        if (decision.equals(d.getAttribute("name"))) {
          dmn.put(path, doc);
          return d;
        }
      }
    }
    throw new IllegalArgumentException(
        "override " + o + ": no DMN decision named '" + decision + "' in this rule set");
  }

  private static ObjectNode arbitration(RuleSetSource source) {
    try {
      JsonNode node = Json.mapper().readTree(source.bytes("arbitration.json"));
      if (node instanceof ObjectNode obj) {
        return obj;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("arbitration.json does not parse: " + e.getMessage());
    }
    throw new IllegalArgumentException("arbitration.json is not a JSON object");
  }

  /**
   * The engine's hardened parser: the one every DMN file is read with (no DOCTYPE, UTF-8, bounded
   * depth).
   */
  private static Document read(byte[] xml, String path) {
    try {
      return io.nextbest.engine.DmnXml.parse(xml);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " " + e.getMessage());
    }
  }

  private static byte[] write(Document doc) {
    try {
      TransformerFactory tf = TransformerFactory.newInstance();
      tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer t = tf.newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the rewritten DMN", e);
    }
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element first(Element parent, String localName) {
    List<Element> c = children(parent, localName);
    return c.isEmpty() ? null : c.get(0);
  }
}
