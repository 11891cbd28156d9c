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

  /**
   * These indices without their components: what a rule base that never names {@code components}
   * can read of them (the values, coverage and flags), equal for equal readings whatever evidence
   * the components cite.
   */
  public Situation situation() {
    return new Situation(
        experience.value(),
        experience.coverage(),
        engagement.value(),
        engagement.coverage(),
        relationshipHealth,
        trendFlags,
        riskFlags);
  }

  /** See {@link #situation()}. */
  public record Situation(
      double experience,
      double experienceCoverage,
      double engagement,
      double engagementCoverage,
      double relationshipHealth,
      List<Flag> trendFlags,
      List<Flag> riskFlags) {}

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
