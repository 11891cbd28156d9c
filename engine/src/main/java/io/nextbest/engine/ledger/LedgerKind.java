package io.nextbest.engine.ledger;

/**
 * What happened to a recommended action. RECOMMENDED entries come from the decision audit trail;
 * the others are recorded by feedback and by outreach events.
 */
public enum LedgerKind {
  RECOMMENDED(null),
  SHOWN(null),
  ACCEPTED_BY_AGENT(null),
  DECLINED_BY_AGENT(null),
  ACCEPTED_BY_CUSTOMER(Boolean.TRUE),
  DECLINED_BY_CUSTOMER(Boolean.FALSE),
  SENT(null),
  RESPONDED(Boolean.TRUE);

  private final Boolean customerOutcome;

  LedgerKind(Boolean customerOutcome) {
    this.customerOutcome = customerOutcome;
  }

  /**
   * What the entry says about the customer taking the action: true (took it), false (refused it),
   * or null (says nothing: the agent's choice, a delivery, a display). Only these teach
   * propensities.
   */
  public Boolean customerOutcome() {
    return customerOutcome;
  }
}
