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
  private final transient java.util.List<io.nextbest.engine.RuleSetMessage> messages;

  public RegistryException(Reason reason, String message, GateReport gate) {
    this(reason, message, gate, java.util.List.of());
  }

  /**
   * @param messages what is wrong with each file, for a refused upload
   */
  public RegistryException(
      Reason reason,
      String message,
      GateReport gate,
      java.util.List<io.nextbest.engine.RuleSetMessage> messages) {
    super(message);
    this.reason = reason;
    this.gate = gate;
    this.messages = java.util.List.copyOf(messages);
  }

  public Reason reason() {
    return reason;
  }

  /** What is wrong with each refused file (empty unless an upload was screened out). */
  public java.util.List<io.nextbest.engine.RuleSetMessage> messages() {
    return messages;
  }

  /** The gate report when activation was refused, else null. */
  public GateReport gate() {
    return gate;
  }
}
