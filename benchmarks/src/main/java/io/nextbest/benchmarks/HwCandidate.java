package io.nextbest.benchmarks;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complexity;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.Routing;
import io.nextbest.engine.model.Suppression;
import io.nextbest.engine.model.Tone;
import io.nextbest.engine.model.WeightFactor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The baseline's counterpart of the engine's {@code Candidate}: one catalogue action in one
 * decision, changed by plain method calls that record the rule, its guidance ids and the evidence.
 */
final class HwCandidate {
  /** A rule's name and guidance ids, as its DRL {@code @guidance} metadata gives them. */
  record Rule(String name, List<String> guidance) {
    static Rule of(String name, String guidance) {
      return new Rule(name, List.of(guidance.split(" ")));
    }
  }

  final CatalogueAction action;
  final Propensity propensity;
  final double lever;
  final List<WeightFactor> factors = new ArrayList<>(4);
  double contextWeight;
  final Set<Channel> channels;
  final List<Reason> reasons = new ArrayList<>(4);
  final List<Suppression> suppressions = new ArrayList<>(2);
  final List<Suppression> channelRemovals = new ArrayList<>(2);
  Channel preferredChannel;
  Routing routing;
  Tone tone = Tone.NEUTRAL;
  Complexity complexity = Complexity.STANDARD;
  private boolean toneSet;
  private boolean complexitySet;

  HwCandidate(
      CatalogueAction action,
      Propensity propensity,
      double strategyWeight,
      String strategySource,
      double lever) {
    this.action = action;
    this.propensity = propensity;
    this.lever = lever;
    this.contextWeight = strategyWeight;
    this.factors.add(new WeightFactor(strategySource, strategyWeight));
    this.channels = EnumSet.copyOf(action.channels());
    this.routing =
        action.requiresHuman()
            ? Routing.AGENT
            : (action.outbound() ? Routing.AUTOMATED : Routing.AGENT);
  }

  String id() {
    return action.id();
  }

  boolean is(String id) {
    return action.id().equals(id);
  }

  boolean suppressed() {
    return !suppressions.isEmpty();
  }

  boolean offers(Channel channel) {
    return channels.contains(channel);
  }

  boolean concerns(String product) {
    return action.product() != null
        && product != null
        && action.product().equalsIgnoreCase(product);
  }

  void suppress(Rule rule, String reason, String liftWhen, Object... evidence) {
    suppressions.add(
        new Suppression(rule.name(), rule.guidance(), reason, liftWhen, evidence(evidence)));
  }

  void suppressFor(Rule rule, CriticalGap gap, String reason) {
    List<String> guidance = new ArrayList<>(rule.guidance());
    for (String g : gap.guidance()) {
      if (!guidance.contains(g)) {
        guidance.add(g);
      }
    }
    suppressions.add(
        new Suppression(
            rule.name(),
            guidance,
            reason,
            gap.liftWhen(),
            Suppression.ref(gap),
            Map.of("gap", gap.kind())));
  }

  void weigh(Rule rule, double multiplier, String text, Object... evidence) {
    contextWeight *= multiplier;
    factors.add(new WeightFactor(rule.name(), multiplier));
    reasons.add(
        new Reason(
            rule.name(),
            rule.guidance(),
            "context weight x" + trim(multiplier),
            text,
            evidence(evidence)));
  }

  void dropChannel(Rule rule, Channel channel, String reason, String liftWhen, Object... evidence) {
    if (channels.remove(channel)) {
      channelRemovals.add(
          new Suppression(
              rule.name(), rule.guidance(), channel + ": " + reason, liftWhen, evidence(evidence)));
    }
  }

  void preferChannel(Rule rule, Channel channel, String text) {
    if (channels.contains(channel) && preferredChannel == null) {
      preferredChannel = channel;
      note(rule, "channel " + channel, text);
    }
  }

  void route(Rule rule, Routing to, String text) {
    if (routing != to) {
      routing = to;
      note(rule, "routed to " + to, text);
    }
  }

  void tone(Rule rule, Tone tone, String text) {
    if (!toneSet) {
      toneSet = true;
      this.tone = tone;
      note(rule, "tone " + tone, text);
    }
  }

  void complexity(Rule rule, Complexity complexity, String text) {
    if (!complexitySet) {
      complexitySet = true;
      this.complexity = complexity;
      note(rule, complexity.name().toLowerCase() + " wording", text);
    }
  }

  void note(Rule rule, String effect, String text) {
    reasons.add(new Reason(rule.name(), rule.guidance(), effect, text, Map.of()));
  }

  static Map<String, Object> evidence(Object... keyValues) {
    if (keyValues.length == 0) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  static String trim(double d) {
    return d == Math.rint(d)
        ? String.valueOf((long) d)
        : String.valueOf(Math.round(d * 100) / 100.0);
  }
}
