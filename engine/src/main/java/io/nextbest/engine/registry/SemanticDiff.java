package io.nextbest.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.DmnXml;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What changed between two rule-set versions, in the analyst's terms: decision-table rows added,
 * removed or changed, thresholds moved, data values changed — not a text diff of the XML.
 */
public final class SemanticDiff {
  private static final Pattern COMPARISON =
      Pattern.compile("^\\s*(<=|>=|<|>|=)?\\s*(-?\\d+(?:\\.\\d+)?)\\s*$");

  public record Result(int from, int to, List<Change> changes) {
    public Result {
      changes = List.copyOf(changes);
    }
  }

  private record Row(String id, List<String> inputs, List<String> outputs, String annotation) {}

  private record Table(
      String hitPolicy,
      List<String> inputLabels,
      List<String> outputLabels,
      List<Row> rows,
      String literal) {}

  private SemanticDiff() {}

  public static Result between(int fromSeq, RuleSetSource from, int toSeq, RuleSetSource to) {
    List<Change> changes = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(from.paths());
    paths.addAll(to.paths());
    for (String path : paths) {
      boolean inA = from.has(path);
      boolean inB = to.has(path);
      if (inA && inB && java.util.Arrays.equals(from.bytes(path), to.bytes(path))) {
        continue;
      }
      if (path.endsWith(".dmn")) {
        dmn(path, inA ? from.bytes(path) : null, inB ? to.bytes(path) : null, changes);
      } else if (path.endsWith(".json") && inA && inB) {
        json(path, "", read(from.bytes(path)), read(to.bytes(path)), changes);
      } else if (!inA) {
        changes.add(new Change(path, "FILE_ADDED", null, null, null, null, null, path + " added"));
      } else if (!inB) {
        changes.add(
            new Change(path, "FILE_REMOVED", null, null, null, null, null, path + " removed"));
      } else {
        changes.add(
            new Change(path, "FILE_CHANGED", null, null, null, null, null, path + " changed"));
      }
    }
    return new Result(fromSeq, toSeq, changes);
  }

  private static void dmn(String path, byte[] a, byte[] b, List<Change> out) {
    Map<String, Table> before;
    Map<String, Table> after;
    try {
      before = a == null ? Map.of() : tables(a);
      after = b == null ? Map.of() : tables(b);
    } catch (DmnXml.Unreadable e) {
      // A stored version may hold a file that is not XML (stored before uploads were screened):
      // the diff says so instead of failing the whole comparison.
      out.add(
          new Change(
              path,
              "FILE_CHANGED",
              null,
              null,
              null,
              null,
              null,
              path + " changed and cannot be compared: a version's copy " + e.getMessage()));
      return;
    }
    if (a == null || b == null) {
      out.add(
          new Change(
              path,
              a == null ? "MODEL_ADDED" : "MODEL_REMOVED",
              modelName(a == null ? b : a),
              null,
              null,
              null,
              null,
              "model " + modelName(a == null ? b : a) + (a == null ? " added" : " removed")));
      return;
    }
    TreeSet<String> decisions = new TreeSet<>(before.keySet());
    decisions.addAll(after.keySet());
    for (String d : decisions) {
      Table x = before.get(d);
      Table y = after.get(d);
      if (x == null || y == null) {
        out.add(
            new Change(
                path,
                x == null ? "DECISION_ADDED" : "DECISION_REMOVED",
                d,
                null,
                null,
                null,
                null,
                "decision " + d + (x == null ? " added" : " removed")));
        continue;
      }
      if (x.literal() != null || y.literal() != null) {
        if (!Objects.equals(x.literal(), y.literal())) {
          out.add(
              new Change(
                  path,
                  "EXPRESSION_CHANGED",
                  d,
                  null,
                  null,
                  x.literal(),
                  y.literal(),
                  d + ": expression changed"));
        }
        continue;
      }
      if (!Objects.equals(x.hitPolicy(), y.hitPolicy())) {
        out.add(
            new Change(
                path,
                "HIT_POLICY_CHANGED",
                d,
                null,
                null,
                x.hitPolicy(),
                y.hitPolicy(),
                d + ": hit policy " + x.hitPolicy() + " → " + y.hitPolicy()));
      }
      rows(path, d, x, y, out);
    }
  }

  private static void rows(String path, String decision, Table x, Table y, List<Change> out) {
    Map<String, Integer> yIndex = new LinkedHashMap<>();
    for (int i = 0; i < y.rows().size(); i++) {
      yIndex.put(key(y.rows().get(i), i), i);
    }
    java.util.Set<String> matched = new java.util.HashSet<>();
    for (int i = 0; i < x.rows().size(); i++) {
      Row r = x.rows().get(i);
      Integer j = yIndex.get(key(r, i));
      if (j == null) {
        String name = rowName(x, i, r);
        out.add(
            new Change(
                path,
                "ROW_REMOVED",
                decision,
                name,
                null,
                describe(x, r),
                null,
                decision + ", " + name + " removed (" + describe(x, r) + ")",
                r.id()));
        continue;
      }
      matched.add(key(r, i));
      Row s = y.rows().get(j);
      String name = rowName(y, j, s);
      cells(path, decision, name, s.id(), x.inputLabels(), r.inputs(), s.inputs(), "input", out);
      cells(
          path, decision, name, s.id(), x.outputLabels(), r.outputs(), s.outputs(), "output", out);
      if (!Objects.equals(r.annotation(), s.annotation())) {
        out.add(
            new Change(
                path,
                "ANNOTATION_CHANGED",
                decision,
                name,
                "annotation",
                r.annotation(),
                s.annotation(),
                decision
                    + ", "
                    + name
                    + ": description changed from "
                    + quoted(r.annotation())
                    + " to "
                    + quoted(s.annotation()),
                s.id()));
      }
    }
    for (int j = 0; j < y.rows().size(); j++) {
      Row s = y.rows().get(j);
      if (!matched.contains(key(s, j))) {
        String name = rowName(y, j, s);
        out.add(
            new Change(
                path,
                "ROW_ADDED",
                decision,
                name,
                null,
                null,
                describe(y, s),
                decision + ", " + name + " added (" + describe(y, s) + ")",
                s.id()));
      }
    }
  }

  private static String quoted(String text) {
    return text == null ? "(none)" : "\"" + text + "\"";
  }

  private static void cells(
      String path,
      String decision,
      String row,
      String rowId,
      List<String> labels,
      List<String> a,
      List<String> b,
      String side,
      List<Change> out) {
    for (int k = 0; k < Math.max(a.size(), b.size()); k++) {
      String before = k < a.size() ? a.get(k) : null;
      String after = k < b.size() ? b.get(k) : null;
      if (Objects.equals(before, after)) {
        continue;
      }
      String column = k < labels.size() ? labels.get(k) : side + " " + (k + 1);
      Matcher m1 = before == null ? null : COMPARISON.matcher(before);
      Matcher m2 = after == null ? null : COMPARISON.matcher(after);
      boolean threshold =
          m1 != null
              && m2 != null
              && m1.matches()
              && m2.matches()
              && Objects.equals(m1.group(1), m2.group(1))
              && m1.group(1) != null;
      String kind = threshold ? "THRESHOLD_MOVED" : "CELL_CHANGED";
      String text =
          threshold
              ? decision
                  + ", "
                  + row
                  + ": "
                  + column
                  + " threshold moved from "
                  + m1.group(2)
                  + " to "
                  + m2.group(2)
              : decision + ", " + row + ": " + column + " changed from " + before + " to " + after;
      out.add(new Change(path, kind, decision, row, column, before, after, text, rowId));
    }
  }

  private static String key(Row r, int index) {
    return r.id() != null && !r.id().isBlank() ? r.id() : "#" + index;
  }

  /**
   * {@code row 3 (Quadrant = "Q3", Experience Index < 40)}: the number the editor shows and the
   * row's input entries.
   */
  private static String rowName(Table t, int index, Row r) {
    return "row " + (index + 1) + " (" + DmnXml.rowName(t.inputLabels(), r.inputs()) + ")";
  }

  private static String describe(Table t, Row r) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < r.inputs().size(); k++) {
      sb.append(k < t.inputLabels().size() ? t.inputLabels().get(k) : "in" + k)
          .append(' ')
          .append(r.inputs().get(k))
          .append("; ");
    }
    sb.append("→ ");
    for (int k = 0; k < r.outputs().size(); k++) {
      sb.append(k > 0 ? ", " : "")
          .append(k < t.outputLabels().size() ? t.outputLabels().get(k) + "=" : "")
          .append(r.outputs().get(k));
    }
    return sb.toString();
  }

  private static Map<String, Table> tables(byte[] xml) {
    Document doc = DmnXml.parse(xml);
    Map<String, Table> out = new LinkedHashMap<>();
    NodeList decisions = doc.getElementsByTagNameNS("*", "decision");
    for (int i = 0; i < decisions.getLength(); i++) {
      Element d = (Element) decisions.item(i);
      String name = d.getAttribute("name");
      Element dt = DmnXml.child(d, "decisionTable");
      if (dt == null) {
        Element lit = DmnXml.child(d, "literalExpression");
        out.put(
            name,
            new Table(
                null,
                List.of(),
                List.of(),
                List.of(),
                lit == null ? "(other expression)" : DmnXml.text(DmnXml.child(lit, "text"))));
        continue;
      }
      List<String> inputs = new ArrayList<>();
      for (Element in : DmnXml.children(dt, "input")) {
        String label = in.getAttribute("label");
        Element expr = DmnXml.child(in, "inputExpression");
        inputs.add(
            !label.isBlank()
                ? label
                : expr == null ? "input" : DmnXml.text(DmnXml.child(expr, "text")));
      }
      List<String> outputs = new ArrayList<>();
      for (Element o : DmnXml.children(dt, "output")) {
        String n = o.getAttribute("name");
        outputs.add(
            !n.isBlank() ? n : !o.getAttribute("label").isBlank() ? o.getAttribute("label") : name);
      }
      List<Row> rows = new ArrayList<>();
      for (Element rule : DmnXml.children(dt, "rule")) {
        List<String> ins = new ArrayList<>();
        for (Element e : DmnXml.children(rule, "inputEntry")) {
          ins.add(DmnXml.text(DmnXml.child(e, "text")));
        }
        List<String> outs = new ArrayList<>();
        for (Element e : DmnXml.children(rule, "outputEntry")) {
          outs.add(DmnXml.text(DmnXml.child(e, "text")));
        }
        String annotation = null;
        for (Element e : DmnXml.children(rule, "annotationEntry")) {
          annotation = DmnXml.text(DmnXml.child(e, "text"));
        }
        rows.add(new Row(rule.getAttribute("id"), ins, outs, annotation));
      }
      String hp = dt.getAttribute("hitPolicy");
      String agg = dt.getAttribute("aggregation");
      out.put(
          name,
          new Table(
              (hp.isBlank() ? "UNIQUE" : hp) + (agg.isBlank() ? "" : " " + agg),
              inputs,
              outputs,
              rows,
              null));
    }
    return out;
  }

  private static String modelName(byte[] xml) {
    return DmnXml.parse(xml).getDocumentElement().getAttribute("name");
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return Json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Leaf-by-leaf difference of two JSON documents; arrays of objects with an {@code id} match by
   * id.
   */
  private static void json(String file, String at, JsonNode a, JsonNode b, List<Change> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a == null || b == null || a.getNodeType() != b.getNodeType() || a.isValueNode()) {
      String kind =
          a == null || a.isMissingNode()
              ? "VALUE_ADDED"
              : b == null || b.isMissingNode() ? "VALUE_REMOVED" : "VALUE_CHANGED";
      String before = a == null ? null : a.toString();
      String after = b == null ? null : b.toString();
      out.add(
          new Change(
              file,
              kind,
              at.isEmpty() ? "$" : at,
              null,
              null,
              before,
              after,
              file + " " + (at.isEmpty() ? "$" : at) + ": " + before + " → " + after));
      return;
    }
    if (a.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        json(file, at.isEmpty() ? k : at + "." + k, a.get(k), b.get(k), out);
      }
      return;
    }
    Map<String, JsonNode> byIdA = byId(a);
    Map<String, JsonNode> byIdB = byId(b);
    if (byIdA != null && byIdB != null) {
      TreeSet<String> ids = new TreeSet<>(byIdA.keySet());
      ids.addAll(byIdB.keySet());
      for (String id : ids) {
        json(file, at + "[id=" + id + "]", byIdA.get(id), byIdB.get(id), out);
      }
      return;
    }
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      json(file, at + "[" + i + "]", a.get(i), b.get(i), out);
    }
  }

  private static Map<String, JsonNode> byId(JsonNode array) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      JsonNode n = it.next();
      if (!n.isObject() || !n.hasNonNull("id")) {
        return null;
      }
      out.put(n.get("id").asText(), n);
    }
    return out;
  }
}
