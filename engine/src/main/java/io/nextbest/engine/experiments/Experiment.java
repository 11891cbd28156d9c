package io.nextbest.engine.experiments;

import io.nextbest.engine.events.CustomerEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One experiment: a rule set's control group ({@code HOLDOUT}, declared in its {@code
 * learning.json}) or a live champion/challenger ({@code CHALLENGER}, started by an analyst), in
 * which a candidate rule-set version decides for a declared, sticky share of customers.
 *
 * @param share the share of customers in the holdout or challenger arm
 * @param champion the rule-set version the other customers are decided with (when it started)
 * @param challenger the registry version of the candidate (null for a holdout)
 * @param successEvents event types that count as a success within {@code successWithinDays} of a
 *     customer's first decision in the experiment (a customer accepting a recommended action always
 *     does)
 * @param successWithout a success by absence: the customer had none of its events (say {@code
 *     PRODUCT_CLOSED}) within its days of the first decision; null when not declared
 */
public record Experiment(
    String id,
    Kind kind,
    double share,
    String champion,
    Integer challenger,
    String challengerVersion,
    List<String> successEvents,
    int successWithinDays,
    Status status,
    Instant startedAt,
    String startedBy,
    Instant endedAt,
    String endedBy,
    Absence successWithout) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Every event type an experiment may name as a success. */
  public static final Set<String> EVENT_TYPES =
      Arrays.stream(
              CustomerEvent.class
                  .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
                  .value())
          .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
          .collect(Collectors.toUnmodifiableSet());

  public enum Kind {
    HOLDOUT,
    CHALLENGER
  }

  public enum Status {
    RUNNING,
    STOPPED,
    PROMOTED
  }

  /**
   * A success by something not happening ("no churn within 90 days"): a customer succeeds when none
   * of {@code events} happened to it within {@code withinDays} of its first decision in the
   * experiment, decided only once those days are over (until then it is pending).
   */
  public record Absence(List<String> events, int withinDays) {
    public Absence {
      events = checkEvents("successWithout.events", events);
      if (events.isEmpty()) {
        throw new IllegalArgumentException("successWithout.events: must name at least one event");
      }
      if (withinDays < 1 || withinDays > 365) {
        throw new IllegalArgumentException(
            "successWithout.withinDays: must be between 1 and 365, was " + withinDays);
      }
    }
  }

  public Experiment {
    checkId("id", id);
    successEvents = checkEvents("successEvents", successEvents);
  }

  /** An experiment that declares no success by absence. */
  public Experiment(
      String id,
      Kind kind,
      double share,
      String champion,
      Integer challenger,
      String challengerVersion,
      List<String> successEvents,
      int successWithinDays,
      Status status,
      Instant startedAt,
      String startedBy,
      Instant endedAt,
      String endedBy) {
    this(
        id,
        kind,
        share,
        champion,
        challenger,
        challengerVersion,
        successEvents,
        successWithinDays,
        status,
        startedAt,
        startedBy,
        endedAt,
        endedBy,
        null);
  }

  /**
   * The arm names, control first: {@code holdout}/{@code treated} or {@code champion}/{@code
   * challenger}.
   */
  public List<String> arms() {
    return kind == Kind.HOLDOUT
        ? List.of(
            io.nextbest.engine.model.ExperimentArm.HOLDOUT,
            io.nextbest.engine.model.ExperimentArm.TREATED)
        : List.of(
            io.nextbest.engine.model.ExperimentArm.CHAMPION,
            io.nextbest.engine.model.ExperimentArm.CHALLENGER);
  }

  Experiment ended(Status to, Instant at, String by) {
    return new Experiment(
        id,
        kind,
        share,
        champion,
        challenger,
        challengerVersion,
        successEvents,
        successWithinDays,
        to,
        startedAt,
        startedBy,
        at,
        by,
        successWithout);
  }

  /** The type name an event is sent with ({@code PURCHASE}, …), as successes name it. */
  public static String typeOf(CustomerEvent e) {
    for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t :
        CustomerEvent.class
            .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
            .value()) {
      if (t.value() == e.getClass()) {
        return t.name();
      }
    }
    return e.getClass().getSimpleName();
  }

  public static void checkId(String field, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit, was "
              + id);
    }
  }

  public static List<String> checkEvents(String field, List<String> events) {
    if (events == null) {
      return List.of();
    }
    for (String e : events) {
      if (e == null || !EVENT_TYPES.contains(e)) {
        throw new IllegalArgumentException(
            field
                + ": "
                + e
                + " is not an event type (one of "
                + new java.util.TreeSet<>(EVENT_TYPES)
                + ")");
      }
    }
    return List.copyOf(events);
  }
}
