package io.nextbest.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data files of a rule set as the baseline reads them: {@code indices.json},
 * {@code arbitration.json} and {@code catalogue.json}. The engine's own readers are package-private,
 * so this parses the same files with the same mapper.
 */
record HwModel(
    Map<String, Component> experience,
    Map<String, Component> engagement,
    double healthExperienceWeight,
    double healthEngagementWeight,
    Signals signals,
    Map<ActionFamily, Double> levers,
    double unlistedFamilyWeight,
    int defaultLimit,
    int maxLimit,
    List<CatalogueAction> catalogue) {

  /** One index component's weight and parameters; absent parameters are null. */
  record Component(double weight, Integer windowDays, Double scale, Double neutral, Double penalty) {}

  /** The signal thresholds of {@code indices.json}. */
  record Signals(
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

  static HwModel read(RuleSetSource source) {
    try {
      JsonNode indices = Json.mapper().readTree(source.bytes("indices.json"));
      JsonNode arbitration = Json.mapper().readTree(source.bytes("arbitration.json"));
      List<CatalogueAction> catalogue =
          Json.mapper().readValue(source.bytes("catalogue.json"), new TypeReference<List<CatalogueAction>>() {});
      Map<ActionFamily, Double> levers = new EnumMap<>(ActionFamily.class);
      for (ActionFamily f : ActionFamily.values()) {
        levers.put(f, arbitration.path("levers").path(f.name()).asDouble(1.0));
      }
      JsonNode health = indices.path("relationshipHealth");
      return new HwModel(
          components(indices.path("experience")),
          components(indices.path("engagement")),
          health.path("experienceWeight").asDouble(),
          health.path("engagementWeight").asDouble(),
          Json.mapper().treeToValue(indices.path("signals"), Signals.class),
          levers,
          arbitration.path("unlistedFamilyWeight").asDouble(),
          arbitration.path("defaultLimit").asInt(),
          arbitration.path("maxLimit").asInt(),
          List.copyOf(catalogue));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Component> components(JsonNode node) throws IOException {
    Map<String, Component> out = new HashMap<>();
    for (var it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      out.put(e.getKey(), Json.mapper().treeToValue(e.getValue(), Component.class));
    }
    return out;
  }
}
