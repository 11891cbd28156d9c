package io.nextbest.engine;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Reading DMN files as plain XML, for the checks and comparisons the DMN library does not make. */
public final class DmnXml {
  private DmnXml() {}

  /** Parses namespace-aware with DOCTYPEs refused (no external entities). */
  public static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new IllegalArgumentException("not a readable DMN file: " + e.getMessage(), e);
    }
  }

  /** The first child element with this local name, or null. */
  public static Element child(Element parent, String local) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && local.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  /** Every child element with this local name, in document order. */
  public static List<Element> children(Element parent, String local) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && local.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern COMPARED = java.util.regex.Pattern.compile("^(<=|>=|<|>|!=|=)\\s*.*");

  /**
   * A decision-table row named by its input entries, as an analyst reads it: {@code Quadrant =
   * "Q3", Experience Index < 40}; columns that match anything ({@code -}) are left out, and a row
   * of only those is {@code any input}.
   */
  public static String rowName(List<String> labels, List<String> cells) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      String cell = cells.get(k) == null ? "" : cells.get(k).strip();
      if (cell.isEmpty() || cell.equals("-")) {
        continue;
      }
      String label = k < labels.size() ? labels.get(k) : "input " + (k + 1);
      if (COMPARED.matcher(cell).matches()) {
        parts.add(label + " " + cell);
      } else if (cell.startsWith("[") || cell.startsWith("(") || cell.startsWith("]")) {
        parts.add(label + " in " + cell);
      } else if (cell.startsWith("not(") || cell.contains(",")) {
        parts.add(label + " is " + cell);
      } else {
        parts.add(label + " = " + cell);
      }
    }
    return parts.isEmpty() ? "any input" : String.join(", ", parts);
  }

  /** The element's text, stripped; empty for a missing element. */
  public static String text(Element e) {
    return e == null ? "" : e.getTextContent().strip();
  }
}
