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
 * {@code line} say where it was read, for messages; {@code columns} are the raw cells the fidelity
 * report uses as baselines (empty without an outcome).
 */
record Subject(
    String file,
    long line,
    String customerId,
    Boolean outcome,
    List<CustomerContext> points,
    Supplier<ProfileState> state,
    Instant journeyStart,
    java.util.Map<String, Object> columns) {
  Subject {
    points = List.copyOf(points);
    columns = columns == null ? java.util.Map.of() : columns;
  }
}
