package io.nextbest.engine.model;

/**
 * What an exploring decision drew from: the seed every draw started from (hex; each propensity
 * shows its own seed, derived from this and the counts it read), and the chance this policy ranks
 * the top action first over its exploration, estimated from {@code replicates} further draws: the
 * propensity offline evaluation (inverse propensity scoring) weighs the logged decision by.
 */
public record Exploration(String seed, double topChoiceProbability, int replicates) {}
