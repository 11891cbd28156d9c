package io.nextbest.engine;

import io.nextbest.engine.model.ActionFamily;
import java.util.EnumMap;
import java.util.Map;

/**
 * Arbitration settings ({@code arbitration.json}): the lever per family, the context weight of a
 * family the strategy table does not list, and the default number of actions returned.
 */
record Arbitration(
    Map<ActionFamily, Double> levers, double unlistedFamilyWeight, int defaultLimit, int maxLimit) {
  Arbitration {
    Map<ActionFamily, Double> copy = new EnumMap<>(ActionFamily.class);
    for (ActionFamily f : ActionFamily.values()) {
      Double lever = levers == null ? null : levers.get(f);
      if (lever == null) {
        throw new IllegalArgumentException("arbitration.json: levers." + f + " is missing");
      }
      if (lever < 0) {
        throw new IllegalArgumentException(
            "arbitration.json: levers." + f + " must not be negative");
      }
      copy.put(f, lever);
    }
    levers = copy;
    if (defaultLimit < 1 || maxLimit < defaultLimit) {
      throw new IllegalArgumentException("arbitration.json: need 1 <= defaultLimit <= maxLimit");
    }
  }

  double lever(ActionFamily family) {
    return levers.get(family);
  }

  Arbitration withLever(ActionFamily family, double lever) {
    Map<ActionFamily, Double> copy = new EnumMap<>(levers);
    copy.put(family, lever);
    return new Arbitration(copy, unlistedFamilyWeight, defaultLimit, maxLimit);
  }
}
