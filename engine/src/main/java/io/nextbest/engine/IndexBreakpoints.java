package io.nextbest.engine;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The numbers an index is compared with anywhere in a rule set's DMN, so a decision can be memoised
 * by the interval an index falls in (its level) rather than by its raw value: two values between
 * the same breakpoints, or equal to the same one, get the same answer from every table. Only sound
 * when the index is used nowhere but as a decision table's input whose cells are comparisons or
 * ranges of literal numbers; for any other use {@link #of} answers null and the caller keys by
 * value.
 */
final class IndexBreakpoints {
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  /** A cell that is a list of comparisons, ranges or numbers of literals, or "-". */
  private static final Pattern SIMPLE =
      Pattern.compile(
          "\\s*(-|(?:(?:[<>]=?|=)?\\s*-?\\d+(?:\\.\\d+)?|[\\[(\\]]\\s*-?\\d+(?:\\.\\d+)?\\s*\\.\\.\\s*-?\\d+(?:\\.\\d+)?\\s*[\\])\\[])"
              + "(?:\\s*,\\s*(?:(?:[<>]=?|=)?\\s*-?\\d+(?:\\.\\d+)?|[\\[(\\]]\\s*-?\\d+(?:\\.\\d+)?\\s*\\.\\.\\s*-?\\d+(?:\\.\\d+)?\\s*[\\])\\[]))*)\\s*");

  private final double[] points;

  private IndexBreakpoints(double[] points) {
    this.points = points;
  }

  /**
   * The breakpoints of the input named {@code input} over {@code models}, or null when one of them
   * uses it in a way this cannot follow.
   */
  static IndexBreakpoints of(List<Document> models, String input) {
    TreeSet<Double> found = new TreeSet<>();
    for (Document doc : models) {
      int asTableInput = 0;
      NodeList inputs = doc.getElementsByTagNameNS("*", "input");
      for (int i = 0; i < inputs.getLength(); i++) {
        Element in = (Element) inputs.item(i);
        Element expr = child(in, "inputExpression");
        Element text = expr == null ? null : child(expr, "text");
        if (text == null || !input.equals(text.getTextContent().strip())) {
          continue;
        }
        asTableInput++;
        Element table = (Element) in.getParentNode();
        int column = columnOf(table, in);
        for (Element rule : children(table, "rule")) {
          List<Element> entries = children(rule, "inputEntry");
          Element cell = entries.size() > column ? child(entries.get(column), "text") : null;
          String t = cell == null ? "-" : cell.getTextContent();
          if (!SIMPLE.matcher(t).matches()) {
            return null;
          }
          Matcher m = NUMBER.matcher(t);
          while (m.find()) {
            found.add(Double.parseDouble(m.group()));
          }
        }
      }
      // Any other mention (a literal expression, a context, a function) is beyond this analysis.
      if (mentions(doc.getDocumentElement(), input) > asTableInput) {
        return null;
      }
    }
    return new IndexBreakpoints(found.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The interval {@code value} falls in: 2 × (breakpoints below it), plus 1 when it equals one. */
  long level(double value) {
    int i = Arrays.binarySearch(points, value);
    return i >= 0 ? 2L * i + 1 : 2L * (-i - 1);
  }

  int size() {
    return points.length;
  }

  private static int mentions(Element root, String input) {
    int n = 0;
    NodeList texts = root.getElementsByTagNameNS("*", "text");
    for (int i = 0; i < texts.getLength(); i++) {
      if (texts.item(i).getTextContent().contains(input)) {
        n++;
      }
    }
    return n;
  }

  private static int columnOf(Element table, Element input) {
    int c = 0;
    for (Element in : children(table, "input")) {
      if (in == input) {
        return c;
      }
      c++;
    }
    return -1;
  }

  private static Element child(Element parent, String localName) {
    List<Element> c = children(parent, localName);
    return c.isEmpty() ? null : c.get(0);
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> out = new java.util.ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }
}
