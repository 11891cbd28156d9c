package io.nextbest.engine.model;

/**
 * One component of an index: its 0–100 score, whether it was observed, the weight the rule set
 * gives it, what it adds to the index, and the evidence it was computed from. An unobserved
 * component either carries no weight ({@code score} null) or scores the rule set's declared prior.
 * A history component (complaints, failures) subtracts: its contribution is zero or negative.
 */
public record Component(
    String name,
    Double score,
    boolean observed,
    double weight,
    double contribution,
    String evidence) {}
