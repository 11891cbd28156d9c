package io.nextbest.engine.model;

/**
 * Where the customer sits in the experience–engagement matrix, as the quadrant DMN decided (G5).
 */
public record Segment(
    Quadrant quadrant, String label, Level experienceLevel, Level engagementLevel) {}
