package io.nextbest.engine.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one context: ranked actions with explanations, suppressed candidates with reasons,
 * the indices and quadrant they were chosen from, the rule-set version used, and the time taken.
 * {@code profileSource} and {@code degraded} are set only when the context was resolved against the
 * customer store (they are absent from the JSON otherwise); {@code experiments} only when the
 * customer is in an experiment (a holdout or a live champion/challenger); {@code exploration} only
 * when a shown action's propensity was drawn.
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({
  "decisionId",
  "ruleSetVersion",
  "customerId",
  "asOf",
  "indices",
  "segment",
  "contact",
  "criticalGaps",
  "reasons",
  "actions",
  "held",
  "suppressed"
})
public record Decision(
    String decisionId,
    String ruleSetVersion,
    String customerId,
    Instant asOf,
    Indices indices,
    Segment segment,
    ContactState contact,
    List<CriticalGap> criticalGaps,
    List<RecommendedAction> actions,
    @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class)
        List<SuppressedAction> suppressed,
    long evaluationMicros,
    ProfileSource profileSource,
    Boolean degraded,
    List<ExperimentArm> experiments,
    Exploration exploration,
    List<Hold> held) {

  /**
   * {@code held} is worked out from {@code suppressed} when asked for (a decision as the engine
   * makes it, a verbose answer, or a record stored before holds were grouped; most decisions, in a
   * simulation, are never asked): only a compact answer read back, which has no {@code suppressed},
   * keeps the holds it carries.
   */
  public Decision {
    experiments = experiments == null || experiments.isEmpty() ? null : List.copyOf(experiments);
    criticalGaps = List.copyOf(criticalGaps);
    actions = List.copyOf(actions);
    suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    // Kept only where there is nothing to work it out from, so that equal decisions are equal
    // records however they were made or read back.
    held = suppressed.isEmpty() && held != null && !held.isEmpty() ? List.copyOf(held) : null;
  }

  /**
   * The JSON's {@code reasons}: every reason a shown action carries, each once, in the order first
   * met, which each action's {@code explanation.reasons} points into (see {@link ReasonTable}). In
   * Java each action keeps its own reasons; the table is built once per decision written.
   */
  @com.fasterxml.jackson.annotation.JsonProperty(
      value = "reasons",
      access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
  @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = ReasonTable.Table.class)
  private ReasonTable.Listed reasonTable() {
    return ReasonTable.Listed.INSTANCE;
  }

  /** Why actions were held back, each reason once with the actions it held (see {@link Hold}). */
  @Override
  public List<Hold> held() {
    return held != null ? held : Hold.of(suppressed);
  }

  /** A decision as the engine makes it: its holds are its suppressions grouped by reason. */
  public Decision(
      String decisionId,
      String ruleSetVersion,
      String customerId,
      Instant asOf,
      Indices indices,
      Segment segment,
      ContactState contact,
      List<CriticalGap> criticalGaps,
      List<RecommendedAction> actions,
      List<SuppressedAction> suppressed,
      long evaluationMicros,
      ProfileSource profileSource,
      Boolean degraded,
      List<ExperimentArm> experiments,
      Exploration exploration) {
    this(
        decisionId,
        ruleSetVersion,
        customerId,
        asOf,
        indices,
        segment,
        contact,
        criticalGaps,
        actions,
        suppressed,
        evaluationMicros,
        profileSource,
        degraded,
        experiments,
        exploration,
        null);
  }

  /** A decision on a context given whole, with no stored profile involved. */
  public Decision(
      String decisionId,
      String ruleSetVersion,
      String customerId,
      Instant asOf,
      Indices indices,
      Segment segment,
      ContactState contact,
      List<CriticalGap> criticalGaps,
      List<RecommendedAction> actions,
      List<SuppressedAction> suppressed,
      long evaluationMicros) {
    this(
        decisionId,
        ruleSetVersion,
        customerId,
        asOf,
        indices,
        segment,
        contact,
        criticalGaps,
        actions,
        suppressed,
        evaluationMicros,
        null,
        null,
        null,
        null);
  }

  /** The same decision, in these experiment arms as well as its own (see {@link ExperimentArm}). */
  public Decision withExperiments(List<ExperimentArm> arms) {
    List<ExperimentArm> all =
        new java.util.ArrayList<>(experiments == null ? List.of() : experiments);
    all.addAll(arms);
    return with(profileSource, degraded, all);
  }

  /**
   * Whether the decision was made for a control group (its outcomes are counted apart and teach
   * nothing).
   */
  public boolean heldOut() {
    return experiments != null && experiments.stream().anyMatch(ExperimentArm::heldOut);
  }

  /** The same decision, saying where its profile came from. */
  public Decision withProfileSource(ProfileSource source) {
    return with(source, source.degraded(), experiments);
  }

  private Decision with(ProfileSource source, Boolean degraded, List<ExperimentArm> arms) {
    return new Decision(
        decisionId,
        ruleSetVersion,
        customerId,
        asOf,
        indices,
        segment,
        contact,
        criticalGaps,
        actions,
        suppressed,
        evaluationMicros,
        source,
        degraded,
        arms,
        exploration,
        held);
  }

  /**
   * Answers "what became of action X?" — recommended at some rank, suppressed and why, or absent.
   */
  public Optional<CandidateOutcome> outcomeOf(String actionId) {
    for (RecommendedAction a : actions) {
      if (a.actionId().equals(actionId)) {
        return Optional.of(a);
      }
    }
    for (SuppressedAction s : suppressed) {
      if (s.actionId().equals(actionId)) {
        return Optional.of(s);
      }
    }
    // A compact answer read back has its holds only: the action with every reason that held it.
    List<Suppression> by = new java.util.ArrayList<>();
    for (Hold h : suppressed.isEmpty() ? held() : List.<Hold>of()) {
      if (h.actions().contains(actionId)) {
        by.add(new Suppression(h.rule(), h.guidance(), h.reason(), h.liftWhen(), h.gap(), null));
      }
    }
    if (!by.isEmpty()) {
      return Optional.of(new SuppressedAction(actionId, null, null, by));
    }
    return Optional.empty();
  }

  public Optional<RecommendedAction> top() {
    return actions.isEmpty() ? Optional.empty() : Optional.of(actions.get(0));
  }
}
