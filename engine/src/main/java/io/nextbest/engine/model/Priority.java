package io.nextbest.engine.model;

import java.util.List;

/** priority = propensity x value x context weight x lever, with each factor shown. */
public record Priority(
    Propensity propensity,
    double value,
    double contextWeight,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class)
        List<WeightFactor> contextFactors,
    double lever,
    double priority) {
  public Priority {
    contextFactors = contextFactors == null ? List.of() : List.copyOf(contextFactors);
  }
}
