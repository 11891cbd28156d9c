package io.nextbest.simulator;

import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.CustomerContext;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * One customer ready to simulate: the decision points to decide on (one for a static population,
 * one per decision point for a replayed history), the observed outcome if any, and how to start a
 * journey: a fresh {@link ProfileState} per what-if side and the moment it starts. {@code file} and
 * {@code line} say where it was read, for messages.
 */
record Subject(String file, long line, String customerId, Boolean outcome, List<CustomerContext> points, Supplier<ProfileState> state, Instant journeyStart) {
  Subject {
    points = List.copyOf(points);
  }
}
