package io.nextbest.engine.model;

/**
 * The arm of one experiment a decision was made in: {@code holdout} or {@code treated} for a rule
 * set's control group, {@code champion} or {@code challenger} for a live rule-set experiment.
 *
 * @param ruleSetVersion the rule set this arm decides with (a challenger's differs from the active
 *     one)
 */
public record ExperimentArm(String experimentId, String arm, String ruleSetVersion) {
  public static final String HOLDOUT = "holdout";
  public static final String TREATED = "treated";
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";

  /**
   * Whether this arm is a control group, whose outcomes must not teach the learned propensities.
   */
  public boolean heldOut() {
    return HOLDOUT.equals(arm);
  }
}
