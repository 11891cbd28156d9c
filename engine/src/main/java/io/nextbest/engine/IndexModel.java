package io.nextbest.engine;

import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.model.Severity;
import java.util.List;
import java.util.Map;

/**
 * The rule set's index weights, windows, decay and priors ({@code indices.json}); docs/indices.md
 * says what each means. The formulas that turn signals into 0–100 component scores are code; every
 * weight, window, half-life and prior is data. The windows and thresholds of gaps, compounding
 * negatives and trends are the Gap Policy DMN's, not this file's.
 */
record IndexModel(
    Map<String, ComponentModel> experience,
    double experiencePrior,
    Map<String, ComponentModel> engagement,
    double engagementPrior,
    HealthModel relationshipHealth,
    SignalModel signals,
    ProblemContacts problemContacts) {

  /** Perception components: averaged over those observed. */
  static final List<String> PERCEPTION = List.of("satisfaction", "effort", "recommendation");

  /**
   * History components: each lowers experience by a saturating penalty; nothing recorded adds
   * nothing.
   */
  static final List<String> PENALTIES = List.of("complaints", "failures");

  static final List<String> EXPERIENCE =
      List.of("satisfaction", "effort", "recommendation", "complaints", "failures");
  static final List<String> ENGAGEMENT =
      List.of("frequency", "recency", "depth", "purchases", "loyalty", "community", "advocacy");

  IndexModel {
    problemContacts = problemContacts == null ? ProblemContacts.BY_OUTCOME : problemContacts;
    require(experience, EXPERIENCE, "experience");
    require(engagement, ENGAGEMENT, "engagement");
    if (relationshipHealth == null || signals == null) {
      throw new IllegalArgumentException("indices.json needs relationshipHealth and signals");
    }
    if (experiencePrior < 0
        || experiencePrior > 100
        || engagementPrior < 0
        || engagementPrior > 100) {
      throw new IllegalArgumentException(
          "indices.json: experiencePrior and engagementPrior must be within 0..100");
    }
    for (String name : PENALTIES) {
      ComponentModel c = experience.get(name);
      if (c.maxPenalty() == null || c.maxPenalty() < 0 || c.maxPenalty() > 100) {
        throw new IllegalArgumentException(
            "indices.json: experience." + name + ".maxPenalty must be within 0..100");
      }
    }
    ComponentModel complaints = experience.get("complaints");
    if (complaints.severity() == null
        || !complaints.severity().keySet().containsAll(List.of(Severity.values()))) {
      throw new IllegalArgumentException(
          "indices.json: experience.complaints.severity needs a weight for each of "
              + List.of(Severity.values()));
    }
  }

  private static void require(Map<String, ComponentModel> comps, List<String> names, String dim) {
    if (comps == null) {
      throw new IllegalArgumentException("indices.json needs '" + dim + "'");
    }
    for (String key : comps.keySet()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException(
            "indices.json: unknown " + dim + " component '" + key + "', known: " + names);
      }
    }
    for (String name : names) {
      ComponentModel c = comps.get(name);
      if (c == null) {
        throw new IllegalArgumentException(
            "indices.json: " + dim + " component '" + name + "' is missing");
      }
      if (c.weight() < 0) {
        throw new IllegalArgumentException(
            "indices.json: " + dim + "." + name + ".weight must not be negative");
      }
      if (c.halfLifeDays() != null && c.halfLifeDays() <= 0) {
        throw new IllegalArgumentException(
            "indices.json: " + dim + "." + name + ".halfLifeDays must be positive");
      }
      if (c.neutral() != null && (c.neutral() < 0 || c.neutral() > 100)) {
        throw new IllegalArgumentException(
            "indices.json: " + dim + "." + name + ".neutral must be within 0..100");
      }
    }
  }

  /**
   * One component's weight and parameters; absent parameters are null.
   *
   * @param neutral the declared prior an unobserved component scores; null means it carries no
   *     weight
   * @param halfLifeDays how fast older evidence fades: a point this old counts half
   * @param maxPenalty for a history component, the most it can take off experience
   * @param resolvedFactor for complaints, how much a just-resolved complaint weighs against an open
   *     one
   * @param severity for complaints, the load each severity carries
   */
  record ComponentModel(
      double weight,
      Integer windowDays,
      Double scale,
      Double neutral,
      Double halfLifeDays,
      Double maxPenalty,
      Double resolvedFactor,
      Map<Severity, Double> severity) {}

  /**
   * Weighted geometric mean of the two indices: a lopsided relationship scores lower than a
   * balanced one.
   */
  record HealthModel(double experienceWeight, double engagementWeight) {}

  /**
   * Thresholds of the signals the indices carry; the HIGH/LOW splits are the Quadrant
   * Classification DMN's.
   *
   * @param satisfiedUnattachedCoverage how much of experience must be observed before "satisfied"
   *     is believed
   * @param highValueAnnual the annual value from which a customer counts as high value (G11)
   */
  record SignalModel(double satisfiedUnattachedCoverage, double highValueAnnual) {}
}
