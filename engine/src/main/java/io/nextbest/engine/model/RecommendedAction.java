package io.nextbest.engine.model;

/** A ranked action with how to deliver it and why. */
public record RecommendedAction(
    int rank,
    String actionId,
    String title,
    ActionFamily family,
    Channel channel,
    boolean outbound,
    Routing routing,
    Tone tone,
    Complexity complexity,
    String scriptHint,
    double priority,
    Explanation explanation)
    implements CandidateOutcome {}
