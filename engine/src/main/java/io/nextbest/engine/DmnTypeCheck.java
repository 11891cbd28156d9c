package io.nextbest.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Static type check of decision-table cells against their columns' types, which the DMN validator
 * leaves to run time: a quoted text in a number column, a number in a text column, a value outside
 * a type's allowed values. Analysts see these at upload instead of as a failed decision in
 * production.
 */
final class DmnTypeCheck {
  private static final Pattern QUOTED = Pattern.compile("^\\s*\"[^\"]*\"\\s*$");
  private static final Pattern NUMBER = Pattern.compile("^\\s*-?\\d+(\\.\\d+)?\\s*$");
  private static final Pattern NUMERIC_TEST =
      Pattern.compile(
          "^\\s*(<=|>=|<|>|=)?\\s*-?\\d+(\\.\\d+)?\\s*$|^\\s*[\\[(\\]]\\s*-?\\d+(\\.\\d+)?\\s*\\.\\.\\s*-?\\d+(\\.\\d+)?\\s*[\\])\\[]\\s*$");
  private static final Pattern BOOLEAN = Pattern.compile("^\\s*(true|false)\\s*$");

  private record Type(String base, List<String> allowed) {}

  private DmnTypeCheck() {}

  static List<RuleSetMessage> check(String file, String xml) {
    List<RuleSetMessage> out = new ArrayList<>();
    Document doc;
    try {
      doc = DmnXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return out; // the schema validation reports unreadable XML
    }
    Map<String, Element> items = new HashMap<>();
    NodeList defs = doc.getElementsByTagNameNS("*", "itemDefinition");
    for (int i = 0; i < defs.getLength(); i++) {
      Element e = (Element) defs.item(i);
      items.put(e.getAttribute("name"), e);
    }
    NodeList decisions = doc.getElementsByTagNameNS("*", "decision");
    for (int i = 0; i < decisions.getLength(); i++) {
      Element decision = (Element) decisions.item(i);
      Element table = DmnXml.child(decision, "decisionTable");
      if (table == null) {
        continue;
      }
      String name = decision.getAttribute("name");
      List<Type> inputs = new ArrayList<>();
      List<String> inputNames = new ArrayList<>();
      for (Element in : DmnXml.children(table, "input")) {
        Element expr = DmnXml.child(in, "inputExpression");
        inputs.add(resolve(expr == null ? "" : expr.getAttribute("typeRef"), items));
        inputNames.add(
            expr == null ? in.getAttribute("label") : DmnXml.text(DmnXml.child(expr, "text")));
      }
      List<Element> outputEls = DmnXml.children(table, "output");
      List<Type> outputs = new ArrayList<>();
      List<String> outputNames = new ArrayList<>();
      for (Element o : outputEls) {
        String typeRef = o.getAttribute("typeRef");
        if (typeRef.isBlank() && outputEls.size() == 1) {
          typeRef =
              !table.getAttribute("typeRef").isBlank()
                  ? table.getAttribute("typeRef")
                  : variableType(decision);
        }
        outputs.add(resolve(typeRef, items));
        outputNames.add(o.getAttribute("name").isBlank() ? name : o.getAttribute("name"));
      }
      int row = 0;
      for (Element rule : DmnXml.children(table, "rule")) {
        row++;
        List<Element> ins = DmnXml.children(rule, "inputEntry");
        for (int k = 0; k < ins.size() && k < inputs.size(); k++) {
          String problem =
              inputProblem(inputs.get(k), DmnXml.text(DmnXml.child(ins.get(k), "text")));
          if (problem != null) {
            out.add(
                message(
                    file,
                    xml,
                    ins.get(k),
                    rule,
                    name,
                    row,
                    "input '" + inputNames.get(k) + "' " + problem));
          }
        }
        List<Element> outs = DmnXml.children(rule, "outputEntry");
        for (int k = 0; k < outs.size() && k < outputs.size(); k++) {
          String problem =
              outputProblem(outputs.get(k), DmnXml.text(DmnXml.child(outs.get(k), "text")));
          if (problem != null) {
            out.add(
                message(
                    file,
                    xml,
                    outs.get(k),
                    rule,
                    name,
                    row,
                    "output '" + outputNames.get(k) + "' " + problem));
          }
        }
      }
    }
    return out;
  }

  private static String inputProblem(Type type, String entry) {
    if (type == null || entry.isBlank() || entry.equals("-")) {
      return null;
    }
    for (String part : entry.split(",")) {
      String p = part.strip();
      if (p.startsWith("not(")) {
        continue;
      }
      if (type.base().equals("number") && QUOTED.matcher(p).matches()) {
        return "is a number but the row tests text " + p;
      }
      if (type.base().equals("string") && NUMERIC_TEST.matcher(p).matches()) {
        return "is text but the row tests a number " + p;
      }
      if (type.base().equals("string")
          && QUOTED.matcher(p).matches()
          && !type.allowed().isEmpty()
          && !type.allowed().contains(p)) {
        return "allows " + type.allowed() + " but the row tests " + p;
      }
    }
    return null;
  }

  private static String outputProblem(Type type, String entry) {
    if (type == null || entry.isBlank()) {
      return null;
    }
    boolean quoted = QUOTED.matcher(entry).matches();
    boolean number = NUMBER.matcher(entry).matches();
    boolean bool = BOOLEAN.matcher(entry).matches();
    switch (type.base()) {
      case "number" -> {
        if (quoted || bool) {
          return "is a number but the row gives " + entry;
        }
      }
      case "string" -> {
        if (number || bool) {
          return "is text but the row gives " + entry;
        }
        if (quoted && !type.allowed().isEmpty() && !type.allowed().contains(entry.strip())) {
          return "allows " + type.allowed() + " but the row gives " + entry;
        }
      }
      case "boolean" -> {
        if (quoted || number) {
          return "is true/false but the row gives " + entry;
        }
      }
      default -> {
        return null;
      }
    }
    return null;
  }

  private static Type resolve(String typeRef, Map<String, Element> items) {
    String name = typeRef;
    List<String> allowed = List.of();
    for (int depth = 0; depth < 8 && name != null && !name.isBlank(); depth++) {
      Element def = items.get(name);
      if (def == null) {
        return List.of("number", "string", "boolean").contains(name)
            ? new Type(name, allowed)
            : null;
      }
      if ("true".equals(def.getAttribute("isCollection"))) {
        return null;
      }
      Element av = DmnXml.child(def, "allowedValues");
      if (av != null && allowed.isEmpty()) {
        List<String> values = new ArrayList<>();
        for (String v : DmnXml.text(DmnXml.child(av, "text")).split(",")) {
          if (QUOTED.matcher(v).matches()) {
            values.add(v.strip());
          }
        }
        allowed = values;
      }
      Element ref = DmnXml.child(def, "typeRef");
      name = ref == null ? null : DmnXml.text(ref);
    }
    return null;
  }

  private static String variableType(Element decision) {
    Element v = DmnXml.child(decision, "variable");
    return v == null ? "" : v.getAttribute("typeRef");
  }

  private static RuleSetMessage message(
      String file, String xml, Element entry, Element rule, String decision, int row, String text) {
    String id =
        !entry.getAttribute("id").isBlank() ? entry.getAttribute("id") : rule.getAttribute("id");
    Integer line = null;
    int at = id.isBlank() ? -1 : xml.indexOf("id=\"" + id + "\"");
    if (at >= 0) {
      line = 1;
      for (int i = 0; i < at; i++) {
        if (xml.charAt(i) == '\n') {
          line++;
        }
      }
    }
    return new RuleSetMessage(
        "ERROR",
        file,
        line,
        id.isBlank() ? decision : id,
        "type mismatch in '" + decision + "', row " + row + ": " + text);
  }
}
