package io.nextbest.api;

import java.time.Duration;
import java.util.Map;

/**
 * How many representative decisions the service makes, with no side effect, before it says it is
 * ready and before a newly activated rule set takes decisions (see {@link WarmUp}), read from the
 * environment at start-up.
 *
 * @param decisions {@code NBA_WARMUP_DECISIONS}: at start, before {@code /health/ready} says UP
 *     (default 200,000: the JIT needs 150,000–250,000 decisions to reach its steady state); 0
 *     disables warming at start
 * @param maxSeconds {@code NBA_WARMUP_MAX_SECONDS}: the start's warm-up stops after this even if
 *     fewer decisions were made, and the node becomes ready anyway (default 120)
 * @param activationDecisions {@code NBA_WARMUP_ACTIVATION_DECISIONS}: made on a rule set about to
 *     be activated, before it becomes active (default 20,000; the rest of the process is warm
 *     already, only the new rule set's own code is not); 0 disables
 * @param activationMaxSeconds {@code NBA_WARMUP_ACTIVATION_MAX_SECONDS}: how much an activation is
 *     delayed by warming at most (default 10)
 */
public record WarmUpConfig(
    int decisions, int maxSeconds, int activationDecisions, int activationMaxSeconds) {
  public static final String DECISIONS = "NBA_WARMUP_DECISIONS";
  public static final String MAX_SECONDS = "NBA_WARMUP_MAX_SECONDS";
  public static final String ACTIVATION_DECISIONS = "NBA_WARMUP_ACTIVATION_DECISIONS";
  public static final String ACTIVATION_MAX_SECONDS = "NBA_WARMUP_ACTIVATION_MAX_SECONDS";

  public static final int DEFAULT_DECISIONS = 200_000;
  public static final int DEFAULT_MAX_SECONDS = 120;
  public static final int DEFAULT_ACTIVATION_DECISIONS = 20_000;
  public static final int DEFAULT_ACTIVATION_MAX_SECONDS = 10;

  /** No warming at all: ready as soon as the rule set is compiled and the store answers. */
  public static final WarmUpConfig OFF = new WarmUpConfig(0, DEFAULT_MAX_SECONDS, 0, 1);

  public WarmUpConfig {
    requireRange(DECISIONS, decisions, 0, 10_000_000);
    requireRange(MAX_SECONDS, maxSeconds, 1, 3_600);
    requireRange(ACTIVATION_DECISIONS, activationDecisions, 0, 10_000_000);
    requireRange(ACTIVATION_MAX_SECONDS, activationMaxSeconds, 1, 600);
  }

  /** The defaults. */
  public static WarmUpConfig defaults() {
    return new WarmUpConfig(
        DEFAULT_DECISIONS,
        DEFAULT_MAX_SECONDS,
        DEFAULT_ACTIVATION_DECISIONS,
        DEFAULT_ACTIVATION_MAX_SECONDS);
  }

  Duration maxTime() {
    return Duration.ofSeconds(maxSeconds);
  }

  Duration activationMaxTime() {
    return Duration.ofSeconds(activationMaxSeconds);
  }

  /**
   * Reads the configuration from environment variables; unset or blank ones take their defaults.
   *
   * @throws IllegalArgumentException naming the variable and the value it had
   */
  public static WarmUpConfig fromEnv(Map<String, String> env) {
    return new WarmUpConfig(
        number(env, DECISIONS, DEFAULT_DECISIONS),
        number(env, MAX_SECONDS, DEFAULT_MAX_SECONDS),
        number(env, ACTIVATION_DECISIONS, DEFAULT_ACTIVATION_DECISIONS),
        number(env, ACTIVATION_MAX_SECONDS, DEFAULT_ACTIVATION_MAX_SECONDS));
  }

  /** For the start-up log. */
  String describe() {
    return (decisions == 0
            ? "off at start"
            : decisions + " decisions at start (at most " + maxSeconds + " s)")
        + ", "
        + (activationDecisions == 0
            ? "off on activation"
            : activationDecisions + " on activation (at most " + activationMaxSeconds + " s)");
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number, was '" + value.strip() + "'");
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
