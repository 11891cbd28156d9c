package io.nextbest.engine;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Reading DMN files as plain XML, for the checks and comparisons the DMN library does not make, and
 * the one parser every uploaded model meets first (see {@link DmnScreen}): UTF-8 only, no DOCTYPE
 * (so no external entity, DTD fetch or entity expansion), no external schema or stylesheet access,
 * and a bounded element depth.
 */
public final class DmnXml {
  /**
   * Deeper than any model the DMN editor writes (ours nest about ten levels), shallow enough to be
   * cheap.
   */
  public static final int MAX_DEPTH = 100;

  private static final Pattern DECLARED_ENCODING =
      Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([^\"']*)[\"']");

  private DmnXml() {}

  /**
   * Why a file could not be read as XML, with the line and column where the parser stopped (null
   * when not known).
   */
  public static final class Unreadable extends IllegalArgumentException {
    private final Integer line;
    private final Integer column;

    Unreadable(String message, Integer line, Integer column, Throwable cause) {
      super(message, cause);
      this.line = line;
      this.column = column;
    }

    public Integer line() {
      return line;
    }

    public Integer column() {
      return column;
    }
  }

  /**
   * Parses namespace-aware, refusing what is not UTF-8 XML, any DOCTYPE, and nesting deeper than
   * {@link #MAX_DEPTH}.
   *
   * @throws Unreadable saying why, in words an analyst can act on (never a parser's class name)
   */
  public static Document parse(byte[] xml) {
    requireUtf8(xml);
    try {
      DocumentBuilder builder = factory().newDocumentBuilder();
      builder.setErrorHandler(SILENT);
      builder.setEntityResolver(
          (publicId, systemId) -> {
            throw new SAXParseException("external entities are not allowed", null);
          });
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (SAXParseException e) {
      Integer line = e.getLineNumber() > 0 ? e.getLineNumber() : null;
      Integer column = e.getColumnNumber() > 0 ? e.getColumnNumber() : null;
      throw new Unreadable(
          "is not well-formed XML"
              + (line == null
                  ? ""
                  : " at line " + line + (column == null ? "" : ", column " + column))
              + ": "
              + explain(e.getMessage()),
          line,
          column,
          e);
    } catch (Exception e) {
      throw new Unreadable("cannot be read as XML: " + explain(e.getMessage()), null, null, e);
    }
  }

  private static DocumentBuilderFactory factory() throws ParserConfigurationException {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setAttribute(
        "http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_DEPTH));
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    return f;
  }

  /**
   * The bytes must be UTF-8 and say so if they say anything: the DMN runtime reads them as UTF-8.
   */
  private static void requireUtf8(byte[] xml) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(xml));
    } catch (CharacterCodingException e) {
      throw new Unreadable(
          "is not UTF-8 text (DMN files are read as UTF-8; save the file as UTF-8)", null, null, e);
    }
    String head = new String(xml, 0, Math.min(xml.length, 200), StandardCharsets.UTF_8);
    Matcher m = DECLARED_ENCODING.matcher(head.startsWith("\uFEFF") ? head.substring(1) : head);
    if (m.find()) {
      String declared = m.group(1).strip().toUpperCase(Locale.ROOT);
      if (!declared.equals("UTF-8") && !declared.equals("UTF8")) {
        throw new Unreadable(
            "declares encoding \""
                + m.group(1)
                + "\"; DMN files are read as UTF-8, so declare encoding=\"UTF-8\" and save the file as UTF-8",
            1,
            null,
            null);
      }
    }
  }

  /** The parser's message without the parts that only make sense to its authors. */
  private static String explain(String message) {
    if (message == null) {
      return "the content is not XML";
    }
    if (message.contains("DOCTYPE")) {
      return "a DOCTYPE declaration is not allowed (DMN needs none; external entities and DTDs are never read)";
    }
    if (message.contains("maxElementDepth") || message.contains("JAXP00081")) {
      return "elements are nested deeper than " + MAX_DEPTH + " levels";
    }
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  /** Fails on the first error without printing it (the default handler writes to stderr). */
  private static final ErrorHandler SILENT =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXParseException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
          throw e;
        }
      };

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

  private static final java.util.regex.Pattern COMPARED =
      java.util.regex.Pattern.compile("^(<=|>=|<|>|!=|=)\\s*.*");

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
