package io.nextbest.engine.facts;

import io.nextbest.engine.model.ActionFamily;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.runtime.rule.RuleContext;

/**
 * One catalogue action under consideration in one decision. Rules never modify it through working
 * memory; they call its methods, each of which records the rule, its guidance ids and the evidence,
 * so every change to the ranking can be explained. One instance per decision, never shared.
 */
public final class Candidate {
  private final CatalogueAction action;
  private Propensity propensity;
  private final double lever;
  private final List<WeightFactor> factors = new ArrayList<>(4);
  private double contextWeight;
  private final Set<Channel> channels;
  private final List<Reason> reasons = new ArrayList<>(4);
  private final List<Suppression> suppressions = new ArrayList<>(2);
  private final List<Suppression> channelRemovals = new ArrayList<>(2);
  private Channel preferredChannel;
  private Routing routing;
  private Tone tone = Tone.NEUTRAL;
  private Complexity complexity = Complexity.STANDARD;
  private boolean toneSet;
  private boolean complexitySet;

  public Candidate(
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

  // ---- read by rules ----

  public String getId() {
    return action.id();
  }

  public ActionFamily getFamily() {
    return action.family();
  }

  public boolean isEngagement() {
    return action.family().engagement();
  }

  public boolean isOutbound() {
    return action.outbound();
  }

  public boolean isPromotional() {
    return action.promotional();
  }

  public boolean isPriceOnly() {
    return action.priceOnly();
  }

  public String getProduct() {
    return action.product();
  }

  public boolean isRequiresHuman() {
    return action.requiresHuman();
  }

  public boolean isSuppressed() {
    return !suppressions.isEmpty();
  }

  /** Whether the action can still go out on {@code channel}. */
  public boolean offers(Channel channel) {
    return channels.contains(channel);
  }

  /**
   * Whether the catalogue lists the action for {@code channel}, whatever rules have dropped since.
   */
  public boolean listedOn(Channel channel) {
    return action.channels().contains(channel);
  }

  public boolean concerns(String product) {
    return action.product() != null
        && product != null
        && action.product().equalsIgnoreCase(product);
  }

  // ---- called by rule consequences ----

  /** Holds the candidate back; {@code liftWhen} tells the agent what would release it. */
  public void suppress(RuleContext ctx, String reason, String liftWhen, Object... evidence) {
    suppress(RuleRef.of(ctx), reason, liftWhen, RuleRef.evidence(evidence));
  }

  void suppress(RuleRef rule, String reason, String liftWhen, Map<String, Object> evidence) {
    suppressions.add(new Suppression(rule.name(), rule.guidance(), reason, liftWhen, evidence));
  }

  /**
   * Holds the candidate back for the pipeline itself, not a rule (e.g. while the customer store is
   * unreachable).
   */
  public void hold(
      String by,
      List<String> guidance,
      String reason,
      String liftWhen,
      Map<String, Object> evidence) {
    suppressions.add(new Suppression(by, guidance, reason, liftWhen, evidence));
  }

  /**
   * Holds back a proactive action for a customer in a rule set's control group (not a rule: the
   * experiment).
   */
  public void holdOut(String experimentId, double share) {
    suppressions.add(
        new Suppression(
            "HoldoutControlGroup",
            List.of("G13"),
            "the customer is in control group "
                + experimentId
                + " ("
                + share
                + " of customers), which gets no proactive outreach",
            "when the rule set no longer declares the control group",
            Map.of("experiment", experimentId, "share", share)));
  }

  /** Suppresses on behalf of a gap, citing the gap's rule as well as the suppressing one. */
  public void suppressFor(RuleContext ctx, CriticalGap gap, String reason) {
    suppressFor(RuleRef.of(ctx), gap, reason);
  }

  void suppressFor(RuleRef rule, CriticalGap gap, String reason) {
    List<String> guidance = new ArrayList<>(rule.guidance());
    for (String g : gap.guidance()) {
      if (!guidance.contains(g)) {
        guidance.add(g);
      }
    }
    // The gap is named, not copied: its description and evidence are in the decision's gaps once.
    suppressions.add(
        new Suppression(
            rule.name(),
            guidance,
            reason,
            gap.liftWhen(),
            Suppression.ref(gap),
            Map.of("gap", gap.kind())));
  }

  /** Multiplies the context weight (above 1 boosts, below 1 demotes) and records why. */
  public void weigh(RuleContext ctx, double multiplier, String text, Object... evidence) {
    weigh(RuleRef.of(ctx), multiplier, text, RuleRef.evidence(evidence));
  }

  void weigh(RuleRef rule, double multiplier, String text, Map<String, Object> evidence) {
    contextWeight *= multiplier;
    factors.add(new WeightFactor(rule.name(), multiplier));
    reasons.add(
        new Reason(
            rule.name(), rule.guidance(), "context weight x" + trim(multiplier), text, evidence));
  }

  /**
   * Removes one delivery channel; when none is left the candidate is suppressed with these reasons.
   */
  public void dropChannel(
      RuleContext ctx, Channel channel, String reason, String liftWhen, Object... evidence) {
    if (channels.contains(channel)) {
      dropChannel(RuleRef.of(ctx), channel, reason, liftWhen, RuleRef.evidence(evidence));
    }
  }

  void dropChannel(
      RuleRef rule, Channel channel, String reason, String liftWhen, Map<String, Object> evidence) {
    if (channels.remove(channel)) {
      channelRemovals.add(
          new Suppression(
              rule.name(), rule.guidance(), channel + ": " + reason, liftWhen, evidence));
    }
  }

  /** Names the channel to use if it is still available. */
  public void preferChannel(RuleContext ctx, Channel channel, String text, Object... evidence) {
    preferChannel(RuleRef.of(ctx), channel, text, RuleRef.evidence(evidence));
  }

  void preferChannel(RuleRef rule, Channel channel, String text, Map<String, Object> evidence) {
    if (channels.contains(channel) && preferredChannel == null) {
      preferredChannel = channel;
      note(rule, CHANNEL_EFFECT.get(channel), text, evidence);
    }
  }

  public void route(RuleContext ctx, Routing to, String text, Object... evidence) {
    route(RuleRef.of(ctx), to, text, RuleRef.evidence(evidence));
  }

  void route(RuleRef rule, Routing to, String text, Map<String, Object> evidence) {
    if (routing != to) {
      routing = to;
      note(rule, ROUTING_EFFECT.get(to), text, evidence);
    }
  }

  /** Sets the tone once: the first (highest-salience) rule to speak wins. */
  public void tone(RuleContext ctx, Tone tone, String text, Object... evidence) {
    tone(RuleRef.of(ctx), tone, text, RuleRef.evidence(evidence));
  }

  void tone(RuleRef rule, Tone tone, String text, Map<String, Object> evidence) {
    if (!toneSet) {
      toneSet = true;
      this.tone = tone;
      note(rule, TONE_EFFECT.get(tone), text, evidence);
    }
  }

  /** Sets the wording complexity once: the first (highest-salience) rule to speak wins. */
  public void complexity(RuleContext ctx, Complexity complexity, String text, Object... evidence) {
    complexity(RuleRef.of(ctx), complexity, text, RuleRef.evidence(evidence));
  }

  void complexity(RuleRef rule, Complexity complexity, String text, Map<String, Object> evidence) {
    if (!complexitySet) {
      complexitySet = true;
      this.complexity = complexity;
      note(rule, COMPLEXITY_EFFECT.get(complexity), text, evidence);
    }
  }

  /** Records a reason that explains without changing the ranking. */
  public void note(RuleContext ctx, String effect, String text, Object... evidence) {
    note(RuleRef.of(ctx), effect, text, RuleRef.evidence(evidence));
  }

  void note(RuleRef rule, String effect, String text, Map<String, Object> evidence) {
    reasons.add(new Reason(rule.name(), rule.guidance(), effect, text, evidence));
  }

  // ---- read by arbitration ----

  public CatalogueAction action() {
    return action;
  }

  public Propensity propensity() {
    return propensity;
  }

  /**
   * The propensity of the treatment the arbiter settled on (the action on its channel), in place of
   * the prior.
   */
  public void estimated(Propensity propensity) {
    this.propensity = java.util.Objects.requireNonNull(propensity, "propensity");
  }

  public double lever() {
    return lever;
  }

  public double contextWeight() {
    return contextWeight;
  }

  public List<WeightFactor> factors() {
    return factors;
  }

  public Set<Channel> channels() {
    return channels;
  }

  public Channel preferredChannel() {
    return preferredChannel;
  }

  public List<Reason> reasons() {
    return reasons;
  }

  public List<Suppression> suppressions() {
    return suppressions;
  }

  public List<Suppression> channelRemovals() {
    return channelRemovals;
  }

  public Routing routing() {
    return routing;
  }

  public Tone tone() {
    return tone;
  }

  public Complexity complexity() {
    return complexity;
  }

  /**
   * The effects' labels, one per value ("channel SMS", "tone WARM", "simple wording"), made once
   * rather than for every candidate an effect reaches.
   */
  private static final Map<Channel, String> CHANNEL_EFFECT =
      labels(Channel.class, c -> "channel " + c);

  private static final Map<Routing, String> ROUTING_EFFECT =
      labels(Routing.class, r -> "routed to " + r);

  private static final Map<Tone, String> TONE_EFFECT = labels(Tone.class, t -> "tone " + t);

  private static final Map<Complexity, String> COMPLEXITY_EFFECT =
      labels(Complexity.class, c -> c.name().toLowerCase() + " wording");

  private static <E extends Enum<E>> Map<E, String> labels(
      Class<E> type, java.util.function.Function<E, String> label) {
    Map<E, String> out = new java.util.EnumMap<>(type);
    for (E e : type.getEnumConstants()) {
      out.put(e, label.apply(e));
    }
    return out;
  }

  static String trim(double d) {
    return d == Math.rint(d)
        ? String.valueOf((long) d)
        : String.valueOf(Math.round(d * 100) / 100.0);
  }

  @Override
  public String toString() {
    return "Candidate[" + action.id() + "]";
  }
}
