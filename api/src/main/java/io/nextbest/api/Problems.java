package io.nextbest.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.InvalidContextException;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Turns what went wrong with a request into the problem the client is told about. */
final class Problems {
  private Problems() {}

  /**
   * The problem for a failed request.
   *
   * @param failure what was thrown, or null when only a status is known
   * @param status the status the router chose, or -1
   */
  static Problem from(Throwable failure, int status) {
    if (failure instanceof ProblemException p) {
      return p.problem();
    }
    if (failure instanceof InvalidContextException e) {
      int n = e.errors().size();
      return Problem.of(
          Problem.Kind.INVALID_CONTEXT,
          n == 1
              ? describe(e.errors().get(0))
              : n + " fields are invalid, first " + describe(e.errors().get(0)),
          e.errors());
    }
    if (failure instanceof io.nextbest.engine.registry.RegistryException e) {
      return switch (e.reason()) {
        case NOT_FOUND -> Problem.of(Problem.Kind.UNKNOWN_VERSION, e.getMessage());
        case FORBIDDEN_FILE ->
            Problem.of(Problem.Kind.FORBIDDEN_FILE, e.getMessage(), fileErrors(e.messages()));
        case INVALID_UPLOAD ->
            Problem.of(Problem.Kind.INVALID_INPUT, e.getMessage(), fileErrors(e.messages()));
        case GATE_FAILED ->
            Problem.of(Problem.Kind.GATE_FAILED, e.getMessage(), gateErrors(e.gate()));
      };
    }
    if (failure instanceof io.nextbest.engine.RuleSetException e) {
      // A version that does not compile has no models to list or evaluate.
      return Problem.of(
          Problem.Kind.GATE_FAILED,
          "The rule-set version does not compile ("
              + e.getMessage()
              + "); POST /v1/rulesets/{version}/validate lists why.",
          fileErrors(e.messages()));
    }
    if (failure instanceof io.nextbest.engine.store.StoreException e) {
      return Problem.of(
          Problem.Kind.SERVICE_UNAVAILABLE, "The store is unavailable: " + e.getMessage());
    }
    if (fromHttpDecoder(failure)) {
      // The request's framing is broken (a chunk size that is not hex or overflows): the client's
      // doing.
      return new Problem(
          Problem.BLANK,
          "Bad Request",
          400,
          "The request is not valid HTTP/1.1: " + clip(String.valueOf(failure.getMessage())) + ".",
          List.of());
    }
    if (failure instanceof HttpException e) {
      status = e.getStatusCode();
      if (status == 401) {
        String why =
            e.getPayload() == null || e.getPayload().isBlank() ? "" : " (" + e.getPayload() + ")";
        return new Problem(
            Problem.BLANK,
            "Unauthorized",
            401,
            "Send an API key in the "
                + Security.API_KEY_HEADER
                + " header or a valid bearer token"
                + why
                + ".",
            List.of());
      }
      if (status == 403) {
        return new Problem(
            Problem.BLANK,
            "Forbidden",
            403,
            "Your credentials do not allow this: "
                + (e.getPayload() == null ? "wrong role" : e.getPayload())
                + ".",
            List.of());
      }
    }
    return fromStatus(status);
  }

  /** Each message as a field named {@code file:line#element}, as the gate's errors are. */
  static List<FieldError> fileErrors(List<io.nextbest.engine.RuleSetMessage> messages) {
    return messages.stream()
        .map(
            m ->
                new FieldError(
                    m.file()
                        + (m.line() == null ? "" : ":" + m.line())
                        + (m.element() == null ? "" : "#" + m.element()),
                    m.text()))
        .toList();
  }

  /** Whether Netty's HTTP decoder threw this: the bytes on the wire were not HTTP. */
  private static boolean fromHttpDecoder(Throwable failure) {
    if (failure instanceof io.netty.handler.codec.DecoderException) {
      return true;
    }
    StackTraceElement[] stack =
        failure == null ? new StackTraceElement[0] : failure.getStackTrace();
    return stack.length > 0 && stack[0].getClassName().startsWith("io.netty.handler.codec.http.");
  }

  /**
   * Every compile error and every failing scenario of a refused gate, as fields an analyst can
   * read.
   */
  static List<FieldError> gateErrors(io.nextbest.engine.registry.GateReport gate) {
    List<FieldError> out = new java.util.ArrayList<>();
    if (gate == null) {
      return out;
    }
    for (io.nextbest.engine.RuleSetMessage m : gate.messages()) {
      if (m.error()) {
        out.add(
            new FieldError(
                m.file()
                    + (m.line() == null ? "" : ":" + m.line())
                    + (m.element() == null ? "" : "#" + m.element()),
                m.text()));
      }
    }
    for (io.nextbest.engine.scenario.ScenarioResult r : gate.scenarios()) {
      if (!r.passed()) {
        out.add(new FieldError("scenarios/" + r.scenario(), String.join("; ", r.failures())));
      }
    }
    return out;
  }

  /** The problem for a bare status: a client error the router found, or else an internal error. */
  static Problem fromStatus(int status) {
    if (status >= 400 && status < 500) {
      String phrase = HttpResponseStatus.valueOf(status).reasonPhrase();
      return new Problem(
          Problem.BLANK,
          phrase,
          status,
          "The request cannot be handled: " + phrase + ".",
          List.of());
    }
    return Problem.of(
        Problem.Kind.INTERNAL_ERROR,
        "The service failed to handle the request; the failure has been logged.");
  }

  /**
   * The problem for a body Jackson could not read: malformed JSON, or JSON that does not fit a
   * context.
   */
  static Problem unreadable(IOException failure) {
    if (failure instanceof JsonMappingException e) {
      return fromMapping(e);
    }
    if (failure instanceof JsonProcessingException e) {
      return malformed(e);
    }
    return Problem.of(Problem.Kind.MALFORMED_JSON, "The body could not be read.");
  }

  static Problem notFound(String path) {
    return Problem.of(Problem.Kind.NOT_FOUND, "There is no resource at " + clip(path) + ".");
  }

  static Problem methodNotAllowed(String method, String path, String allowed) {
    return Problem.of(
        Problem.Kind.METHOD_NOT_ALLOWED,
        clip(path) + " allows " + allowed + ", not " + method + ".");
  }

  static Problem unsupportedMediaType(String contentType) {
    String was = contentType == null || contentType.isBlank() ? "missing" : clip(contentType);
    return Problem.of(
        Problem.Kind.UNSUPPORTED_MEDIA_TYPE,
        "The body must be sent as Content-Type: application/json; it was " + was + ".");
  }

  static Problem payloadTooLarge(long limit) {
    return Problem.of(
        Problem.Kind.PAYLOAD_TOO_LARGE,
        "The body is larger than the limit of " + limit + " bytes.");
  }

  static Problem emptyBody(String noun) {
    return Problem.of(
        Problem.Kind.MALFORMED_JSON, "The body is empty; send " + noun + " as a JSON object.");
  }

  static Problem notAnObject(String was, String noun) {
    return Problem.of(
        Problem.Kind.INVALID_TYPE,
        "The body must be a JSON object (" + noun + "), was " + was + ".");
  }

  static Problem trailingContent(JsonLocation at) {
    return Problem.of(
        Problem.Kind.MALFORMED_JSON,
        "The body holds more than one JSON value; content follows the first" + where(at) + ".");
  }

  private static String where(JsonLocation at) {
    return at == null || at.getLineNr() < 0
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static Problem malformed(JsonProcessingException e) {
    return malformed(
        e,
        e.getProcessor() instanceof JsonParser p
            ? pointerToPath(brokenAt(p).pathAsPointer().toString())
            : "");
  }

  /**
   * Where the JSON broke: the value being read, or, when the last value read was whole (a trailing
   * comma, a missing brace), the object or array around it.
   */
  private static com.fasterxml.jackson.core.JsonStreamContext brokenAt(JsonParser p) {
    com.fasterxml.jackson.core.JsonStreamContext context = p.getParsingContext();
    JsonToken last = p.currentToken();
    boolean whole =
        last != null
            && (last.isScalarValue()
                || last == JsonToken.END_OBJECT
                || last == JsonToken.END_ARRAY);
    return whole && context.getParent() != null ? context.getParent() : context;
  }

  private static Problem malformed(JsonProcessingException e, String field) {
    List<FieldError> errors =
        field.isEmpty() ? List.of() : List.of(new FieldError(field, "is not valid JSON"));
    return Problem.of(
        Problem.Kind.MALFORMED_JSON,
        "The body is not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(),
        errors);
  }

  private static Problem fromMapping(JsonMappingException e) {
    String field = path(e.getPath());
    if (e.getCause() instanceof JsonProcessingException cause
        && !(cause instanceof InputCoercionException)
        && !(cause instanceof JsonMappingException)) {
      // Broken JSON met while binding a nested value: Jackson wraps it with the path it had
      // reached.
      return malformed(cause, field);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known =
          u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds();
      return Problem.of(
          Problem.Kind.UNKNOWN_PROPERTY,
          new FieldError(
              field,
              "is not a known property; expected one of "
                  + new TreeSet<>(known.stream().map(String::valueOf).toList())));
    }
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (target != null && target.isEnum()) {
      return Problem.of(
          Problem.Kind.UNKNOWN_VALUE,
          new FieldError(field, "must be one of " + constants(target) + ", was " + actual(e)));
    }
    if (e.getCause() instanceof InputCoercionException c) {
      return Problem.of(
          Problem.Kind.INVALID_TYPE,
          new FieldError(field, "is out of range: " + c.getOriginalMessage()));
    }
    if (e instanceof ValueInstantiationException
        && e.getCause() instanceof IllegalArgumentException c) {
      return Problem.of(
          Problem.Kind.INVALID_TYPE, new FieldError(field, "is not valid: " + c.getMessage()));
    }
    if (field.isEmpty()) {
      return notAnObject(actual(e), "the requested JSON object");
    }
    String expected = target == null ? "is not valid" : "must be " + expected(target);
    return Problem.of(
        Problem.Kind.INVALID_TYPE, new FieldError(field, expected + ", was " + actual(e)));
  }

  /**
   * {@code profile.csat[0].value}: properties joined by dots, indices in brackets, map keys as
   * properties.
   */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** A JSON pointer ({@code /profile/csat/0}) in the same notation as {@link #path}. */
  static String pointerToPath(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String token : pointer.split("/")) {
      if (token.isEmpty()) {
        continue;
      }
      if (token.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(token).append(']');
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(token.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.toString();
  }

  /** Echoes client input only in short. */
  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }

  private static String describe(FieldError e) {
    return e.field() + " " + e.message();
  }

  private static List<String> constants(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
  }

  private static String expected(Class<?> t) {
    if (t == Integer.class
        || t == int.class
        || t == Long.class
        || t == long.class
        || t == Short.class
        || t == short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(t) || t == double.class || t == float.class) {
      return "a number";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t == Instant.class) {
      return "an ISO-8601 instant such as 2026-11-23T10:00:00Z";
    }
    if (t == LocalDate.class) {
      return "an ISO-8601 date such as 2026-11-23";
    }
    if (t == LocalTime.class) {
      return "a time of day such as 22:00";
    }
    if (ZoneId.class.isAssignableFrom(t)) {
      return "a time-zone id such as Europe/London";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "an object";
    }
    return "a " + t.getSimpleName();
  }

  /** What the client sent, without echoing more than a short value. */
  private static String actual(JsonMappingException e) {
    if (e instanceof InvalidFormatException f && f.getValue() != null) {
      String v = String.valueOf(f.getValue());
      return f.getValue() instanceof String ? "\"" + clip(v) + "\"" : clip(v);
    }
    JsonToken token = e.getProcessor() instanceof JsonParser p ? p.currentToken() : null;
    if (token == null) {
      return "missing";
    }
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "a whole number";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT, FIELD_NAME -> "an object";
      case START_ARRAY -> "an array";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }
}
