package io.nextbest.engine;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;

/**
 * One treatment whose propensity a decision needs: the action on the channel it would go out on, in
 * the customer's segment, with how much to explore and the decision's seed.
 *
 * @param segment the segment outcomes are counted in, its {@link Segmentation#label label}: the
 *     quadrant ({@code Q2}), {@code *} for every customer, or a declared combination
 * @param exploration 0 for the posterior mean; see {@link LearningPolicy.Exploration}
 * @param seed derived from what the decision depends on; the model mixes in the counts it reads
 */
public record PropensityQuery(
    CatalogueAction action,
    Channel channel,
    String segment,
    double exploration,
    long seed,
    LearningPolicy.ColdStart coldStart) {}
