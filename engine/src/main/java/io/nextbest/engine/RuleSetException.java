package io.nextbest.engine;

import java.util.List;

/** A rule set that does not compile or validate, with every message that says why. */
public final class RuleSetException extends RuntimeException {
  private final transient List<RuleSetMessage> messages;

  public RuleSetException(String summary, List<RuleSetMessage> messages) {
    super(
        summary
            + (messages.isEmpty()
                ? ""
                : ":\n  " + String.join("\n  ", messages.stream().map(Object::toString).toList())));
    this.messages = List.copyOf(messages);
  }

  public List<RuleSetMessage> messages() {
    return messages;
  }
}
