package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON Schema validator's output units (instance location, keyword, message) into field
 * errors worded for the client, each with the kind of problem it is: a value of the wrong type or
 * format, an unknown enumeration value or property (400), or a value that is missing or out of
 * range (the operation's 422 kind). The limits quoted come from the contract itself.
 */
final class SchemaErrors {
  /** Keywords that only say that a subschema failed; the unit saying why is reported too. */
  private static final Set<String> WRAPPERS =
      Set.of(
          "properties",
          "patternProperties",
          "$ref",
          "$dynamicRef",
          "items",
          "prefixItems",
          "allOf",
          "anyOf",
          "oneOf",
          "if",
          "then",
          "else",
          "dependentSchemas",
          "contains");

  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  /** One offending field and the kind of problem it makes. */
  record Found(FieldError error, Problem.Kind kind, boolean rootType) {
    boolean clientShape() {
      return kind.status == 400;
    }
  }

  private final JsonObject contract;
  private final JsonObject root;
  private final Problem.Kind invalid;

  /**
   * @param contract the whole document, for locations under {@code #/components}
   * @param root the schema the validator started from, for the other locations
   * @param invalid the kind for missing and out-of-range values
   */
  SchemaErrors(JsonObject contract, JsonObject root, Problem.Kind invalid) {
    this.contract = contract;
    this.root = root;
    this.invalid = invalid;
  }

  /**
   * @param units the validator's output units, wrappers included
   * @param instance what was validated, to quote the offending values
   * @param prefix the name of what was validated ({@code "limit"}, {@code "[3]"}), empty for a body
   */
  List<Found> map(List<OutputUnit> units, JsonNode instance, String prefix) {
    Set<String> declaredButInvalid = new java.util.HashSet<>();
    Set<String> wrongType = new java.util.HashSet<>();
    for (OutputUnit u : units) {
      if (keyword(u).equals("properties")) {
        declaredButInvalid.add(u.getInstanceLocation());
      } else if (keyword(u).equals("type")) {
        wrongType.add(u.getInstanceLocation());
      }
    }
    List<Found> out = new ArrayList<>();
    Set<FieldError> seen = new LinkedHashSet<>();
    for (OutputUnit u : units) {
      String keyword = keyword(u);
      if (WRAPPERS.contains(keyword) || u.getKeywordLocation().contains("/propertyNames/")) {
        continue;
      }
      // The validator also reports a declared property that failed its own schema as "additional".
      if (keyword.equals("additionalProperties")
          && declaredButInvalid.contains(u.getInstanceLocation())) {
        continue;
      }
      // A value of the wrong type also misses its format, pattern or range; its type is what to
      // fix.
      if (!keyword.equals("type")
          && !keyword.equals("enum")
          && wrongType.contains(u.getInstanceLocation())) {
        continue;
      }
      Found f = found(u, keyword, instance, prefix);
      if (f != null && seen.add(f.error())) {
        out.add(f);
      }
    }
    // Wrong shapes first: they are what the status says.
    List<Found> sorted = new ArrayList<>(out.stream().filter(Found::clientShape).toList());
    sorted.addAll(out.stream().filter(f -> !f.clientShape()).toList());
    return sorted;
  }

  /** The error one unit reports, or null when another unit of the same value says it better. */
  private Found found(OutputUnit u, String keyword, JsonNode instance, String prefix) {
    String pointer = pointer(u.getInstanceLocation());
    String field = join(prefix, Problems.pointerToPath(pointer));
    JsonNode value = instance == null ? null : instance.at(pointer);
    JsonObject schema = schemaOf(u.getAbsoluteKeywordLocation());
    switch (keyword) {
      case "required":
        return new Found(
            new FieldError(join(field, quoted(u.getError())), "is required"), invalid, false);
      case "type":
        if (schema.getJsonArray("enum") != null) {
          // The enum unit for the same value names the allowed values; one error says it all.
          return null;
        }
        return new Found(
            new FieldError(
                field, "must be " + expected(schema.getValue("type")) + ", was " + actual(value)),
            Problem.Kind.INVALID_TYPE,
            field.equals(prefix));
      case "enum":
        return new Found(
            new FieldError(
                field,
                "must be one of " + list(schema.getJsonArray("enum")) + ", was " + quote(value)),
            Problem.Kind.UNKNOWN_VALUE,
            false);
      case "const":
        return new Found(
            new FieldError(field, "must be " + schema.getValue("const") + ", was " + quote(value)),
            Problem.Kind.UNKNOWN_VALUE,
            false);
      case "format":
        return new Found(
            new FieldError(field, format(schema.getString("format"), value)),
            Problem.Kind.INVALID_TYPE,
            false);
      case "pattern":
        return new Found(
            new FieldError(
                field, "must match " + schema.getString("pattern") + ", was " + quote(value)),
            Problem.Kind.INVALID_TYPE,
            false);
      case "additionalProperties":
        return new Found(
            new FieldError(
                field,
                "is not a known property; expected one of "
                    + new TreeSet<>(
                        schema.getJsonObject("properties", new JsonObject()).fieldNames())),
            Problem.Kind.UNKNOWN_PROPERTY,
            false);
      case "propertyNames":
        return new Found(
            new FieldError(
                field,
                "has a key that is not allowed: \""
                    + quoted(u.getError())
                    + "\""
                    + allowedKeys(schema)),
            Problem.Kind.UNKNOWN_VALUE,
            false);
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        return new Found(
            new FieldError(
                field, range(schema) + ", was " + (value == null ? "missing" : value.asText())),
            invalid,
            false);
      case "minLength":
        return new Found(
            new FieldError(
                field,
                schema.getInteger("minLength") == 1
                    ? "must not be empty"
                    : "must be at least " + schema.getInteger("minLength") + " characters"),
            invalid,
            false);
      case "maxLength":
        return new Found(
            new FieldError(
                field, "must be at most " + schema.getInteger("maxLength") + " characters"),
            invalid,
            false);
      case "minItems":
        return new Found(
            new FieldError(
                field,
                "must hold at least "
                    + schema.getInteger("minItems")
                    + " items, holds "
                    + size(value)),
            invalid,
            false);
      case "maxItems":
        return new Found(
            new FieldError(
                field,
                "must hold at most "
                    + schema.getInteger("maxItems")
                    + " items, holds "
                    + size(value)),
            invalid,
            false);
      case "minProperties":
      case "maxProperties":
        return new Found(
            new FieldError(field, properties(schema) + ", has " + size(value)), invalid, false);
      default:
        return new Found(new FieldError(field, u.getError()), invalid, false);
    }
  }

  /**
   * The schema object holding the keyword of {@code absoluteKeywordLocation} ({@code
   * app:///#/components/schemas/Score/properties/value/minimum}).
   */
  private JsonObject schemaOf(String absoluteKeywordLocation) {
    String pointer = pointer(absoluteKeywordLocation);
    int last = pointer.lastIndexOf('/');
    String parent = last < 0 ? "" : pointer.substring(0, last);
    Object at = parent.startsWith("/components/") ? walk(contract, parent) : walk(root, parent);
    return at instanceof JsonObject o ? o : new JsonObject();
  }

  private Object walk(Object from, String pointer) {
    Object at = from;
    for (String token : pointer.split("/")) {
      if (token.isEmpty()) {
        continue;
      }
      String key = token.replace("~1", "/").replace("~0", "~");
      if (at instanceof JsonObject o) {
        at = o.getValue(key);
      } else if (at instanceof JsonArray a
          && key.chars().allMatch(Character::isDigit)
          && Integer.parseInt(key) < a.size()) {
        at = a.getValue(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return at;
  }

  /** A {@code $ref} into the components, resolved. */
  private JsonObject deref(Object schema) {
    if (schema instanceof JsonObject o
        && o.getString("$ref") != null
        && o.getString("$ref").startsWith("#/")) {
      Object target = walk(contract, o.getString("$ref").substring(1));
      return target instanceof JsonObject t ? t : o;
    }
    return schema instanceof JsonObject o ? o : new JsonObject();
  }

  private String allowedKeys(JsonObject schema) {
    JsonObject names = deref(schema.getValue("propertyNames"));
    if (names.getJsonArray("enum") != null) {
      return "; keys must be one of " + list(names.getJsonArray("enum"));
    }
    return names.getString("pattern") == null
        ? ""
        : "; keys must match " + names.getString("pattern");
  }

  private static String range(JsonObject schema) {
    Number min = schema.getNumber("minimum");
    Number max = schema.getNumber("maximum");
    if (min != null && max != null) {
      return "must be between " + min + " and " + max;
    }
    if (schema.getNumber("exclusiveMinimum") != null) {
      return "must be greater than " + schema.getNumber("exclusiveMinimum");
    }
    if (schema.getNumber("exclusiveMaximum") != null) {
      return "must be less than " + schema.getNumber("exclusiveMaximum");
    }
    return min != null ? "must be at least " + min : "must be at most " + max;
  }

  private static String properties(JsonObject schema) {
    Integer min = schema.getInteger("minProperties");
    Integer max = schema.getInteger("maxProperties");
    if (min != null && min.equals(max) && min == 1 && schema.getJsonObject("properties") != null) {
      return "must have exactly one of "
          + new TreeSet<>(schema.getJsonObject("properties").fieldNames());
    }
    return min != null
        ? "must have at least " + min + " properties" + (max == null ? "" : " and at most " + max)
        : "must have at most " + max + " properties";
  }

  private static String format(String format, JsonNode value) {
    if ("date-time".equals(format)) {
      return "must be an ISO-8601 instant such as 2026-11-23T10:00:00Z, was " + quote(value);
    }
    if ("int32".equals(format)) {
      return "is out of range for a 32-bit whole number, was " + quote(value);
    }
    if ("int64".equals(format)) {
      return "is out of range for a 64-bit whole number, was " + quote(value);
    }
    return "must be in the format " + format + ", was " + quote(value);
  }

  private static String expected(Object type) {
    if (type instanceof JsonArray types) {
      List<String> each = new ArrayList<>();
      types.forEach(t -> each.add(expected(t)));
      return String.join(" or ", each);
    }
    switch (String.valueOf(type)) {
      case "integer":
        return "a whole number";
      case "number":
        return "a number";
      case "boolean":
        return "true or false";
      case "string":
        return "a string";
      case "object":
        return "an object";
      case "array":
        return "an array";
      case "null":
        return "null";
      default:
        return "of type " + type;
    }
  }

  /** What the client sent, by its JSON type. */
  static String actual(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "missing";
    }
    switch (value.getNodeType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return value.isIntegralNumber() ? "a whole number" : "a decimal number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      default:
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The value itself when it is short and scalar, else its type. */
  private static String quote(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isContainerNode()) {
      return actual(value);
    }
    String text = value.isTextual() ? value.asText() : value.toString();
    text = text.length() > 100 ? text.substring(0, 100) + "…" : text;
    return value.isTextual() ? "\"" + text + "\"" : text;
  }

  private static int size(JsonNode value) {
    return value == null ? 0 : value.size();
  }

  private static String list(JsonArray values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(String.valueOf(v)));
    return out.toString();
  }

  private static String keyword(OutputUnit u) {
    String k = u.getKeywordLocation();
    return k == null ? "" : k.substring(k.lastIndexOf('/') + 1);
  }

  /**
   * The JSON pointer of a location such as {@code #/profile/csat/0} or {@code app:///#/properties}.
   */
  private static String pointer(String location) {
    if (location == null) {
      return "";
    }
    int hash = location.indexOf('#');
    return hash < 0 ? location : location.substring(hash + 1);
  }

  private static String quoted(String message) {
    Matcher m = QUOTED.matcher(message == null ? "" : message);
    return m.find() ? m.group(1) : "";
  }

  private static String join(String path, String field) {
    if (path.isEmpty()) {
      return field;
    }
    if (field.isEmpty()) {
      return path;
    }
    return field.startsWith("[") ? path + field : path + "." + field;
  }
}
