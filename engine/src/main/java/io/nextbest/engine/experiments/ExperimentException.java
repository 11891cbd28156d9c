package io.nextbest.engine.experiments;

import io.nextbest.engine.FieldError;
import java.util.List;

/** An experiment request that cannot be carried out, and why. */
public final class ExperimentException extends RuntimeException {
  public enum Reason {
    /** No experiment has the id (404). */
    NOT_FOUND,
    /** The request names something invalid (422), see {@link #errors()}. */
    INVALID,
    /** It conflicts with the experiment's state or another experiment (409). */
    CONFLICT
  }

  private final Reason reason;
  private final transient List<FieldError> errors;

  ExperimentException(Reason reason, String message, List<FieldError> errors) {
    super(message, null, false, false);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public Reason reason() {
    return reason;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
