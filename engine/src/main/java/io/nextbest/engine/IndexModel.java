package io.nextbest.engine;

import java.util.Map;

/**
 * The rule set's index weights and signal thresholds ({@code indices.json}). The formulas that turn
 * signals into 0–100 component scores are code; every weight, window and threshold is data.
 */
record IndexModel(
    Map<String, ComponentModel> experience,
    Map<String, ComponentModel> engagement,
    HealthModel relationshipHealth,
    SignalModel signals) {

  static final java.util.List<String> EXPERIENCE =
      java.util.List.of("satisfaction", "effort", "recommendation", "resolution", "reliability");
  static final java.util.List<String> ENGAGEMENT =
      java.util.List.of("frequency", "recency", "depth", "purchases", "loyalty", "community", "advocacy");

  IndexModel {
    require(experience, EXPERIENCE, "experience");
    require(engagement, ENGAGEMENT, "engagement");
    if (relationshipHealth == null || signals == null) {
      throw new IllegalArgumentException("indices.json needs relationshipHealth and signals");
    }
  }

  private static void require(Map<String, ComponentModel> comps, java.util.List<String> names, String dim) {
    if (comps == null) {
      throw new IllegalArgumentException("indices.json needs '" + dim + "'");
    }
    for (String key : comps.keySet()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException("indices.json: unknown " + dim + " component '" + key + "', known: " + names);
      }
    }
    for (String name : names) {
      ComponentModel c = comps.get(name);
      if (c == null) {
        throw new IllegalArgumentException("indices.json: " + dim + " component '" + name + "' is missing");
      }
      if (c.weight() < 0) {
        throw new IllegalArgumentException("indices.json: " + dim + "." + name + ".weight must not be negative");
      }
    }
  }

  /** One component's weight and parameters; absent parameters are null. */
  record ComponentModel(double weight, Integer windowDays, Double scale, Double neutral, Double penalty) {}

  /** Weighted geometric mean of the two indices: a lopsided relationship scores lower than a balanced one. */
  record HealthModel(double experienceWeight, double engagementWeight) {}

  record SignalModel(
      int recentFailureDays,
      int negativeWindowDays,
      int compoundingThreshold,
      int lowCsat,
      int highEffort,
      int trendWindowDays,
      double csatFallingDelta,
      double effortRisingDelta,
      double satisfiedUnattachedExperience,
      double satisfiedUnattachedEngagement,
      double highValueAnnual) {}
}
