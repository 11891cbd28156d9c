package io.nextbest.engine.store;

/** The store could not do what was asked; callers answer 503 rather than lose or invent data. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
