package io.nextbest.api;

import java.util.Locale;

/**
 * Who may do what. Agents decide and give feedback; analysts read, upload, validate, test, activate
 * and roll back DMN and run simulations; admins may do everything.
 */
public enum Role {
  AGENT,
  ANALYST,
  ADMIN;

  /** How tokens and keys name the role: its name in lower case. */
  private final String claim = name().toLowerCase(Locale.ROOT);

  static Role parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + text + "', expected agent, analyst or admin");
    }
  }

  String claim() {
    return claim;
  }
}
