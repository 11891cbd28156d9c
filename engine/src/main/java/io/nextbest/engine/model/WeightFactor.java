package io.nextbest.engine.model;

/** One multiplier of a candidate's context weight and where it came from. */
public record WeightFactor(String source, double multiplier) {}
