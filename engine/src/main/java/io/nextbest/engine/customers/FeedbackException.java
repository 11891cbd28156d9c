package io.nextbest.engine.customers;

import io.nextbest.engine.FieldError;
import java.util.List;

/**
 * Feedback that cannot be recorded: its decision is unknown, or it names what the decision did not
 * offer.
 */
public final class FeedbackException extends RuntimeException {
  private final boolean unknownDecision;
  private final transient List<FieldError> errors;

  FeedbackException(boolean unknownDecision, String message, List<FieldError> errors) {
    super(message, null, false, false);
    this.unknownDecision = unknownDecision;
    this.errors = List.copyOf(errors);
  }

  /** True when no decision has the id (404 rather than 422). */
  public boolean unknownDecision() {
    return unknownDecision;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
