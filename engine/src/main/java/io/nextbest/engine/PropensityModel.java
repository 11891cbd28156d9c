package io.nextbest.engine;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Segment;

/**
 * Where an action's propensity comes from: the catalogue prior, or outcomes learned per treatment
 * and segment (G13).
 */
@FunctionalInterface
public interface PropensityModel {
  /** The catalogue's prior for every action, before anything is learned. */
  PropensityModel PRIORS = q -> Propensity.prior(q.action().propensity());

  /** The propensity for one treatment; the same query on the same counts gives the same answer. */
  Propensity estimate(PropensityQuery query);

  /** The action on its first channel in the segment's quadrant, without exploring. */
  default Propensity estimate(CatalogueAction action, Segment segment) {
    return estimate(
        new PropensityQuery(
            action,
            action.channels().get(0),
            segment.quadrant().name(),
            0,
            0,
            LearningPolicy.DEFAULT.coldStart()));
  }
}
