package io.nextbest.simulator;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mapping file (YAML) into a {@link Mapping}, checking every key, type and constant, and
 * naming the file, line and column of the first thing wrong.
 */
final class MappingParser {
  /** What a target field holds; constants in the mapping are checked against it. */
  enum Type {
    INTEGER,
    NUMBER,
    BOOLEAN,
    TEXT,
    CHANNEL,
    PROFICIENCY,
    SEVERITY,
    SENTIMENT,
    TIME
  }

  private record Shape(Map<String, Type> fields, Set<String> required) {}

  private static final Set<String> TOP =
      Set.of(
          "format",
          "delimiter",
          "asOf",
          "id",
          "outcome",
          "columns",
          "derive",
          "profile",
          "interaction");
  private static final Map<String, Type> SCALARS =
      ordered(
          "tenureMonths", Type.INTEGER,
          "annualValue", Type.NUMBER,
          "preferredChannel", Type.CHANNEL,
          "digitalProficiency", Type.PROFICIENCY,
          "purchases90d", Type.INTEGER,
          "lastPurchaseDaysAgo", Type.NUMBER,
          "referrals12m", Type.INTEGER,
          "reviews12m", Type.INTEGER);
  private static final Map<String, Shape> OBJECTS =
      Map.of(
          "nps", new Shape(ordered("value", Type.INTEGER, "daysAgo", Type.NUMBER), Set.of("value")),
          "loyalty",
              new Shape(
                  ordered("member", Type.BOOLEAN, "points", Type.INTEGER, "tier", Type.TEXT),
                  Set.of("member")),
          "community",
              new Shape(
                  ordered(
                      "posts90d",
                      Type.INTEGER,
                      "follows",
                      Type.INTEGER,
                      "lastActivityDaysAgo",
                      Type.NUMBER),
                  Set.of()),
          "quietHours",
              new Shape(
                  ordered("start", Type.TIME, "end", Type.TIME, "zone", Type.TEXT),
                  Set.of("start", "end")));
  private static final Map<String, Shape> LISTS =
      Map.of(
          "csat",
              new Shape(
                  ordered("value", Type.INTEGER, "daysAgo", Type.NUMBER),
                  Set.of("value", "daysAgo")),
          "ces",
              new Shape(
                  ordered("value", Type.INTEGER, "daysAgo", Type.NUMBER),
                  Set.of("value", "daysAgo")),
          "products",
              new Shape(
                  ordered("product", Type.TEXT, "sinceDaysAgo", Type.NUMBER), Set.of("product")),
          "channels",
              new Shape(
                  ordered(
                      "channel",
                      Type.CHANNEL,
                      "interactions90d",
                      Type.INTEGER,
                      "problemContacts90d",
                      Type.INTEGER,
                      "lastDaysAgo",
                      Type.NUMBER),
                  Set.of("channel")),
          "complaints",
              new Shape(
                  ordered(
                      "id",
                      Type.TEXT,
                      "severity",
                      Type.SEVERITY,
                      "product",
                      Type.TEXT,
                      "topic",
                      Type.TEXT,
                      "openedDaysAgo",
                      Type.NUMBER,
                      "resolvedDaysAgo",
                      Type.NUMBER),
                  Set.of("severity", "openedDaysAgo")),
          "failedInteractions",
              new Shape(
                  ordered(
                      "channel",
                      Type.CHANNEL,
                      "reason",
                      Type.TEXT,
                      "product",
                      Type.TEXT,
                      "daysAgo",
                      Type.NUMBER),
                  Set.of("channel", "daysAgo")),
          "outreach",
              new Shape(
                  ordered("actionId", Type.TEXT, "channel", Type.CHANNEL, "daysAgo", Type.NUMBER),
                  Set.of("actionId", "channel", "daysAgo")));
  private static final Shape INTERACTION =
      new Shape(
          ordered(
              "channel",
              Type.CHANNEL,
              "reason",
              Type.TEXT,
              "sentiment",
              Type.SENTIMENT,
              "justResolved",
              Type.BOOLEAN,
              "rating",
              Type.INTEGER,
              "product",
              Type.TEXT),
          Set.of("channel"));
  private static final Set<String> SOURCES =
      new LinkedHashSet<>(
          List.of("column", "ref", "value", "count", "sum", "cases", "random", "when"));
  private static final Set<String> MODIFIERS =
      Set.of("map", "thresholds", "default", "multiply", "add", "min", "max", "round");
  private static final Set<String> COLUMN_RULE = Set.of("type", "required", "min", "max", "values");

  private final List<Mapping.ColumnUse> uses = new ArrayList<>();

  /** Every {@code ref:} to a derived value, with where it was written: what feeds what. */
  private final List<Mapping.ColumnUse> refs = new ArrayList<>();

  private Set<String> derivedNames = Set.of();

  private MappingParser() {}

  static Mapping parse(Path path) {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return parse(r, path.toString());
    } catch (IOException e) {
      throw new SimulationException("cannot read the mapping " + path, e);
    }
  }

  static Mapping parse(Reader reader, String file) {
    return new MappingParser().mapping(YNode.parse(reader, file));
  }

  private Mapping mapping(YNode root) {
    root.requireMap();
    root.onlyKeys(TOP);
    String format = null;
    if (root.has("format")) {
      format = root.get("format").requireText().toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("jsonl")) {
        throw root.get("format").error("format must be csv or jsonl");
      }
    }
    char delimiter = ',';
    if (root.has("delimiter")) {
      String d = root.get("delimiter").requireText();
      if (d.length() != 1) {
        throw root.get("delimiter").error("the delimiter must be one character");
      }
      delimiter = d.charAt(0);
    }
    Instant asOf = Instant.parse("2025-01-01T10:00:00Z");
    if (root.has("asOf")) {
      try {
        asOf = Instant.parse(root.get("asOf").requireText());
      } catch (DateTimeParseException e) {
        throw root.get("asOf")
            .error("asOf must be an ISO-8601 instant such as 2025-01-01T10:00:00Z");
      }
    }
    YNode idNode = root.get("id");
    if (idNode == null) {
      throw root.error("the mapping needs 'id': the column that holds the customer id");
    }
    Map<String, YNode> deriveNodes =
        root.has("derive") ? root.get("derive").requireMap().entries() : Map.of();
    derivedNames = deriveNodes.keySet();
    Expr id = idNode.isScalar() ? column(idNode) : expr(idNode, Set.of());
    List<Mapping.ColumnRule> columns = new ArrayList<>();
    if (root.has("columns")) {
      root.get("columns")
          .requireMap()
          .entries()
          .forEach((name, n) -> columns.add(columnRule(name, n)));
    }
    Map<String, Expr> derive = new LinkedHashMap<>();
    deriveNodes.forEach((name, n) -> derive.put(name, expr(n, Set.of())));
    checkCycles(derive, deriveNodes);
    Mapping.Outcome outcome = root.has("outcome") ? outcome(root.get("outcome")) : null;
    Map<String, Expr> scalars = new LinkedHashMap<>();
    Map<String, Mapping.Spec> objects = new LinkedHashMap<>();
    Map<String, List<Mapping.Spec>> lists = new LinkedHashMap<>();
    Map<Channel, Expr> consent = new EnumMap<>(Channel.class);
    if (root.has("profile")) {
      profile(root.get("profile"), scalars, objects, lists, consent);
    }
    Mapping.Spec interaction =
        root.has("interaction") ? spec(root.get("interaction"), INTERACTION, false) : null;
    return new Mapping(
        root.file,
        format,
        delimiter,
        asOf,
        id,
        outcome,
        columns,
        derive,
        scalars,
        objects,
        lists,
        consent,
        interaction,
        uses,
        refs);
  }

  private void profile(
      YNode p,
      Map<String, Expr> scalars,
      Map<String, Mapping.Spec> objects,
      Map<String, List<Mapping.Spec>> lists,
      Map<Channel, Expr> consent) {
    Set<String> allowed = new HashSet<>(SCALARS.keySet());
    allowed.addAll(OBJECTS.keySet());
    allowed.addAll(LISTS.keySet());
    allowed.add("consent");
    p.onlyKeys(allowed);
    p.entries()
        .forEach(
            (key, n) -> {
              if (SCALARS.containsKey(key)) {
                scalars.put(key, typed(n, SCALARS.get(key)));
              } else if (OBJECTS.containsKey(key)) {
                objects.put(key, spec(n, OBJECTS.get(key), false));
              } else if (LISTS.containsKey(key)) {
                List<Mapping.Spec> specs = new ArrayList<>();
                for (YNode item : n.requireList().items()) {
                  specs.add(spec(item, LISTS.get(key), true));
                }
                lists.put(key, specs);
              } else {
                n.requireMap()
                    .entries()
                    .forEach(
                        (ch, e) -> {
                          Channel channel;
                          try {
                            channel = Channel.valueOf(ch);
                          } catch (IllegalArgumentException ex) {
                            throw e.error(
                                "'"
                                    + ch
                                    + "' is not a channel; expected one of "
                                    + java.util.Arrays.toString(Channel.values()));
                          }
                          consent.put(channel, typed(e, Type.BOOLEAN));
                        });
              }
            });
  }

  private Mapping.Spec spec(YNode n, Shape shape, boolean list) {
    n.requireMap();
    Set<String> allowed = new HashSet<>(shape.fields().keySet());
    allowed.add("when");
    if (list) {
      allowed.add("repeat");
      allowed.add("everyDays");
    }
    n.onlyKeys(allowed);
    for (String r : shape.required()) {
      if (!n.has(r)) {
        throw n.error("'" + r + "' is required here");
      }
    }
    Map<String, Expr> fields = new LinkedHashMap<>();
    shape
        .fields()
        .forEach(
            (f, type) -> {
              if (n.has(f)) {
                fields.put(f, typed(n.get(f), type));
              }
            });
    Cond when = n.has("when") ? cond(n.get("when")) : null;
    Expr repeat = n.has("repeat") ? typed(n.get("repeat"), Type.INTEGER) : null;
    Expr every = n.has("everyDays") ? typed(n.get("everyDays"), Type.NUMBER) : null;
    return new Mapping.Spec(fields, when, repeat, every, n.path);
  }

  private Mapping.Outcome outcome(YNode n) {
    n.requireMap();
    Set<String> allowed = new HashSet<>(SOURCES);
    allowed.addAll(MODIFIERS);
    allowed.addAll(Set.of("name", "positive", "negative"));
    n.onlyKeys(allowed);
    if (!n.has("positive")) {
      throw n.error(
          "the outcome needs 'positive': the values that count as the outcome happening (e.g. [Yes])");
    }
    String name = n.has("name") ? n.get("name").requireText() : "outcome";
    Expr value = expr(n, Set.of("name", "positive", "negative"));
    return new Mapping.Outcome(
        name,
        value,
        constants(n.get("positive")),
        n.has("negative") ? constants(n.get("negative")) : null);
  }

  private Mapping.ColumnRule columnRule(String name, YNode n) {
    n.requireMap();
    n.onlyKeys(COLUMN_RULE);
    String type = "text";
    if (n.has("type")) {
      type = n.get("type").requireText();
      if (!Set.of("text", "integer", "number", "boolean").contains(type)) {
        throw n.get("type").error("type must be text, integer, number or boolean");
      }
    }
    boolean required = n.has("required") && Boolean.TRUE.equals(n.get("required").value());
    Double min = n.has("min") ? n.get("min").requireNumber() : null;
    Double max = n.has("max") ? n.get("max").requireNumber() : null;
    List<Expr.Const> values = n.has("values") ? constants(n.get("values")) : null;
    uses.add(new Mapping.ColumnUse(name, n));
    return new Mapping.ColumnRule(name, type, required, min, max, values);
  }

  /** An expression whose constants must fit the target type. */
  private Expr typed(YNode n, Type type) {
    Expr e = expr(n, Set.of());
    checkConstants(e, type, n);
    return e;
  }

  private void checkConstants(Expr e, Type type, YNode n) {
    if (e instanceof Expr.Const c) {
      checkConstant(c, type, n);
    } else if (e instanceof Expr.Cases cs) {
      List<YNode> items = n.isMap() && n.has("cases") ? n.get("cases").items() : List.of();
      for (int i = 0; i < cs.cases().size() && i < items.size(); i++) {
        checkConstants(cs.cases().get(i).value(), type, items.get(i).get("value"));
      }
    } else if (e instanceof Expr.Chain ch) {
      boolean arithmetic =
          ch.multiply() != null
              || ch.add() != null
              || ch.min() != null
              || ch.max() != null
              || ch.round() != null;
      Type out = arithmetic ? Type.NUMBER : type;
      if (ch.map() != null) {
        YNode mapNode = n.get("map");
        ch.map().forEach((k, c) -> checkConstant(c, out, mapNode.get(k)));
      }
      if (ch.thresholds() != null) {
        for (int i = 0; i < ch.thresholds().size(); i++) {
          checkConstant(ch.thresholds().get(i).value(), out, n.get("thresholds").items().get(i));
        }
      }
      if (ch.fallback() != null) {
        checkConstant(ch.fallback(), out, n.get("default"));
      }
      if (ch.map() == null && ch.thresholds() == null) {
        checkConstants(ch.base(), out, n);
      }
    }
  }

  private static void checkConstant(Expr.Const c, Type type, YNode at) {
    Object v = c.value();
    if (v == null) {
      return;
    }
    String t = c.text();
    String problem =
        switch (type) {
          case INTEGER, NUMBER -> v instanceof Number ? null : "expected a number";
          case BOOLEAN -> v instanceof Boolean ? null : "expected true or false";
          case CHANNEL -> enumProblem(Channel.class, t);
          case PROFICIENCY -> enumProblem(Proficiency.class, t);
          case SEVERITY -> enumProblem(Severity.class, t);
          case SENTIMENT -> enumProblem(Sentiment.class, t);
          case TIME -> timeProblem(t);
          case TEXT -> null;
        };
    if (problem != null) {
      throw at.error("'" + t + "': " + problem);
    }
  }

  private static <E extends Enum<E>> String enumProblem(Class<E> type, String text) {
    try {
      Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_'));
      return null;
    } catch (IllegalArgumentException e) {
      return "expected one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
  }

  private static String timeProblem(String text) {
    try {
      LocalTime.parse(text);
      return null;
    } catch (DateTimeParseException e) {
      return "expected a time of day such as 21:30";
    }
  }

  /**
   * An expression written as a scalar (a constant) or a map with one source and optional modifiers.
   */
  Expr expr(YNode n, Set<String> ignore) {
    if (n.isScalar()) {
      return constant(n);
    }
    if (n.isList()) {
      throw n.error("expected a value or a map with one of " + SOURCES + ", found a list");
    }
    Set<String> allowed = new HashSet<>(SOURCES);
    allowed.addAll(MODIFIERS);
    allowed.addAll(ignore);
    n.onlyKeys(allowed);
    List<String> sources = new ArrayList<>();
    for (String s : SOURCES) {
      if (n.has(s)) {
        sources.add(s);
      }
    }
    if (sources.size() != 1) {
      throw n.error(
          sources.isEmpty()
              ? "say where the value comes from with one of " + SOURCES
              : "use only one of " + sources);
    }
    YNode src = n.get(sources.get(0));
    Expr base =
        switch (sources.get(0)) {
          case "column" -> column(src);
          case "ref" -> ref(src);
          case "value" -> expr(src, Set.of());
          case "count" -> count(src);
          case "sum" -> {
            List<Expr> terms = new ArrayList<>();
            for (YNode t : src.requireList().items()) {
              terms.add(expr(t, Set.of()));
            }
            yield new Expr.Sum(terms);
          }
          case "cases" -> cases(src);
          case "random" -> random(src);
          default -> new Expr.Test(cond(src));
        };
    boolean modified = false;
    for (String m : MODIFIERS) {
      modified |= n.has(m);
    }
    if (!modified) {
      return base;
    }
    if (n.has("map") && n.has("thresholds")) {
      throw n.error("use either map or thresholds, not both");
    }
    Map<String, Expr.Const> map = null;
    if (n.has("map")) {
      map = new LinkedHashMap<>();
      for (Map.Entry<String, YNode> e : n.get("map").requireMap().entries().entrySet()) {
        map.put(e.getKey(), constant(e.getValue()));
      }
    }
    List<Expr.Band> bands = null;
    if (n.has("thresholds")) {
      bands = new ArrayList<>();
      List<YNode> items = n.get("thresholds").requireList().items();
      for (int i = 0; i < items.size(); i++) {
        YNode b = items.get(i).requireMap();
        b.onlyKeys(Set.of("below", "value"));
        if (!b.has("value")) {
          throw b.error("each threshold needs a value");
        }
        if (!b.has("below") && i != items.size() - 1) {
          throw b.error("only the last threshold may leave out 'below'");
        }
        Double below = b.has("below") ? b.get("below").requireNumber() : null;
        if (below != null && !bands.isEmpty() && bands.get(bands.size() - 1).below() >= below) {
          throw b.get("below")
              .error(
                  "thresholds must rise: "
                      + Values.text(below)
                      + " is not above "
                      + Values.text(bands.get(bands.size() - 1).below()));
        }
        bands.add(new Expr.Band(below, constant(b.get("value"))));
      }
    }
    Integer round = null;
    if (n.has("round")) {
      double r = n.get("round").requireNumber();
      if (r < 0 || r > 6 || r != Math.rint(r)) {
        throw n.get("round").error("round is the number of decimals, 0 to 6");
      }
      round = (int) r;
    }
    return new Expr.Chain(
        base,
        map,
        bands,
        n.has("default") ? constant(n.get("default")) : null,
        n.has("multiply") ? n.get("multiply").requireNumber() : null,
        n.has("add") ? n.get("add").requireNumber() : null,
        n.has("min") ? n.get("min").requireNumber() : null,
        n.has("max") ? n.get("max").requireNumber() : null,
        round,
        n.path);
  }

  Cond cond(YNode n) {
    n.requireMap();
    for (String combinator : List.of("all", "any")) {
      if (n.has(combinator)) {
        n.onlyKeys(Set.of(combinator));
        List<Cond> conds = new ArrayList<>();
        for (YNode c : n.get(combinator).requireList().items()) {
          conds.add(cond(c));
        }
        return combinator.equals("all") ? new Cond.All(conds) : new Cond.Any(conds);
      }
    }
    if (n.has("not")) {
      n.onlyKeys(Set.of("not"));
      return new Cond.Not(cond(n.get("not")));
    }
    if (n.has("chance")) {
      n.onlyKeys(Set.of("chance"));
      double p = n.get("chance").requireNumber();
      if (p < 0 || p > 1) {
        throw n.get("chance").error("chance is a probability between 0 and 1");
      }
      return new Cond.Chance(p, n.path);
    }
    List<String> ops = new ArrayList<>();
    for (String key : n.entries().keySet()) {
      if (Cond.Op.byKey(key) != null) {
        ops.add(key);
      }
    }
    if (ops.size() != 1) {
      throw n.error(
          ops.isEmpty()
              ? "a condition needs one test (equals, notEquals, in, notIn, above, below, atLeast, atMost, blank) or all / any / not / chance"
              : "use only one test per condition, found " + ops + "; combine them with all: [...]");
    }
    Cond.Op op = Cond.Op.byKey(ops.get(0));
    Expr operand = expr(n, Set.of(ops.get(0)));
    return new Cond.Compare(operand, op, operands(op, n.get(ops.get(0))));
  }

  private List<Expr.Const> operands(Cond.Op op, YNode n) {
    switch (op) {
      case IN, NOT_IN -> {
        return constants(n);
      }
      case EQUALS, NOT_EQUALS -> {
        if (!n.isScalar()) {
          throw n.error(op.key + " takes one value; use in: [...] for several");
        }
        return List.of(constant(n));
      }
      case BLANK -> {
        if (!(n.value() instanceof Boolean)) {
          throw n.error("blank takes true or false");
        }
        return List.of(constant(n));
      }
      default -> {
        n.requireNumber();
        return List.of(constant(n));
      }
    }
  }

  private Expr count(YNode n) {
    n.requireMap();
    Set<String> allowed = new HashSet<>(Set.of("columns"));
    for (Cond.Op op : Cond.Op.values()) {
      allowed.add(op.key);
    }
    n.onlyKeys(allowed);
    if (!n.has("columns")) {
      throw n.error("count needs 'columns': the columns to count");
    }
    List<String> columns = new ArrayList<>();
    for (YNode c : n.get("columns").requireList().items()) {
      columns.add(column(c).name());
    }
    List<String> ops = n.entries().keySet().stream().filter(k -> !k.equals("columns")).toList();
    if (ops.size() != 1) {
      throw n.error("count needs exactly one test, e.g. equals: \"Yes\"");
    }
    Cond.Op op = Cond.Op.byKey(ops.get(0));
    return new Expr.Count(columns, op, operands(op, n.get(ops.get(0))));
  }

  private Expr cases(YNode n) {
    List<Expr.Case> cases = new ArrayList<>();
    for (YNode c : n.requireList().items()) {
      c.requireMap();
      c.onlyKeys(Set.of("when", "value"));
      if (!c.has("when") || !c.has("value")) {
        throw c.error("each case needs 'when' and 'value'");
      }
      cases.add(new Expr.Case(cond(c.get("when")), expr(c.get("value"), Set.of())));
    }
    if (cases.isEmpty()) {
      throw n.error("cases needs at least one case");
    }
    return new Expr.Cases(cases);
  }

  private Expr random(YNode n) {
    List<YNode> bounds = n.requireList().items();
    if (bounds.size() != 2) {
      throw n.error("random takes [min, max]");
    }
    double min = bounds.get(0).requireNumber();
    double max = bounds.get(1).requireNumber();
    if (max < min) {
      throw n.error("random: max is below min");
    }
    boolean whole = bounds.get(0).value() instanceof Long && bounds.get(1).value() instanceof Long;
    return new Expr.Random(min, max, whole, n.path);
  }

  private Expr.Column column(YNode n) {
    String name = n.requireText();
    uses.add(new Mapping.ColumnUse(name, n));
    return new Expr.Column(name);
  }

  private Expr ref(YNode n) {
    String name = n.requireText();
    if (!derivedNames.contains(name)) {
      throw n.error("no derived value named '" + name + "'; derive has " + derivedNames);
    }
    refs.add(new Mapping.ColumnUse(name, n));
    return new Expr.Ref(name);
  }

  private static Expr.Const constant(YNode n) {
    if (!n.isScalar()) {
      throw n.error("expected a single value, found " + n.describe());
    }
    return new Expr.Const(n.value(), n.text());
  }

  private List<Expr.Const> constants(YNode n) {
    if (n.isScalar()) {
      return List.of(constant(n));
    }
    List<Expr.Const> out = new ArrayList<>();
    for (YNode c : n.requireList().items()) {
      out.add(constant(c));
    }
    return out;
  }

  private static void checkCycles(Map<String, Expr> derive, Map<String, YNode> nodes) {
    for (String start : derive.keySet()) {
      Set<String> seen = new HashSet<>();
      if (reaches(derive, start, start, seen)) {
        throw nodes.get(start).error("derived value '" + start + "' depends on itself");
      }
    }
  }

  private static boolean reaches(
      Map<String, Expr> derive, String target, String at, Set<String> seen) {
    for (String r : refs(derive.get(at))) {
      if (r.equals(target)) {
        return true;
      }
      if (seen.add(r) && reaches(derive, target, r, seen)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> refs(Expr e) {
    List<String> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  private static void collect(Object e, List<String> out) {
    if (e instanceof Expr.Ref r) {
      out.add(r.name());
    } else if (e instanceof Expr.Chain c) {
      collect(c.base(), out);
    } else if (e instanceof Expr.Sum s) {
      s.terms().forEach(t -> collect(t, out));
    } else if (e instanceof Expr.Cases cs) {
      cs.cases()
          .forEach(
              c -> {
                collect(c.when(), out);
                collect(c.value(), out);
              });
    } else if (e instanceof Expr.Test t) {
      collect(t.cond(), out);
    } else if (e instanceof Cond.Compare c) {
      collect(c.operand(), out);
    } else if (e instanceof Cond.All a) {
      a.conds().forEach(c -> collect(c, out));
    } else if (e instanceof Cond.Any a) {
      a.conds().forEach(c -> collect(c, out));
    } else if (e instanceof Cond.Not n) {
      collect(n.cond(), out);
    }
  }

  private static <V> Map<String, V> ordered(Object... kv) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      V v = (V) kv[i + 1];
      m.put((String) kv[i], v);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
