package io.nextbest.api;

import io.nextbest.engine.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} names every offending field by its JSON path ({@code
 * profile.csat[0].value}); it is empty when no field is to blame.
 */
record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
  static final String MEDIA_TYPE = "application/problem+json";

  /** Problems that are plain HTTP conditions; by RFC 9457 their title is the status phrase. */
  static final String BLANK = "about:blank";

  private static final String TYPE_PREFIX = "tag:nextbest.io,2025:problem/";

  Problem {
    errors = List.copyOf(errors);
  }

  static Problem of(Kind kind, String detail, List<FieldError> errors) {
    return new Problem(kind.type(), kind.title, kind.status, detail, errors);
  }

  static Problem of(Kind kind, String detail) {
    return of(kind, detail, List.of());
  }

  static Problem of(Kind kind, FieldError error) {
    return of(
        kind,
        error.field().isEmpty() ? error.message() : error.field() + " " + error.message(),
        List.of(error));
  }

  /** The closed set of problems the API reports. */
  enum Kind {
    MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
    INVALID_TYPE("invalid-type", "Invalid value type", 400),
    UNKNOWN_VALUE("unknown-value", "Unknown enumeration value", 400),
    UNKNOWN_PROPERTY("unknown-property", "Unknown property", 400),
    INVALID_CONTEXT("invalid-context", "Invalid customer context", 422),
    INVALID_INPUT("invalid-input", "Invalid input", 422),
    FORBIDDEN_FILE("forbidden-file", "File cannot be uploaded", 403),
    GATE_FAILED("gate-failed", "Rule-set version did not pass its gate", 409),
    EVENT_CONFLICT("event-conflict", "Event id already used by a different event", 409),
    NOT_REPLAYABLE("not-replayable", "Decision cannot be replayed", 409),
    CONFLICT("conflict", "Conflict with the current state", 409),
    UNKNOWN_VERSION("unknown-version", "Unknown rule-set version", 404),
    SERVICE_UNAVAILABLE("service-unavailable", "Service Unavailable", 503),
    NOT_FOUND(null, "Not Found", 404),
    METHOD_NOT_ALLOWED(null, "Method Not Allowed", 405),
    PAYLOAD_TOO_LARGE(null, "Content Too Large", 413),
    UNSUPPORTED_MEDIA_TYPE(null, "Unsupported Media Type", 415),
    INTERNAL_ERROR(null, "Internal Server Error", 500);

    private final String slug;
    final String title;
    final int status;

    Kind(String slug, String title, int status) {
      this.slug = slug;
      this.title = title;
      this.status = status;
    }

    String type() {
      return slug == null ? BLANK : TYPE_PREFIX + slug;
    }
  }
}
