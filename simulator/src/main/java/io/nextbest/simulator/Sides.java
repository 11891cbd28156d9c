package io.nextbest.simulator;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The what-if sides: the baseline and (optionally) the candidate rule set, each compiled once, and
 * the one {@link DecisionEngine} that decides on both ({@code decide(context, ruleSet)}): the same
 * pipeline the API runs. Decision ids are derived from the seed, the customer and the decision
 * point, handed to the engine through a per-thread slot, so a rerun gives the same ids.
 */
final class Sides implements AutoCloseable {
  static final String[] PREFIX = {"b", "c"};

  private final RuleSet[] ruleSets;
  private final String[] labels;
  private final List<Map<String, CatalogueAction>> catalogues = new ArrayList<>();
  private final DecisionEngine engine;
  private final ThreadLocal<String> nextId = new ThreadLocal<>();

  private Sides(RuleSet[] ruleSets, String[] labels) {
    this.ruleSets = ruleSets;
    this.labels = labels;
    for (RuleSet rs : ruleSets) {
      Map<String, CatalogueAction> byId = new HashMap<>();
      rs.catalogue().forEach(a -> byId.put(a.id(), a));
      catalogues.add(byId);
    }
    this.engine =
        DecisionEngine.builder()
            .ruleSet(ruleSets[0])
            .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
            .decisionIds(this::takeId)
            .build();
  }

  /**
   * Compiles the sides of {@code spec}; {@code compiler} is {@link RuleSet#compile(RuleSetSource)}
   * outside tests.
   */
  static Sides compile(SimulationSpec spec, Function<RuleSetSource, RuleSet> compiler) {
    RuleSetSource base = spec.baseline().load();
    RuleSet baseline = compile(base, compiler);
    if (!spec.compares()) {
      return new Sides(new RuleSet[] {baseline}, new String[] {baseline.version()});
    }
    RuleSetSource cand = spec.candidate() == null ? base : spec.candidate().load();
    if (!spec.overrides().isEmpty()) {
      String name = cand.name() + "+" + String.join("+", spec.overrides());
      try {
        cand = Overrides.apply(cand, Overrides.parse(spec.overrides()), name);
      } catch (IllegalArgumentException e) {
        throw SimulationException.of(new Problem(cand.name(), 0, null, null, e.getMessage()));
      }
    }
    // The same files compile to the same rule set: compile once (e.g. --candidate bundled without
    // --set).
    RuleSet candidate =
        cand.contentHash().equals(base.contentHash()) ? baseline : compile(cand, compiler);
    return new Sides(
        new RuleSet[] {baseline, candidate},
        new String[] {baseline.version(), candidate.version()});
  }

  private static RuleSet compile(RuleSetSource source, Function<RuleSetSource, RuleSet> compiler) {
    try {
      return compiler.apply(source);
    } catch (RuleSetException e) {
      List<Problem> problems = new ArrayList<>();
      for (RuleSetMessage m : e.messages()) {
        problems.add(
            new Problem(
                source.name() + "/" + m.file(),
                m.line() == null ? 0 : m.line(),
                null,
                m.element(),
                m.text()));
      }
      throw new SimulationException("rule set '" + source.name() + "' does not compile", problems);
    }
  }

  int count() {
    return ruleSets.length;
  }

  RuleSet ruleSet(int side) {
    return ruleSets[side];
  }

  String label(int side) {
    return labels[side];
  }

  CatalogueAction action(int side, String id) {
    return catalogues.get(side).get(id);
  }

  /** Decides on one side's rule set with a given decision id. */
  Decision decide(int side, CustomerContext ctx, String decisionId) {
    nextId.set(decisionId);
    try {
      return engine.decide(ctx, ruleSets[side]);
    } finally {
      nextId.remove();
    }
  }

  private String takeId() {
    String id = nextId.get();
    if (id == null) {
      throw new IllegalStateException(
          "simulation decisions need an id: decide through Sides.decide");
    }
    return id;
  }

  /** Nothing to release today: a compiled rule set holds no resource beyond memory. */
  @Override
  public void close() {}
}
