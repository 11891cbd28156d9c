package io.nextbest.engine.customers;

import io.nextbest.engine.FieldError;
import java.util.List;

/**
 * What became of one event of a batch: stored, a duplicate of one stored before (nothing changed),
 * a conflict with a different event the customer has under the same id (nothing changed, the stored
 * one stays), or rejected with every offending field (nothing stored).
 *
 * @param index its position in the batch
 * @param id its id, when it had one
 */
public record EventResult(int index, String id, Status status, List<FieldError> errors) {
  public enum Status {
    STORED,
    DUPLICATE,
    CONFLICT,
    REJECTED
  }

  public EventResult {
    errors = List.copyOf(errors);
  }

  public static EventResult rejected(int index, String id, List<FieldError> errors) {
    return new EventResult(index, id, Status.REJECTED, errors);
  }
}
