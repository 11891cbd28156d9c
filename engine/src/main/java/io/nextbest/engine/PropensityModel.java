package io.nextbest.engine;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Segment;

/** Where an action's propensity comes from: the catalogue prior, or outcomes learned per segment (G13). */
@FunctionalInterface
public interface PropensityModel {
  /** The catalogue's prior for every action, before anything is learned. */
  PropensityModel PRIORS = (action, segment) -> Propensity.prior(action.propensity());

  Propensity estimate(CatalogueAction action, Segment segment);
}
