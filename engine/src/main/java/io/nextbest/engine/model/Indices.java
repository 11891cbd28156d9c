package io.nextbest.engine.model;

import java.util.List;

/**
 * The two dimensions measured separately (G1), the composite relationship health (G14), trend flags
 * (G15) and risk flags (G2, G4).
 */
public record Indices(
    Index experience,
    Index engagement,
    double relationshipHealth,
    List<Flag> trendFlags,
    List<Flag> riskFlags) {
  public Indices {
    trendFlags = List.copyOf(trendFlags);
    riskFlags = List.copyOf(riskFlags);
  }

  public boolean hasFlag(String code) {
    for (Flag f : trendFlags) {
      if (f.code().equals(code)) {
        return true;
      }
    }
    for (Flag f : riskFlags) {
      if (f.code().equals(code)) {
        return true;
      }
    }
    return false;
  }
}
