package io.nextbest.engine.model;

/**
 * One component of an index: its 0–100 score, the weight the rule set gives it, what it adds to the
 * index, and the evidence it was computed from. {@code score} is null when no signal was available
 * (its weight is then spread over the components that have one).
 */
public record Component(String name, Double score, double weight, double contribution, String evidence) {}
