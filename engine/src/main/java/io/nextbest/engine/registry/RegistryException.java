package io.nextbest.engine.registry;

/** A registry request that cannot be honoured: unknown version, forbidden file, gate not passed. */
public final class RegistryException extends RuntimeException {
  /** Why, so the API can choose a status. */
  public enum Reason {
    NOT_FOUND,
    FORBIDDEN_FILE,
    INVALID_UPLOAD,
    GATE_FAILED
  }

  private final Reason reason;
  private final transient GateReport gate;

  public RegistryException(Reason reason, String message, GateReport gate) {
    super(message);
    this.reason = reason;
    this.gate = gate;
  }

  public Reason reason() {
    return reason;
  }

  /** The gate report when activation was refused, else null. */
  public GateReport gate() {
    return gate;
  }
}
