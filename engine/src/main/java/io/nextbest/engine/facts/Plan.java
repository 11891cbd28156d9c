package io.nextbest.engine.facts;

import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complexity;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.Routing;
import io.nextbest.engine.model.Tone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kie.api.runtime.rule.RuleContext;

/**
 * What the rules decided for one customer, as effects on targets of actions, in the order they
 * fired (salience first). A rule reasons about the customer once and names the actions its effect
 * is for ({@link Target}); the engine applies every effect to the candidates after the rules have
 * fired ({@link #applyTo(List)}), so the rule base never joins the catalogue. One per decision,
 * inserted as a fact; never shared.
 *
 * <p>Texts may say {@code {product}}: it becomes the product of the action the effect is applied
 * to, so one effect explains itself per action.
 */
public final class Plan {
  private enum Kind {
    HOLD,
    HOLD_FOR_GAP,
    WEIGH,
    DROP_CHANNEL,
    PREFER_CHANNEL,
    ROUTE,
    TONE,
    COMPLEXITY,
    NOTE
  }

  private record Effect(
      Kind kind,
      RuleRef rule,
      Target target,
      String text,
      String liftWhen,
      double multiplier,
      Object value,
      CriticalGap gap,
      Map<String, Object> evidence,
      boolean templated) {}

  private final List<Effect> effects;
  private int gapHolds;

  /** Whether this plan is frozen: shared by decisions, its effects fixed. */
  private final boolean frozen;

  /**
   * A frozen plan's targets worked out for the last few catalogues it was applied to (versions
   * sharing these rules have one each): which actions, by place, each effect reaches. A target is a
   * function of the action alone, so every decision on a known catalogue tests no target again.
   */
  private volatile Reach[] reaches = new Reach[0];

  private static final int CATALOGUES_KEPT = 4;

  private record Reach(CatalogueAction[] actions, int[][] byEffect) {
    boolean isFor(List<Candidate> candidates) {
      if (actions.length != candidates.size()) {
        return false;
      }
      for (int i = 0; i < actions.length; i++) {
        CatalogueAction a = candidates.get(i).action();
        // The same catalogue, or an equal one (versions that share these rules each load theirs).
        if (actions[i] != a && !actions[i].equals(a)) {
          return false;
        }
      }
      return true;
    }
  }

  /** An empty plan for the rules of one decision to fill. */
  public Plan() {
    this.effects = new ArrayList<>(16);
    this.frozen = false;
  }

  private Plan(List<Effect> effects) {
    this.effects = effects;
    this.frozen = true;
  }

  /**
   * This plan's effects, in the order {@link #applyTo} applies them, as a plan nothing can change:
   * any number of decisions, on any threads, may apply it. Rules that fire on it fail.
   */
  public Plan frozen() {
    orderGapHolds();
    return new Plan(List.copyOf(effects));
  }

  // ---- called by rule consequences ----

  /** Holds the target actions back; {@code liftWhen} tells the agent what would release them. */
  public void hold(
      RuleContext ctx, Target target, String reason, String liftWhen, Object... evidence) {
    add(Kind.HOLD, ctx, target, reason, liftWhen, 1, null, null, evidence);
  }

  /** Holds the target actions back while {@code gap} is open; the hold names the gap. */
  public void holdFor(RuleContext ctx, Target target, CriticalGap gap, String reason) {
    add(Kind.HOLD_FOR_GAP, ctx, target, reason, gap.liftWhen(), 1, null, gap);
  }

  /** Multiplies the target actions' context weight and says why. */
  public void weigh(
      RuleContext ctx, Target target, double multiplier, String text, Object... evidence) {
    add(Kind.WEIGH, ctx, target, text, null, multiplier, null, null, evidence);
  }

  /** Takes {@code channel} from the target actions; one left without a channel is held. */
  public void dropChannel(
      RuleContext ctx,
      Target target,
      Channel channel,
      String reason,
      String liftWhen,
      Object... evidence) {
    add(Kind.DROP_CHANNEL, ctx, target, reason, liftWhen, 1, channel, null, evidence);
  }

  /** Names the channel to use for the target actions that still offer it. */
  public void preferChannel(
      RuleContext ctx, Target target, Channel channel, String text, Object... evidence) {
    add(Kind.PREFER_CHANNEL, ctx, target, text, null, 1, channel, null, evidence);
  }

  public void route(RuleContext ctx, Target target, Routing to, String text, Object... evidence) {
    add(Kind.ROUTE, ctx, target, text, null, 1, to, null, evidence);
  }

  /** Sets the tone of the target actions once: the first rule to speak wins. */
  public void tone(RuleContext ctx, Target target, Tone tone, String text, Object... evidence) {
    add(Kind.TONE, ctx, target, text, null, 1, tone, null, evidence);
  }

  /** Sets the wording of the target actions once: the first rule to speak wins. */
  public void complexity(
      RuleContext ctx, Target target, Complexity complexity, String text, Object... evidence) {
    add(Kind.COMPLEXITY, ctx, target, text, null, 1, complexity, null, evidence);
  }

  /** A reason that explains without changing the ranking. */
  public void note(RuleContext ctx, Target target, String effect, String text, Object... evidence) {
    add(Kind.NOTE, ctx, target, text, effect, 1, null, null, evidence);
  }

  private void add(
      Kind kind,
      RuleContext ctx,
      Target target,
      String text,
      String liftWhen,
      double multiplier,
      Object value,
      CriticalGap gap,
      Object... evidence) {
    Map<String, Object> ev = RuleRef.evidence(evidence);
    // Whether anything says {product}: decided once here, not for every action it reaches. The
    // evidence's values are every other argument.
    boolean templated = hasTemplate(text) || hasTemplate(liftWhen);
    for (int i = 1; evidence != null && i < evidence.length; i += 2) {
      templated |= evidence[i] instanceof String t && hasTemplate(t);
    }
    gapHolds += kind == Kind.HOLD_FOR_GAP ? 1 : 0;
    effects.add(
        new Effect(kind, rule(ctx), target, text, liftWhen, multiplier, value, gap, ev, templated));
  }

  /** The rule of the last effect added, and its reference: a consequence often adds several. */
  private org.kie.api.definition.rule.Rule lastRule;

  private RuleRef lastRef;

  private RuleRef rule(RuleContext ctx) {
    org.kie.api.definition.rule.Rule r = ctx.getRule();
    if (r != lastRule) {
      lastRef = RuleRef.of(r);
      lastRule = r;
    }
    return lastRef;
  }

  // ---- read by the engine ----

  /** How many effects the rules recorded. */
  public int size() {
    return effects.size();
  }

  /**
   * Applies every effect, in firing order, to each candidate its target matches; the holds one rule
   * makes on behalf of several gaps go in the decision's order of gaps (kind, ref, description),
   * whatever order the gaps were matched in.
   */
  public void applyTo(List<Candidate> candidates) {
    Reach r;
    if (frozen) {
      r = known(candidates);
    } else {
      if (gapHolds > 1) {
        orderGapHolds();
      }
      // Rules may still add effects (a rule set matching candidates): worked out for this once.
      r = reach(candidates);
    }
    for (int i = 0; i < effects.size(); i++) {
      Effect e = effects.get(i);
      for (int at : r.byEffect()[i]) {
        apply(e, candidates.get(at));
      }
    }
  }

  /** This frozen plan's reach for the catalogue of {@code candidates}, remembered. */
  private Reach known(List<Candidate> candidates) {
    Reach[] known = reaches;
    for (Reach k : known) {
      if (k.isFor(candidates)) {
        return k;
      }
    }
    Reach r = reach(candidates);
    Reach[] more = new Reach[Math.min(known.length + 1, CATALOGUES_KEPT)];
    more[0] = r;
    System.arraycopy(known, 0, more, 1, more.length - 1);
    reaches = more;
    return r;
  }

  private Reach reach(List<Candidate> candidates) {
    CatalogueAction[] actions = new CatalogueAction[candidates.size()];
    int[] channelBits = new int[actions.length];
    for (int i = 0; i < actions.length; i++) {
      actions[i] = candidates.get(i).action();
      channelBits[i] = Target.channelBits(actions[i]);
    }
    int[][] byEffect = new int[effects.size()][];
    int[] hits = new int[actions.length];
    for (int i = 0; i < byEffect.length; i++) {
      Target t = effects.get(i).target();
      int n = 0;
      for (int a = 0; a < actions.length; a++) {
        if (t.matches(actions[a], channelBits[a])) {
          hits[n++] = a;
        }
      }
      byEffect[i] = java.util.Arrays.copyOf(hits, n);
    }
    return new Reach(actions, byEffect);
  }

  private static final java.util.Comparator<CriticalGap> GAP_ORDER =
      java.util.Comparator.comparing(CriticalGap::kind)
          .thenComparing(CriticalGap::ref)
          .thenComparing(CriticalGap::description);

  private static boolean hasTemplate(String s) {
    return s != null && s.contains("{product}");
  }

  /** Permutes each rule's gap holds among their own places into gap order. */
  private void orderGapHolds() {
    if (gapHolds < 2) {
      return;
    }
    Map<String, List<Integer>> places = new java.util.HashMap<>();
    for (int i = 0; i < effects.size(); i++) {
      Effect e = effects.get(i);
      if (e.kind() == Kind.HOLD_FOR_GAP) {
        places.computeIfAbsent(e.rule().name(), k -> new ArrayList<>(2)).add(i);
      }
    }
    for (List<Integer> at : places.values()) {
      if (at.size() > 1) {
        List<Effect> holds = new ArrayList<>(at.size());
        for (int i : at) {
          holds.add(effects.get(i));
        }
        holds.sort(java.util.Comparator.comparing(Effect::gap, GAP_ORDER));
        for (int j = 0; j < at.size(); j++) {
          effects.set(at.get(j), holds.get(j));
        }
      }
    }
  }

  private static void apply(Effect e, Candidate c) {
    boolean t = e.templated();
    String text = t ? render(e.text(), c) : e.text();
    String liftWhen = t ? render(e.liftWhen(), c) : e.liftWhen();
    RuleRef r = e.rule();
    Map<String, Object> ev = t ? renderEvidence(e.evidence(), c) : e.evidence();
    switch (e.kind()) {
      case HOLD -> c.suppress(r, text, liftWhen, ev);
      case HOLD_FOR_GAP -> c.suppressFor(r, e.gap(), text);
      case WEIGH -> c.weigh(r, e.multiplier(), text, ev);
      case DROP_CHANNEL -> c.dropChannel(r, (Channel) e.value(), text, liftWhen, ev);
      case PREFER_CHANNEL -> c.preferChannel(r, (Channel) e.value(), text, ev);
      case ROUTE -> c.route(r, (Routing) e.value(), text, ev);
      case TONE -> c.tone(r, (Tone) e.value(), text, ev);
      case COMPLEXITY -> c.complexity(r, (Complexity) e.value(), text, ev);
      case NOTE -> c.note(r, e.liftWhen(), text, ev);
    }
  }

  private static Map<String, Object> renderEvidence(Map<String, Object> evidence, Candidate c) {
    boolean templated = false;
    for (Object v : evidence.values()) {
      templated |= v instanceof String t && t.indexOf('{') >= 0;
    }
    if (!templated) {
      return evidence;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    evidence.forEach((k, v) -> out.put(k, v instanceof String t ? render(t, c) : v));
    return java.util.Collections.unmodifiableMap(out);
  }

  private static String render(String template, Candidate c) {
    if (template == null || template.indexOf('{') < 0) {
      return template;
    }
    return template.replace("{product}", String.valueOf(c.getProduct()));
  }
}
