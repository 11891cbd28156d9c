package io.nextbest.engine;

import java.util.List;

/** A context that cannot be decided on, with every offending field. */
public final class InvalidContextException extends IllegalArgumentException {
  private final transient List<FieldError> errors;

  public InvalidContextException(List<FieldError> errors) {
    super("invalid context: " + errors);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
