package io.nextbest.engine.model;

/** Where an interaction happens or an action is delivered. */
public enum Channel {
  PHONE(true),
  CHAT(true),
  EMAIL(false),
  SMS(true),
  PUSH(true),
  APP(false),
  WEB(false),
  BRANCH(true);

  private final boolean interruptive;

  Channel(boolean interruptive) {
    this.interruptive = interruptive;
  }

  /**
   * Whether a message on this channel interrupts the customer (rings, buzzes), so quiet hours
   * apply.
   */
  public boolean interruptive() {
    return interruptive;
  }
}
