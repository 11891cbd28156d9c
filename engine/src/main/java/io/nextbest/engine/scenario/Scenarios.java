package io.nextbest.engine.scenario;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.CandidateOutcome;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Flag;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loads scenarios from a rule set and checks decisions against them. */
public final class Scenarios {
  private Scenarios() {}

  /**
   * Every {@code scenarios/*.json} of the source, in path order; a file may hold one scenario or an
   * array.
   */
  public static List<Scenario> load(RuleSetSource source) {
    List<Scenario> out = new ArrayList<>();
    for (String path : source.list("scenarios", ".json")) {
      try {
        byte[] bytes = source.bytes(path);
        com.fasterxml.jackson.databind.JsonNode node = Json.mapper().readTree(bytes);
        if (node.isArray()) {
          for (com.fasterxml.jackson.databind.JsonNode n : node) {
            out.add(Json.mapper().treeToValue(n, Scenario.class));
          }
        } else {
          out.add(Json.mapper().treeToValue(node, Scenario.class));
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new RuleSetException(
            "scenario file does not parse",
            List.of(new RuleSetMessage("ERROR", path, null, null, e.getMessage())));
      }
    }
    return out;
  }

  /** Decides each scenario on {@code ruleSet} and checks it. */
  public static List<ScenarioResult> run(
      DecisionEngine engine, RuleSet ruleSet, List<Scenario> scenarios) {
    List<ScenarioResult> results = new ArrayList<>(scenarios.size());
    for (Scenario s : scenarios) {
      Decision d;
      try {
        d = engine.decide(s.context(), ruleSet);
      } catch (RuntimeException e) {
        results.add(
            new ScenarioResult(
                s.name(),
                ruleSet.version(),
                false,
                List.of("decision failed: " + e.getMessage()),
                null));
        continue;
      }
      results.add(check(s, d));
    }
    return results;
  }

  /** Compares one decision with a scenario's expectations. */
  public static ScenarioResult check(Scenario s, Decision d) {
    Expectation e = s.expect();
    List<String> failures = new ArrayList<>();
    String top = d.top().map(RecommendedAction::actionId).orElse(null);
    if (e.quadrant() != null && e.quadrant() != d.segment().quadrant()) {
      failures.add(
          "quadrant: expected "
              + e.quadrant()
              + ", was "
              + d.segment().quadrant()
              + " (experience "
              + d.indices().experience().value()
              + ", engagement "
              + d.indices().engagement().value()
              + ")");
    }
    if (e.topAction() != null && !e.topAction().equals(top)) {
      failures.add("top action: expected " + e.topAction() + ", was " + top + " " + ranking(d));
    }
    if (e.topFamily() != null && d.top().map(a -> a.family() != e.topFamily()).orElse(true)) {
      failures.add(
          "top family: expected "
              + e.topFamily()
              + ", was "
              + d.top().map(RecommendedAction::family).orElse(null));
    }
    for (String id : e.recommended()) {
      if (!(d.outcomeOf(id).orElse(null) instanceof RecommendedAction)) {
        failures.add(
            "recommended: expected "
                + id
                + " among "
                + ranking(d)
                + ", was "
                + describe(d.outcomeOf(id)));
      }
    }
    for (String id : e.notRecommended()) {
      if (d.outcomeOf(id).orElse(null) instanceof RecommendedAction a) {
        failures.add("not recommended: " + id + " was ranked " + a.rank());
      }
    }
    for (Expectation.SuppressedExpectation x : e.suppressed()) {
      Optional<CandidateOutcome> o = d.outcomeOf(x.action());
      if (!(o.orElse(null) instanceof SuppressedAction sa)) {
        failures.add(
            "suppressed: expected " + x.action() + " to be suppressed, was " + describe(o));
        continue;
      }
      boolean found = false;
      for (Suppression by : sa.by()) {
        boolean ruleOk = x.rule() == null || x.rule().equals(by.rule());
        boolean liftOk =
            x.liftContains() == null
                || (by.liftWhen() != null && by.liftWhen().contains(x.liftContains()));
        found |= ruleOk && liftOk;
      }
      if (!found) {
        failures.add(
            "suppressed: "
                + x.action()
                + " was held by "
                + sa.by().stream().map(b -> b.rule() + " (lift: " + b.liftWhen() + ")").toList()
                + ", expected rule "
                + x.rule()
                + (x.liftContains() == null
                    ? ""
                    : " with lift containing '" + x.liftContains() + "'"));
      }
    }
    for (Expectation.ReasonExpectation x : e.reasons()) {
      if (d.outcomeOf(x.action()).orElse(null) instanceof RecommendedAction a) {
        if (a.explanation().reasons().stream().noneMatch(r -> r.rule().equals(x.rule()))) {
          failures.add(
              "reason: "
                  + x.action()
                  + " lacks rule "
                  + x.rule()
                  + ", has "
                  + a.explanation().reasons().stream().map(r -> r.rule()).toList());
        }
      } else {
        failures.add(
            "reason: "
                + x.action()
                + " is not recommended, so has no reason "
                + x.rule()
                + " ("
                + describe(d.outcomeOf(x.action()))
                + ")");
      }
    }
    if (e.criticalGaps() != null) {
      List<String> kinds =
          d.criticalGaps().stream().map(g -> g.kind()).distinct().sorted().toList();
      List<String> want = e.criticalGaps().stream().distinct().sorted().toList();
      if (!kinds.equals(want)) {
        failures.add("critical gaps: expected " + want + ", was " + kinds);
      }
    }
    for (String flag : e.riskFlags()) {
      if (!d.indices().hasFlag(flag)) {
        failures.add(
            "flag: expected "
                + flag
                + ", raised "
                + d.indices().riskFlags().stream().map(Flag::code).toList()
                + d.indices().trendFlags().stream().map(Flag::code).toList());
      }
    }
    for (Expectation.ChannelExpectation x : e.channels()) {
      if (d.outcomeOf(x.action()).orElse(null) instanceof RecommendedAction a) {
        if (!a.channel().name().equals(x.channel())) {
          failures.add(
              "channel: expected " + x.action() + " on " + x.channel() + ", was " + a.channel());
        }
      } else {
        failures.add(
            "channel: "
                + x.action()
                + " is not recommended ("
                + describe(d.outcomeOf(x.action()))
                + ")");
      }
    }
    return new ScenarioResult(s.name(), d.ruleSetVersion(), failures.isEmpty(), failures, top);
  }

  private static List<String> ranking(Decision d) {
    return d.actions().stream().map(a -> a.rank() + ":" + a.actionId()).toList();
  }

  private static String describe(Optional<CandidateOutcome> o) {
    if (o.isEmpty()) {
      return "not ranked within the limit";
    }
    if (o.get() instanceof RecommendedAction a) {
      return "ranked " + a.rank();
    }
    SuppressedAction s = (SuppressedAction) o.get();
    return "suppressed by " + s.by().stream().map(Suppression::rule).toList();
  }
}
