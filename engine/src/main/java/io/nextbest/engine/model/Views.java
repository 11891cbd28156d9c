package io.nextbest.engine.model;

/**
 * How much of a decision an answer shows. {@link Compact}, what {@code POST /v1/decisions} answers
 * by default, has everything an agent acts on and every sentence that explains it; {@link Verbose}
 * ({@code ?verbose=true}, and a replay of a recorded decision) adds the evidence values each rule
 * saw and the arithmetic of each priority. A field without a view is in both.
 */
public final class Views {
  private Views() {}

  /** The agent's answer. */
  public interface Compact {}

  /** Everything: the compact answer and the evidence behind it. */
  public interface Verbose extends Compact {}
}
