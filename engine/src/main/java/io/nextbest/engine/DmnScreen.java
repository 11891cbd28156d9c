package io.nextbest.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * What every DMN file of a rule set passes before the DMN library reads it: it must be XML the
 * hardened parser of {@link DmnXml} reads (UTF-8, no DOCTYPE, bounded depth), and it must not reach
 * host code. DMN can call Java two ways, and both run with the service's rights (environment,
 * files, {@code System.exit}): a FEEL function defined {@code external { java: ... }} anywhere an
 * expression goes, and a function definition (or business knowledge model logic) of {@code
 * kind="Java"}; a {@code kind="PMML"} function or a non-DMN {@code import} would load other
 * artefacts. Such a model is code, like DRL, and changes through the repository and a build, never
 * through an upload. The registry screens uploads with this, and every compile screens again, so a
 * version stored before this check, or written to the development rules directory, cannot run
 * either.
 */
public final class DmnScreen {
  /**
   * More whitespace and comments than this between {@code external} and a brace count as a
   * definition too.
   */
  private static final int MAX_GAP = 200;

  private static final Pattern DMN_IMPORT =
      Pattern.compile("^https?://www\\.omg\\.org/spec/DMN/\\d+/MODEL/?$");

  private DmnScreen() {}

  /**
   * What is wrong with {@code xml} as an analyst's DMN file.
   *
   * @param unreadable not XML the service reads: each with the line where known
   * @param hostCode elements that would run host code, each naming the element
   */
  public record Findings(List<RuleSetMessage> unreadable, List<RuleSetMessage> hostCode) {
    public Findings {
      unreadable = List.copyOf(unreadable);
      hostCode = List.copyOf(hostCode);
    }

    public boolean clean() {
      return unreadable.isEmpty() && hostCode.isEmpty();
    }

    public List<RuleSetMessage> all() {
      List<RuleSetMessage> out = new ArrayList<>(unreadable);
      out.addAll(hostCode);
      return out;
    }
  }

  /** Screens one file ({@code file} names it in the messages). */
  public static Findings screen(String file, byte[] xml) {
    Document doc;
    try {
      doc = DmnXml.parse(xml);
    } catch (DmnXml.Unreadable e) {
      return new Findings(
          List.of(new RuleSetMessage("ERROR", file, e.line(), null, file + " " + e.getMessage())),
          List.of());
    }
    List<RuleSetMessage> code = new ArrayList<>();
    Element root = doc.getDocumentElement();
    if (!"definitions".equals(root.getLocalName())) {
      return new Findings(
          List.of(
              new RuleSetMessage(
                  "ERROR",
                  file,
                  null,
                  null,
                  file
                      + " is XML but not a DMN model: its root element is <"
                      + root.getTagName()
                      + ">, not <definitions>")),
          List.of());
    }
    walk(file, root, code);
    return new Findings(List.of(), code);
  }

  private static void walk(String file, Element e, List<RuleSetMessage> out) {
    String local = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
    NamedNodeMap attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      Attr a = (Attr) attributes.item(i);
      String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
      if (name.equals("kind")
          && (local.equals("functionDefinition") || local.equals("encapsulatedLogic"))
          && !a.getValue().strip().equals("FEEL")
          && !a.getValue().strip().equals("F")) {
        out.add(
            found(
                file,
                e,
                "<"
                    + local
                    + " kind=\""
                    + a.getValue()
                    + "\"> runs "
                    + (a.getValue().strip().startsWith("P") ? "a PMML model" : "Java")
                    + " code; only FEEL functions may be uploaded"));
      } else if (external(a.getValue())) {
        out.add(
            found(
                file,
                e,
                "attribute "
                    + a.getName()
                    + " defines an external function; only FEEL functions may be uploaded"));
      }
    }
    if (local.equals("import")) {
      String type = e.getAttribute("importType").strip();
      if (!DMN_IMPORT.matcher(type).matches()) {
        out.add(
            found(
                file,
                e,
                "<import importType=\""
                    + type
                    + "\"> loads a non-DMN artefact; only other DMN models of the rule set may be imported"));
      }
    }
    // The element's own text as a reader of it sees it: comments between the pieces dropped.
    StringBuilder text = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        walk(file, child, out);
      } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
        text.append(n.getNodeValue());
      }
    }
    if (external(text)) {
      out.add(
          found(
              file,
              e,
              "the expression defines an external (Java) function: \""
                  + clip(text.toString().strip())
                  + "\"; only FEEL functions may be uploaded"));
    }
  }

  /**
   * Whether the text holds the FEEL keyword {@code external} before the brace of its definition,
   * with whitespace or comments between (FEEL is case-sensitive; any Unicode space counts). A hand
   * scan rather than a regular expression: the gap it skips is bounded, so a file of a million
   * {@code external /*} costs a linear pass, not one pass per occurrence.
   */
  static boolean external(CharSequence text) {
    String t = text.toString();
    for (int i = t.indexOf("external"); i >= 0; i = t.indexOf("external", i + 1)) {
      if (i > 0
          && (Character.isLetterOrDigit(t.charAt(i - 1))
              || t.charAt(i - 1) == '_'
              || t.charAt(i - 1) == '?'
              || t.charAt(i - 1) == '\'')) {
        continue;
      }
      int j = i + "external".length();
      int limit = Math.min(t.length(), j + MAX_GAP);
      while (j < limit) {
        char c = t.charAt(j);
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          j++;
        } else if (t.startsWith("/*", j)) {
          int end = indexWithin(t, "*/", j + 2, limit);
          j = end < 0 ? limit : end + 2;
        } else if (t.startsWith("//", j)) {
          int end = indexWithin(t, "\n", j + 2, limit);
          j = end < 0 ? limit : end + 1;
        } else {
          break;
        }
      }
      if (j >= limit && limit < t.length()) {
        // A gap longer than any FEEL author writes: treated as hiding a definition.
        return true;
      }
      if (j < t.length() && t.charAt(j) == '{') {
        return true;
      }
    }
    return false;
  }

  /** The index of {@code what} starting before {@code limit} at or after {@code from}, or -1. */
  private static int indexWithin(String t, String what, int from, int limit) {
    for (int k = from; k + what.length() <= Math.min(limit, t.length()); k++) {
      if (t.startsWith(what, k)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * A finding that names the element by its (or the nearest enclosing) id and the nearest named
   * element around it.
   */
  private static RuleSetMessage found(String file, Element e, String what) {
    String id = null;
    for (Node n = e; n instanceof Element el && id == null; n = n.getParentNode()) {
      id =
          el.getAttribute("id").isBlank() || "definitions".equals(el.getLocalName())
              ? null
              : el.getAttribute("id");
    }
    String where = owner(e);
    String element = id != null ? id : where;
    return new RuleSetMessage(
        "ERROR", file, null, element, file + ": " + (where == null ? "" : where + ": ") + what);
  }

  private static String owner(Element e) {
    for (Node n = e; n instanceof Element el; n = n.getParentNode()) {
      if (!el.getAttribute("name").isBlank() && !"definitions".equals(el.getLocalName())) {
        return el.getLocalName() + " '" + el.getAttribute("name") + "'";
      }
    }
    return null;
  }

  private static String clip(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
