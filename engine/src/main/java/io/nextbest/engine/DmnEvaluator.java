package io.nextbest.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.ChronoPeriod;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.core.impl.BaseDMNTypeImpl;
import org.kie.dmn.feel.lang.types.BuiltInType;
import org.kie.dmn.feel.lang.types.impl.ComparablePeriod;
import org.kie.dmn.feel.runtime.FEELFunction;
import org.kie.dmn.feel.runtime.Range;
import org.kie.dmn.feel.runtime.custom.ZoneTime;
import org.kie.dmn.feel.runtime.functions.DateAndTimeFunction;
import org.kie.dmn.feel.runtime.functions.FEELFnResult;
import org.kie.dmn.feel.runtime.functions.TimeFunction;
import org.kie.dmn.model.api.DMNModelInstrumentedBase;
import org.kie.dmn.model.api.Decision;

/**
 * Evaluates any DMN model of a rule-set version directly, like Kogito's generated endpoints: JSON
 * inputs are converted to the FEEL values their declared types expect, every decision is evaluated,
 * and each result is converted back to JSON with the messages.
 *
 * <p>JSON to FEEL, by the input's type (item definitions are followed to their FEEL base type):
 *
 * <ul>
 *   <li>number: a JSON number, as an exact {@link BigDecimal} (never through {@code double} when
 *       the JSON was read with {@link #jsonMapper()})
 *   <li>string, boolean: a JSON string, a JSON boolean
 *   <li>date: {@code "2026-01-31"} as {@link LocalDate}
 *   <li>time: {@code "10:15:30"} as {@link LocalTime}, {@code "10:15:30+01:00"} as {@link
 *       OffsetTime}, {@code "10:15:30@Europe/Paris"} as FEEL's zoned time
 *   <li>date and time: {@code "2026-01-31T10:15:30"} as {@link LocalDateTime}; with an offset or a
 *       zone ({@code +01:00}, {@code [Europe/Paris]} or FEEL's {@code @Europe/Paris}) as {@link
 *       ZonedDateTime}, which is how FEEL itself represents them
 *   <li>days and time duration: {@code "P1DT2H"} as {@link Duration}
 *   <li>years and months duration: {@code "P1Y2M"} as FEEL's {@link ComparablePeriod}
 *   <li>collections: a JSON array, each element by the element type; composites: a JSON object with
 *       only the declared fields (absent ones are null), each by its field type
 *   <li>Any or no type: numbers as BigDecimal, strings, booleans, objects as maps, arrays as lists
 *   <li>null is null; an input left out of the JSON is null
 * </ul>
 *
 * <p>FEEL to JSON: numbers as exact JSON numbers (never with a positive exponent), strings,
 * booleans, contexts as objects, lists as arrays, dates, times and date-times as ISO-8601 strings
 * (a zone region as {@code [Europe/Paris]}, a zoned time as FEEL's {@code 10:15:30@Europe/Paris}),
 * durations as {@code P1DT2H} and {@code P1Y2M}, ranges and functions as their FEEL text, null as
 * null.
 */
public final class DmnEvaluator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern YEARS_MONTHS = Pattern.compile("(-)?P(?:(\\d+)Y)?(?:(\\d+)M)?");
  private static final ObjectMapper JSON_MAPPER = createJsonMapper();
  private static final String DATE = "a date (yyyy-mm-dd)";
  private static final String TIME = "a time (hh:mm:ss, with an optional offset or @zone)";
  private static final String DATE_TIME =
      "a date and time (yyyy-mm-ddThh:mm:ss, with an optional offset or zone)";
  private static final String DAYS_TIME = "a days and time duration (e.g. P1DT2H30M)";
  private static final String YEARS_MONTHS_TEXT = "a years and months duration (e.g. P1Y2M)";

  private DmnEvaluator() {}

  /** One DMN model: its inputs and decisions, each sorted by name. */
  public record ModelInfo(
      String name, String namespace, List<InputInfo> inputs, List<DecisionInfo> decisions) {}

  /**
   * An input (or a field of a composite input): its type's name as declared ({@code number}, {@code
   * date}, {@code tCustomer}), the FEEL type a value (or each element, for a collection) converts
   * to ({@code number}, {@code context}, {@code Any}...), whether it is a list, the allowed values
   * of a constrained type as FEEL text, and the fields of a composite (or of a composite
   * collection's elements), in declaration order.
   */
  public record InputInfo(
      String name,
      String type,
      String feelType,
      boolean collection,
      List<String> allowedValues,
      List<InputInfo> fields) {}

  /** A decision and the name of its declared result type. */
  public record DecisionInfo(String name, String type, boolean collection) {}

  /**
   * The outcome of one decision: SUCCEEDED, FAILED, SKIPPED, NOT_EVALUATED; its result, JSON null
   * if none; its element id.
   */
  public record DecisionOutcome(
      String name,
      String status,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode result,
      String id) {}

  /**
   * One message of the evaluation: its level (ERROR, WARNING, INFO), the library's message type,
   * the text, the id of the model element it is about and the decision it arose in, when known.
   */
  public record Message(
      String severity, String type, String text, String sourceId, String decision) {}

  /**
   * One evaluation of a decision table: the model and the decision (or knowledge model) it belongs
   * to, the table's id, its hit policy and every row whose inputs matched, in row order.
   */
  public record TableMatch(
      String model, String decision, String table, String hitPolicy, List<RowMatch> matched) {}

  /**
   * A matched row: its number as the editor shows it (from 1), its rule id, its annotation cells
   * (joined with {@code " | "}, null if none), and whether the hit policy selected its outputs
   * (FIRST and PRIORITY select one of several matches; UNIQUE, ANY, COLLECT and the orders all).
   */
  public record RowMatch(int row, String id, String annotation, boolean selected) {}

  /**
   * Every decision of the model, by name, every message, and every decision table evaluated with
   * the rows it matched (the explanation of the results), in evaluation order.
   */
  public record Evaluation(
      String model,
      String namespace,
      List<DecisionOutcome> decisions,
      List<Message> messages,
      List<TableMatch> tables) {
    /** The result of the named decision; throws if the model has no such decision. */
    public JsonNode result(String decision) {
      return outcome(decision).result();
    }

    /** The outcome of the named decision; throws if the model has no such decision. */
    public DecisionOutcome outcome(String decision) {
      for (DecisionOutcome d : decisions) {
        if (d.name().equals(decision)) {
          return d;
        }
      }
      throw new IllegalArgumentException(
          "model '" + model + "' has no decision '" + decision + "'");
    }

    /** Whether any decision failed or any message is an error. */
    public boolean failed() {
      return messages.stream().anyMatch(m -> "ERROR".equals(m.severity()))
          || decisions.stream().anyMatch(d -> "FAILED".equals(d.status()));
    }
  }

  /**
   * The project's JSON configuration made exact for DMN values: decimals are read as {@link
   * BigDecimal} with their trailing zeros, and written without exponents. Read request bodies for
   * {@link #evaluate} with it (a body read as {@code double} has already lost digits beyond 17).
   */
  public static ObjectMapper jsonMapper() {
    return JSON_MAPPER;
  }

  private static ObjectMapper createJsonMapper() {
    ObjectMapper m = Json.mapper().copy();
    m.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    m.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    m.configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    return m;
  }

  // ------------------------------------------------------------------------------------ models

  /** Every DMN model of the version (the NBA models and any standalone ones), sorted by name. */
  public static List<ModelInfo> models(RuleSet rs) {
    List<ModelInfo> out = new ArrayList<>();
    for (DMNModel m : rs.dmn().models().values()) {
      out.add(describe(m));
    }
    out.sort(Comparator.comparing(ModelInfo::name));
    return List.copyOf(out);
  }

  private static ModelInfo describe(DMNModel m) {
    List<InputInfo> inputs = new ArrayList<>();
    for (InputDataNode in : m.getInputs()) {
      inputs.add(describe(in.getName(), in.getType(), 0));
    }
    inputs.sort(Comparator.comparing(InputInfo::name));
    List<DecisionInfo> decisions = new ArrayList<>();
    for (DecisionNode d : m.getDecisions()) {
      DMNType t = d.getResultType();
      decisions.add(
          new DecisionInfo(
              d.getName(), t == null ? "Any" : t.getName(), t != null && isCollection(t)));
    }
    decisions.sort(Comparator.comparing(DecisionInfo::name));
    return new ModelInfo(
        m.getName(), m.getNamespace(), List.copyOf(inputs), List.copyOf(decisions));
  }

  private static InputInfo describe(String name, DMNType type, int depth) {
    if (type == null) {
      return new InputInfo(name, "Any", "Any", false, List.of(), List.of());
    }
    Kind kind = kindOf(type);
    Kind element = kind;
    while (element.is(Kind.Tag.LIST) && element.element() != null) {
      element = element.element();
    }
    List<InputInfo> fields = new ArrayList<>();
    if (element.is(Kind.Tag.CONTEXT) && element.fields() != null && depth < 16) {
      element.fields().forEach((k, v) -> fields.add(describe(k, v, depth + 1)));
    }
    List<String> allowed = new ArrayList<>();
    for (Object test : nonNull(type.getAllowedValues())) {
      allowed.add(String.valueOf(test));
    }
    return new InputInfo(
        name,
        type.getName(),
        element.feelName(),
        kind.is(Kind.Tag.LIST),
        List.copyOf(allowed),
        List.copyOf(fields));
  }

  // ------------------------------------------------------------------------------------ tables

  /**
   * A decision table as an analyst reads it: its model, the decision (or knowledge model) holding
   * it, its id and hit policy, its column labels and every row.
   */
  public record TableInfo(
      String model,
      String decision,
      String table,
      String hitPolicy,
      List<String> inputs,
      List<String> outputs,
      List<RowInfo> rows) {}

  /**
   * A row: number (from 1), rule id, input and output cells as FEEL text, annotation cells joined.
   */
  public record RowInfo(
      int row, String id, List<String> inputs, List<String> outputs, String annotation) {}

  /** Every decision table of every DMN model of the version, by model name then document order. */
  public static List<TableInfo> tables(RuleSet rs) {
    List<DMNModel> models = new ArrayList<>(rs.dmn().models().values());
    models.sort(Comparator.comparing(DMNModel::getName));
    List<TableInfo> out = new ArrayList<>();
    for (DMNModel m : models) {
      out.addAll(tables(m));
    }
    return List.copyOf(out);
  }

  /** Every decision table of a library model, in document order. */
  public static List<TableInfo> tables(StandaloneModel standalone) {
    return tables(standalone.model());
  }

  private static List<TableInfo> tables(DMNModel m) {
    List<TableInfo> out = new ArrayList<>();
    for (org.kie.dmn.model.api.DecisionTable dt :
        m.getDefinitions().findAllChildren(org.kie.dmn.model.api.DecisionTable.class)) {
      List<String> inputs = new ArrayList<>();
      for (org.kie.dmn.model.api.InputClause in : dt.getInput()) {
        String label = in.getLabel();
        inputs.add(
            label != null && !label.isBlank()
                ? label
                : in.getInputExpression() == null ? "input" : in.getInputExpression().getText());
      }
      List<String> outputs = new ArrayList<>();
      for (org.kie.dmn.model.api.OutputClause o : dt.getOutput()) {
        outputs.add(
            o.getName() != null && !o.getName().isBlank()
                ? o.getName()
                : o.getLabel() != null ? o.getLabel() : "output");
      }
      List<RowInfo> rows = new ArrayList<>();
      int n = 0;
      for (org.kie.dmn.model.api.DecisionRule r : dt.getRule()) {
        n++;
        List<String> ins =
            r.getInputEntry().stream()
                .map(e -> e.getText() == null ? "" : e.getText().strip())
                .toList();
        List<String> outs =
            r.getOutputEntry().stream()
                .map(e -> e.getText() == null ? "" : e.getText().strip())
                .toList();
        rows.add(new RowInfo(n, r.getId(), ins, outs, MatchedRows.annotation(r)));
      }
      out.add(
          new TableInfo(
              m.getName(),
              owner(dt),
              dt.getId(),
              MatchedRows.hitPolicy(dt),
              List.copyOf(inputs),
              List.copyOf(outputs),
              List.copyOf(rows)));
    }
    return out;
  }

  /** The name of the decision or knowledge model a table sits in. */
  private static String owner(DMNModelInstrumentedBase element) {
    for (DMNModelInstrumentedBase e = element; e != null; e = e.getParent()) {
      if (e instanceof org.kie.dmn.model.api.DRGElement d) {
        return d.getName();
      }
    }
    return null;
  }

  /**
   * The rows a decision's DMN policies matched: the three NBA tables evaluated afresh with the
   * decision's indices on the rule set it was made with.
   */
  public static List<TableMatch> matchedRows(RuleSet rs, io.nextbest.engine.model.Decision d) {
    return rs.dmn().trace(d.indices().experience().value(), d.indices().engagement().value());
  }

  // ------------------------------------------------------------------------------------ schemas

  /**
   * JSON Schemas (draft 2020-12, the dialect of OpenAPI 3.1) generated from a model's types: its
   * inputs as one object with a property per input, its decisions' results as one object with a
   * property per decision. Composites are closed ({@code additionalProperties: false}) as the
   * conversion refuses unknown fields; every value may be null, as in DMN.
   */
  public record Schemas(ObjectNode inputs, ObjectNode results) {}

  public static Schemas schemas(StandaloneModel standalone) {
    DMNModel m = standalone.model();
    ObjectNode inputs = closedObject();
    List<InputDataNode> in = new ArrayList<>(m.getInputs());
    in.sort(Comparator.comparing(InputDataNode::getName));
    for (InputDataNode i : in) {
      ((ObjectNode) inputs.get("properties")).set(i.getName(), schema(kindOf(i.getType()), 0));
    }
    ObjectNode results = closedObject();
    List<DecisionNode> ds = new ArrayList<>(m.getDecisions());
    ds.sort(Comparator.comparing(DecisionNode::getName));
    for (DecisionNode d : ds) {
      ((ObjectNode) results.get("properties"))
          .set(d.getName(), schema(kindOf(d.getResultType()), 0));
    }
    return new Schemas(inputs, results);
  }

  private static ObjectNode closedObject() {
    ObjectNode o = NODES.objectNode();
    o.put("type", "object");
    o.set("properties", NODES.objectNode());
    o.put("additionalProperties", false);
    return o;
  }

  private static ObjectNode schema(Kind kind, int depth) {
    ObjectNode s = NODES.objectNode();
    switch (kind.tag()) {
      case ANY -> {
        return s;
      }
      case NUMBER -> nullable(s, "number");
      case STRING -> nullable(s, "string");
      case BOOLEAN -> nullable(s, "boolean");
      case DATE -> nullable(s, "string").put("format", "date");
      case TIME -> nullable(s, "string").put("description", TIME);
      case DATE_TIME -> nullable(s, "string").put("description", DATE_TIME);
      case DAYS_TIME -> nullable(s, "string").put("description", DAYS_TIME);
      case YEARS_MONTHS -> nullable(s, "string").put("description", YEARS_MONTHS_TEXT);
      case DURATION ->
          nullable(s, "string").put("description", "a duration (e.g. P1Y2M or P1DT2H)");
      case LIST -> {
        nullable(s, "array");
        if (kind.element() != null && depth < 16) {
          s.set("items", schema(kind.element(), depth + 1));
        }
      }
      case CONTEXT -> {
        nullable(s, "object");
        if (kind.fields() != null && depth < 16) {
          ObjectNode props = s.putObject("properties");
          kind.fields().forEach((name, type) -> props.set(name, schema(kindOf(type), depth + 1)));
          s.put("additionalProperties", false);
        }
      }
      case UNSUPPORTED ->
          s.put("description", "type " + kind.typeName() + " cannot be given as JSON");
    }
    if (kind.constrained() != null && !nonNull(kind.constrained().getAllowedValues()).isEmpty()) {
      List<String> allowed = new ArrayList<>();
      for (Object test : kind.constrained().getAllowedValues()) {
        allowed.add(String.valueOf(test));
      }
      s.put(
          "description",
          (s.has("description") ? s.get("description").asText() + "; " : "")
              + "allowed values of "
              + kind.constrained().getName()
              + ": "
              + String.join(", ", allowed));
    }
    return s;
  }

  private static ObjectNode nullable(ObjectNode s, String type) {
    s.putArray("type").add(type).add("null");
    return s;
  }

  // ------------------------------------------------------------------------------------ evaluate

  /**
   * Converts {@code inputs} (a JSON object by input name) to FEEL values by each input's type,
   * evaluates every decision of the model and converts the results back to JSON.
   *
   * @throws IllegalArgumentException if the version has no such model (the message lists them)
   * @throws InvalidContextException naming every input (with its path inside contexts and lists)
   *     that is not an input of the model or cannot be converted to its type
   */
  public static Evaluation evaluate(RuleSet rs, String modelName, JsonNode inputs) {
    DMNModel model = rs.dmn().models().get(modelName);
    if (model == null) {
      throw new IllegalArgumentException(
          "version "
              + rs.version()
              + " has no DMN model named '"
              + modelName
              + "'; its models are "
              + new TreeSet<>(rs.dmn().models().keySet()));
    }
    return evaluate(rs.dmn().runtime(), model, inputs);
  }

  /** As {@link #evaluate(RuleSet, String, JsonNode)}, for a model of the library. */
  public static Evaluation evaluate(StandaloneModel standalone, JsonNode inputs) {
    return evaluate(standalone.runtime(), standalone.model(), inputs);
  }

  /** The model's inputs and decisions. */
  public static ModelInfo describe(StandaloneModel standalone) {
    return describe(standalone.model());
  }

  private static Evaluation evaluate(DMNRuntime runtime, DMNModel model, JsonNode inputs) {
    String modelName = model.getName();
    DMNContext ctx = runtime.newContext();
    List<FieldError> errors = new ArrayList<>();
    Map<String, InputDataNode> byName = new LinkedHashMap<>();
    for (InputDataNode in : model.getInputs()) {
      byName.put(in.getName(), in);
    }
    if (inputs != null && !inputs.isNull() && !inputs.isMissingNode() && !inputs.isObject()) {
      errors.add(
          new FieldError(
              "$",
              "must be a JSON object of input values by input name, got " + describeJson(inputs)));
    } else if (inputs != null && inputs.isObject()) {
      for (Map.Entry<String, JsonNode> e : inputs.properties()) {
        if (!byName.containsKey(e.getKey())) {
          errors.add(
              new FieldError(
                  e.getKey(),
                  "is not an input of '"
                      + modelName
                      + "'; its inputs are "
                      + new TreeSet<>(byName.keySet())));
        }
      }
    }
    for (InputDataNode in : byName.values()) {
      JsonNode value = inputs == null || !inputs.isObject() ? null : inputs.get(in.getName());
      ctx.set(in.getName(), toFeel(value, in.getType(), in.getName(), errors));
    }
    if (!errors.isEmpty()) {
      throw new InvalidContextException(errors);
    }
    MatchedRows.Collected<DMNResult> run =
        MatchedRows.collect(() -> runtime.evaluateAll(model, ctx));
    return toEvaluation(model, run.value(), MatchedRows.resolve(runtime.getModels(), run.tables()));
  }

  private static Evaluation toEvaluation(
      DMNModel model, DMNResult result, List<TableMatch> tables) {
    List<DecisionOutcome> decisions = new ArrayList<>();
    Map<DMNMessage, String> byMessage = new IdentityHashMap<>();
    for (DMNDecisionResult d : result.getDecisionResults()) {
      decisions.add(
          new DecisionOutcome(
              d.getDecisionName(),
              d.getEvaluationStatus().name(),
              toJson(d.getResult()),
              d.getDecisionId()));
      for (DMNMessage m : d.getMessages()) {
        byMessage.put(m, d.getDecisionName());
      }
    }
    decisions.sort(Comparator.comparing(DecisionOutcome::name));
    List<Message> messages = new ArrayList<>();
    for (DMNMessage m : result.getMessages()) {
      String decision = byMessage.containsKey(m) ? byMessage.get(m) : decisionOf(model, m);
      String level = m.getLevel() == null ? "INFO" : m.getLevel().name(); // ERROR, WARNING, INFO
      messages.add(
          new Message(
              level,
              m.getMessageType() == null ? null : m.getMessageType().name(),
              m.getText(),
              m.getSourceId(),
              decision));
    }
    return new Evaluation(
        model.getName(),
        model.getNamespace(),
        List.copyOf(decisions),
        List.copyOf(messages),
        tables);
  }

  /** The decision a message is about: its source element, or the decision that element sits in. */
  private static String decisionOf(DMNModel model, DMNMessage m) {
    if (m.getSourceId() != null) {
      DecisionNode node = model.getDecisionById(m.getSourceId());
      if (node != null) {
        return node.getName();
      }
    }
    if (m.getSourceReference() instanceof DMNModelInstrumentedBase element) {
      for (DMNModelInstrumentedBase e = element; e != null; e = e.getParent()) {
        if (e instanceof Decision d) {
          return d.getName();
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------ types

  /** What a DMN type converts to, with its element type (lists) or fields (contexts). */
  private record Kind(
      Tag tag, Kind element, Map<String, DMNType> fields, DMNType constrained, String typeName) {
    enum Tag {
      ANY,
      NUMBER,
      STRING,
      BOOLEAN,
      DATE,
      TIME,
      DATE_TIME,
      DAYS_TIME,
      YEARS_MONTHS,
      DURATION,
      LIST,
      CONTEXT,
      UNSUPPORTED
    }

    static Kind of(Tag tag) {
      return new Kind(tag, null, null, null, null);
    }

    boolean is(Tag t) {
      return tag == t;
    }

    Kind constrainedBy(DMNType type) {
      return new Kind(tag, element, fields, type, typeName);
    }

    String feelName() {
      return switch (tag) {
        case ANY -> "Any";
        case NUMBER -> "number";
        case STRING -> "string";
        case BOOLEAN -> "boolean";
        case DATE -> "date";
        case TIME -> "time";
        case DATE_TIME -> "date and time";
        case DAYS_TIME -> "days and time duration";
        case YEARS_MONTHS -> "years and months duration";
        case DURATION -> "duration";
        case LIST -> "list";
        case CONTEXT -> "context";
        case UNSUPPORTED -> typeName;
      };
    }
  }

  private static boolean isCollection(DMNType t) {
    return kindOf(t).is(Kind.Tag.LIST);
  }

  /**
   * Follows a DMN type to what its values convert to. Built-in FEEL types have no base type and a
   * FEEL {@link BuiltInType} (the two durations share one, so their names tell them apart; Any
   * reports itself as a collection, so it is recognised first). Item definitions are collections
   * (element type: the base type, or the type's own fields for an anonymous composite), composites,
   * or constrained aliases of their base type.
   */
  private static Kind kindOf(DMNType t) {
    return kindOf(t, 0);
  }

  private static Kind kindOf(DMNType t, int depth) {
    if (t == null || depth > 32) {
      return Kind.of(Kind.Tag.ANY);
    }
    BuiltInType builtIn =
        t instanceof BaseDMNTypeImpl b && b.getFeelType() instanceof BuiltInType bt ? bt : null;
    if (t.getBaseType() == null && !t.isComposite() && builtIn != null) {
      return builtIn(builtIn, t.getName());
    }
    if (t.isCollection()) {
      DMNType element = t.getBaseType();
      if (element == null) {
        return new Kind(
            Kind.Tag.LIST,
            new Kind(Kind.Tag.CONTEXT, null, t.getFields(), null, t.getName()),
            null,
            null,
            t.getName());
      }
      return new Kind(Kind.Tag.LIST, kindOf(element, depth + 1), null, null, t.getName());
    }
    if (t.isComposite()) {
      return new Kind(Kind.Tag.CONTEXT, null, t.getFields(), null, t.getName());
    }
    if (t.getBaseType() != null) {
      Kind base = kindOf(t.getBaseType(), depth + 1);
      boolean constrained =
          !nonNull(t.getAllowedValues()).isEmpty() || !nonNull(t.getTypeConstraint()).isEmpty();
      return constrained && !base.is(Kind.Tag.LIST) && !base.is(Kind.Tag.CONTEXT)
          ? base.constrainedBy(t)
          : base;
    }
    return Kind.of(Kind.Tag.ANY);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Kind builtIn(BuiltInType type, String name) {
    return switch (type) {
      case NUMBER -> Kind.of(Kind.Tag.NUMBER);
      case STRING -> Kind.of(Kind.Tag.STRING);
      case BOOLEAN -> Kind.of(Kind.Tag.BOOLEAN);
      case DATE -> Kind.of(Kind.Tag.DATE);
      case TIME -> Kind.of(Kind.Tag.TIME);
      case DATE_TIME -> Kind.of(Kind.Tag.DATE_TIME);
      case DURATION -> {
        String n = name == null ? "" : name.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        if (n.equals("daysandtimeduration") || n.equals("daytimeduration")) {
          yield Kind.of(Kind.Tag.DAYS_TIME);
        }
        if (n.equals("yearsandmonthsduration") || n.equals("yearmonthduration")) {
          yield Kind.of(Kind.Tag.YEARS_MONTHS);
        }
        yield Kind.of(Kind.Tag.DURATION);
      }
      case LIST -> new Kind(Kind.Tag.LIST, Kind.of(Kind.Tag.ANY), null, null, name);
      case CONTEXT -> Kind.of(Kind.Tag.CONTEXT);
      case UNKNOWN -> Kind.of(Kind.Tag.ANY);
      default -> new Kind(Kind.Tag.UNSUPPORTED, null, null, null, name);
    };
  }

  // ------------------------------------------------------------------------------------ JSON ->
  // FEEL

  private static Object toFeel(JsonNode node, DMNType type, String path, List<FieldError> errors) {
    return toFeel(node, kindOf(type), path, errors);
  }

  private static Object toFeel(JsonNode node, Kind kind, String path, List<FieldError> errors) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    Object value;
    try {
      value = convert(node, kind, path, errors);
    } catch (ConversionException e) {
      errors.add(new FieldError(path, e.getMessage()));
      return null;
    }
    if (value != null
        && kind.constrained() != null
        && !kind.constrained().isAssignableValue(value)) {
      List<Object> tests = new ArrayList<>(nonNull(kind.constrained().getAllowedValues()));
      tests.addAll(nonNull(kind.constrained().getTypeConstraint()));
      errors.add(
          new FieldError(
              path,
              "is not an allowed value of "
                  + kind.constrained().getName()
                  + " "
                  + tests
                  + ", got "
                  + describeJson(node)));
      return null;
    }
    return value;
  }

  private static final class ConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    ConversionException(String message) {
      super(message, null, false, false);
    }
  }

  private static Object convert(JsonNode node, Kind kind, String path, List<FieldError> errors)
      throws ConversionException {
    return switch (kind.tag()) {
      case ANY -> any(node);
      case NUMBER -> number(node, "a number");
      case STRING -> {
        if (!node.isTextual()) {
          throw mismatch("a string", node);
        }
        yield node.textValue();
      }
      case BOOLEAN -> {
        if (!node.isBoolean()) {
          throw mismatch("true or false", node);
        }
        yield node.booleanValue();
      }
      case DATE -> date(text(node, DATE));
      case TIME -> time(text(node, TIME));
      case DATE_TIME -> dateTime(text(node, DATE_TIME));
      case DAYS_TIME -> daysAndTime(text(node, DAYS_TIME));
      case YEARS_MONTHS -> yearsAndMonths(text(node, YEARS_MONTHS_TEXT));
      case DURATION -> {
        String s = text(node, "a duration (e.g. P1Y2M or P1DT2H)");
        yield YEARS_MONTHS.matcher(s).matches() ? yearsAndMonths(s) : daysAndTime(s);
      }
      case LIST -> list(node, kind, path, errors);
      case CONTEXT -> context(node, kind, path, errors);
      case UNSUPPORTED ->
          throw new ConversionException(
              "has type " + kind.typeName() + ", which cannot be given as JSON");
    };
  }

  private static List<Object> list(JsonNode node, Kind kind, String path, List<FieldError> errors)
      throws ConversionException {
    if (!node.isArray()) {
      throw mismatch("a list (JSON array)", node);
    }
    List<Object> list = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      list.add(toFeel(node.get(i), kind.element(), path + "[" + i + "]", errors));
    }
    return list;
  }

  /**
   * A context: any fields when the type declares none, else exactly the declared ones (absent ones
   * null).
   */
  private static Map<String, Object> context(
      JsonNode node, Kind kind, String path, List<FieldError> errors) throws ConversionException {
    if (!node.isObject()) {
      throw mismatch("a context (JSON object)", node);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    if (kind.fields() == null) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(
            e.getKey(),
            toFeel(e.getValue(), Kind.of(Kind.Tag.ANY), path + "." + e.getKey(), errors));
      }
      return map;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!kind.fields().containsKey(e.getKey())) {
        errors.add(
            new FieldError(
                path + "." + e.getKey(),
                "is not a field of "
                    + kind.typeName()
                    + "; its fields are "
                    + kind.fields().keySet()));
      }
    }
    for (Map.Entry<String, DMNType> f : kind.fields().entrySet()) {
      map.put(
          f.getKey(), toFeel(node.get(f.getKey()), f.getValue(), path + "." + f.getKey(), errors));
    }
    return map;
  }

  private static Object any(JsonNode node) throws ConversionException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isNumber()) {
      return number(node, "a number");
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode n : node) {
        list.add(any(n));
      }
      return list;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(e.getKey(), any(e.getValue()));
      }
      return map;
    }
    throw mismatch("a JSON value", node);
  }

  private static BigDecimal number(JsonNode node, String expected) throws ConversionException {
    if (!node.isNumber()) {
      throw mismatch(expected, node);
    }
    try {
      if (node.isBigDecimal()) {
        return node.decimalValue();
      }
      if (node.isIntegralNumber()) {
        return new BigDecimal(node.bigIntegerValue());
      }
      // a double or float: its shortest decimal form, the digits the JSON had (up to 17)
      return new BigDecimal(node.asText());
    } catch (NumberFormatException e) {
      throw mismatch(expected, node);
    }
  }

  private static String text(JsonNode node, String expected) throws ConversionException {
    if (!node.isTextual()) {
      throw mismatch(expected, node);
    }
    return node.textValue().strip();
  }

  private static ConversionException mismatch(String expected, JsonNode node) {
    return new ConversionException("expects " + expected + ", got " + describeJson(node));
  }

  private static ConversionException invalid(String expected, String text) {
    return new ConversionException("expects " + expected + ", got \"" + text + "\"");
  }

  private static String describeJson(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    String s = node.toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static LocalDate date(String s) throws ConversionException {
    try {
      return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeException e) {
      throw invalid(DATE, s);
    }
  }

  private static Object time(String s) throws ConversionException {
    ConversionException expected = invalid(TIME, s);
    if (s.contains("@")) {
      return feel(TimeFunction.INSTANCE.invoke(s), expected);
    }
    try {
      TemporalAccessor t =
          DateTimeFormatter.ISO_TIME.parseBest(s, OffsetTime::from, LocalTime::from);
      return t;
    } catch (DateTimeException e) {
      throw expected;
    }
  }

  private static Object dateTime(String s) throws ConversionException {
    ConversionException expected = invalid(DATE_TIME, s);
    if (s.contains("@")) {
      return feel(DateAndTimeFunction.INSTANCE.invoke(s), expected);
    }
    try {
      // an offset or zone gives a ZonedDateTime, as FEEL's own date and time() does
      return DateTimeFormatter.ISO_DATE_TIME.parseBest(s, ZonedDateTime::from, LocalDateTime::from);
    } catch (DateTimeException e) {
      throw expected;
    }
  }

  private static Object feel(
      FEELFnResult<? extends TemporalAccessor> result, ConversionException expected)
      throws ConversionException {
    Object value = result.getOrElse(null);
    if (value == null) {
      throw expected;
    }
    return value;
  }

  private static Duration daysAndTime(String s) throws ConversionException {
    try {
      return Duration.parse(s);
    } catch (DateTimeException e) {
      throw invalid(DAYS_TIME, s);
    }
  }

  private static ComparablePeriod yearsAndMonths(String s) throws ConversionException {
    Matcher m = YEARS_MONTHS.matcher(s);
    if (!m.matches() || (m.group(2) == null && m.group(3) == null)) {
      throw invalid(YEARS_MONTHS_TEXT, s);
    }
    try {
      Period p =
          Period.of(
                  m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                  m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                  0)
              .normalized();
      return new ComparablePeriod(m.group(1) == null ? p : p.negated());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConversionException(
          "is a years and months duration too long to represent: \"" + s + "\"");
    }
  }

  // ------------------------------------------------------------------------------------ FEEL ->
  // JSON

  /** Converts a FEEL value to JSON (see the class comment for the forms). */
  static JsonNode toJson(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof BigDecimal d) {
      return NODES.numberNode(d.scale() < 0 ? d.setScale(0) : d);
    }
    if (v instanceof Number n) {
      return NODES.numberNode(decimal(n));
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof String s) {
      return NODES.textNode(s);
    }
    if (v instanceof DMNContext c) {
      return toJson(c.getAll());
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      map.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
      return o;
    }
    if (v instanceof Collection<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(x -> a.add(toJson(x)));
      return a;
    }
    if (v instanceof Object[] array) {
      return toJson(List.of(array));
    }
    String temporal = temporal(v);
    if (temporal != null) {
      return NODES.textNode(temporal);
    }
    if (v instanceof Range r) {
      return NODES.textNode(range(r));
    }
    if (v instanceof FEELFunction f) {
      return NODES.textNode("function " + f.getName());
    }
    try {
      return Json.mapper().valueToTree(v);
    } catch (IllegalArgumentException e) {
      return NODES.textNode(String.valueOf(v));
    }
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.toString());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** The ISO-8601 text of a date, time, date-time or duration; null for anything else. */
  private static String temporal(Object v) {
    if (v instanceof LocalDate d) {
      return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
    }
    if (v instanceof LocalTime t) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
    }
    if (v instanceof OffsetTime t) {
      return DateTimeFormatter.ISO_OFFSET_TIME.format(t);
    }
    if (v instanceof ZoneTime t) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(LocalTime.from(t))
          + "@"
          + t.getZoneId().getId();
    }
    if (v instanceof LocalDateTime t) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
    }
    if (v instanceof OffsetDateTime t) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }
    if (v instanceof ZonedDateTime t) {
      return t.getZone() instanceof ZoneOffset
          ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)
          : DateTimeFormatter.ISO_ZONED_DATE_TIME.format(t);
    }
    if (v instanceof Duration d) {
      return daysAndTime(d);
    }
    if (v instanceof ChronoPeriod p) {
      return yearsAndMonths(p);
    }
    if (v instanceof TemporalAccessor t) {
      return t.toString();
    }
    return null;
  }

  /** {@code P1DT2H30M}: days, then hours, minutes and seconds, a leading minus when negative. */
  private static String daysAndTime(Duration d) {
    if (d.isZero()) {
      return "PT0S";
    }
    boolean negative = d.isNegative();
    Duration a = d.abs();
    long days = a.toDays();
    long hours = a.toHoursPart();
    long minutes = a.toMinutesPart();
    long seconds = a.toSecondsPart();
    int nanos = a.toNanosPart();
    StringBuilder sb = new StringBuilder(negative ? "-P" : "P");
    if (days != 0) {
      sb.append(days).append('D');
    }
    if (hours != 0 || minutes != 0 || seconds != 0 || nanos != 0) {
      sb.append('T');
      if (hours != 0) {
        sb.append(hours).append('H');
      }
      if (minutes != 0) {
        sb.append(minutes).append('M');
      }
      if (seconds != 0 || nanos != 0) {
        sb.append(
                BigDecimal.valueOf(seconds)
                    .add(BigDecimal.valueOf(nanos, 9))
                    .stripTrailingZeros()
                    .toPlainString())
            .append('S');
      }
    }
    return sb.toString();
  }

  /**
   * {@code P1Y2M} from the total months (FEEL compares and prints them normalised), {@code P0M}
   * when zero.
   */
  private static String yearsAndMonths(ChronoPeriod p) {
    long total = ComparablePeriod.toTotalMonths(p);
    long days = p.get(ChronoUnit.DAYS);
    if (total == 0 && days == 0) {
      return "P0M";
    }
    boolean negative = total < 0 || (total == 0 && days < 0);
    long months = Math.abs(total);
    StringBuilder sb = new StringBuilder(negative ? "-P" : "P");
    if (months / 12 != 0) {
      sb.append(months / 12).append('Y');
    }
    if (months % 12 != 0) {
      sb.append(months % 12).append('M');
    }
    if (days != 0) {
      sb.append(negative ? -days : days).append('D');
    }
    return sb.toString();
  }

  /**
   * FEEL's text for a range: {@code [1..10)}, or {@code > 5} / {@code <= 5} when one end is open.
   */
  private static String range(Range r) {
    Object low = r.getLowEndPoint();
    Object high = r.getHighEndPoint();
    boolean lowClosed = r.getLowBoundary() == Range.RangeBoundary.CLOSED;
    boolean highClosed = r.getHighBoundary() == Range.RangeBoundary.CLOSED;
    if (low == null && high != null) {
      return (highClosed ? "<= " : "< ") + literal(high);
    }
    if (high == null && low != null) {
      return (lowClosed ? ">= " : "> ") + literal(low);
    }
    return (lowClosed ? "[" : "(") + literal(low) + ".." + literal(high) + (highClosed ? "]" : ")");
  }

  private static String literal(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    if (v instanceof LocalDate) {
      return "date(\"" + temporal(v) + "\")";
    }
    if (v instanceof LocalTime || v instanceof OffsetTime || v instanceof ZoneTime) {
      return "time(\"" + temporal(v) + "\")";
    }
    if (v instanceof LocalDateTime || v instanceof OffsetDateTime || v instanceof ZonedDateTime) {
      return "date and time(\"" + temporal(v) + "\")";
    }
    if (v instanceof Duration || v instanceof ChronoPeriod) {
      return "duration(\"" + temporal(v) + "\")";
    }
    return String.valueOf(v);
  }
}
