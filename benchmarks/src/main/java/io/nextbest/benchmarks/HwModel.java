package io.nextbest.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.BaselineIndices;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The data files of a rule set as the baseline reads them: {@code indices.json} (through the
 * engine's own index model), {@code arbitration.json} and {@code catalogue.json} with the same
 * mapper.
 */
record HwModel(
    BaselineIndices indices,
    Map<ActionFamily, Double> levers,
    double unlistedFamilyWeight,
    int defaultLimit,
    int maxLimit,
    List<CatalogueAction> catalogue) {

  static HwModel read(RuleSetSource source) {
    try {
      JsonNode arbitration = Json.mapper().readTree(source.bytes("arbitration.json"));
      List<CatalogueAction> catalogue =
          Json.mapper()
              .readValue(
                  source.bytes("catalogue.json"), new TypeReference<List<CatalogueAction>>() {});
      Map<ActionFamily, Double> levers = new EnumMap<>(ActionFamily.class);
      for (ActionFamily f : ActionFamily.values()) {
        levers.put(f, arbitration.path("levers").path(f.name()).asDouble(1.0));
      }
      return new HwModel(
          BaselineIndices.read(source),
          levers,
          arbitration.path("unlistedFamilyWeight").asDouble(),
          arbitration.path("defaultLimit").asInt(),
          arbitration.path("maxLimit").asInt(),
          List.copyOf(catalogue));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
