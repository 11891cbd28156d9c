package io.nextbest.engine;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Quadrant;

/**
 * One treatment whose propensity a decision needs: the action on the channel it would go out on, in
 * the customer's segment, with how much to explore and the decision's seed.
 *
 * @param segment the quadrant outcomes are counted in, or null when the rule set counts them across
 *     all customers
 * @param exploration 0 for the posterior mean; see {@link LearningPolicy.Exploration}
 * @param seed derived from what the decision depends on; the model mixes in the counts it reads
 */
public record PropensityQuery(
    CatalogueAction action,
    Channel channel,
    Quadrant segment,
    double exploration,
    long seed,
    LearningPolicy.ColdStart coldStart) {}
