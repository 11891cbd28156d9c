package io.nextbest.engine;

import io.nextbest.engine.facts.Candidate;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Explanation;
import io.nextbest.engine.model.Priority;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import io.nextbest.engine.model.WeightFactor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks what the rules left standing by priority = propensity x value x context weight x lever.
 * Ties go to the family listed first (repair before engagement), then to the action id, so the same
 * context always gives the same order.
 */
final class Arbiter {
  private Arbiter() {}

  /**
   * @param eligible every candidate that could be shown, best first, with its channel
   */
  record Ranked(
      List<RecommendedAction> actions, List<SuppressedAction> suppressed, List<Scored> eligible) {}

  record Scored(Candidate candidate, double priority, Channel channel) {}

  private static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::priority)
          .reversed()
          .thenComparing(s -> s.candidate().getFamily())
          .thenComparing(s -> s.candidate().getId());

  /** Ranks on the propensities the candidates carry. */
  static Ranked rank(List<Candidate> candidates, int limit) {
    return rank(candidates, limit, null);
  }

  /**
   * Ranks with each eligible candidate's propensity estimated for the channel it would go out on
   * (its treatment); null keeps the propensities the candidates carry.
   */
  static Ranked rank(
      List<Candidate> candidates,
      int limit,
      java.util.function.BiFunction<Candidate, Channel, Propensity> treatment) {
    List<Scored> eligible = new ArrayList<>(candidates.size());
    List<SuppressedAction> suppressed = new ArrayList<>();
    for (Candidate c : candidates) {
      if (c.isSuppressed()) {
        suppressed.add(suppressedAction(c, c.suppressions()));
        continue;
      }
      if (c.channels().isEmpty()) {
        suppressed.add(suppressedAction(c, c.channelRemovals()));
        continue;
      }
      double weight = c.contextWeight() * c.lever();
      if (weight <= 0) {
        suppressed.add(
            suppressedAction(
                c,
                List.of(
                    new Suppression(
                        "Arbitration",
                        List.of("G6"),
                        "the rule set gives "
                            + c.getFamily()
                            + " no weight here (context weight "
                            + round(c.contextWeight())
                            + ", lever "
                            + round(c.lever())
                            + ")",
                        "when the strategy table or the family lever gives it weight",
                        Map.of()))));
        continue;
      }
      Channel channel = channel(c);
      if (treatment != null) {
        c.estimated(treatment.apply(c, channel));
      }
      double priority = c.propensity().value() * c.action().baseValue() * weight;
      eligible.add(new Scored(c, priority, channel));
    }
    eligible.sort(ORDER);
    List<Scored> shown = eligible.subList(0, Math.min(limit, eligible.size()));
    Map<String, Integer> carriers = new HashMap<>();
    for (Scored s : shown) {
      s.candidate().reasons().stream()
          .map(Reason::rule)
          .distinct()
          .forEach(rule -> carriers.merge(rule, 1, Integer::sum));
    }
    List<RecommendedAction> actions = new ArrayList<>(shown.size());
    for (int i = 0; i < shown.size(); i++) {
      actions.add(recommended(i + 1, shown.get(i), carriers));
    }
    suppressed.sort(
        Comparator.comparing(SuppressedAction::family).thenComparing(SuppressedAction::actionId));
    return new Ranked(actions, suppressed, List.copyOf(eligible));
  }

  /**
   * How often the action ranked first stays first when every exploring candidate's propensity is
   * drawn again: the chance this (exploring) policy chose it, which offline evaluation weighs by.
   * The decision's own draw is one of the {@code replicates + 1} rankings counted, so it is never
   * 0.
   *
   * @param redraw a candidate's propensity under replicate r (1..replicates), or null when it does
   *     not explore
   */
  static double topChoiceProbability(
      List<Scored> eligible,
      int replicates,
      java.util.function.BiFunction<Scored, Integer, Double> redraw) {
    if (eligible.isEmpty()) {
      return 1;
    }
    Candidate top = eligible.get(0).candidate();
    int kept = 1;
    for (int r = 1; r <= replicates; r++) {
      Scored best = null;
      double bestPriority = 0;
      for (Scored s : eligible) {
        Double p = redraw.apply(s, r);
        double priority =
            p == null
                ? s.priority()
                : p
                    * s.candidate().action().baseValue()
                    * s.candidate().contextWeight()
                    * s.candidate().lever();
        if (best == null
            || priority > bestPriority
            || (priority == bestPriority
                && ORDER.compare(
                        new Scored(s.candidate(), priority, s.channel()),
                        new Scored(best.candidate(), bestPriority, best.channel()))
                    < 0)) {
          best = s;
          bestPriority = priority;
        }
      }
      if (best.candidate() == top) {
        kept++;
      }
    }
    return (double) kept / (replicates + 1);
  }

  private static Channel channel(Candidate c) {
    if (c.preferredChannel() != null && c.channels().contains(c.preferredChannel())) {
      return c.preferredChannel();
    }
    for (Channel ch : c.action().channels()) {
      if (c.channels().contains(ch)) {
        return ch;
      }
    }
    throw new IllegalStateException("no channel left for " + c.getId());
  }

  private static SuppressedAction suppressedAction(Candidate c, List<Suppression> by) {
    return new SuppressedAction(c.getId(), c.action().title(), c.getFamily(), by);
  }

  private static RecommendedAction recommended(int rank, Scored s, Map<String, Integer> carriers) {
    Candidate c = s.candidate();
    Priority priority =
        new Priority(
            c.propensity(),
            c.action().baseValue(),
            round(c.contextWeight()),
            c.factors(),
            c.lever(),
            round(s.priority()));
    Explanation explanation = new Explanation(summary(c, carriers), c.reasons(), priority);
    return new RecommendedAction(
        rank,
        c.getId(),
        c.action().title(),
        c.getFamily(),
        s.channel(),
        c.isOutbound(),
        c.routing(),
        c.tone(),
        c.complexity(),
        c.action().scriptHint(),
        round(s.priority()),
        explanation);
  }

  /**
   * The title and the reason that lifted it most, preferring a reason no other shown action
   * carries: a gate that lifts several actions alike ("fix this first") says nothing about why this
   * one, and the decision states it once anyway (its gaps). Without a lifting reason, the strategy
   * weight.
   */
  private static String summary(Candidate c, Map<String, Integer> carriers) {
    Reason best = null;
    double bestLift = 1.0;
    Reason own = null;
    double ownLift = 1.0;
    int i = 1;
    for (Reason r : c.reasons()) {
      if (r.effect().startsWith("context weight x")) {
        double m = c.factors().get(i++).multiplier();
        if (m > bestLift) {
          bestLift = m;
          best = r;
        }
        if (m > ownLift && carriers.getOrDefault(r.rule(), 0) <= 1) {
          ownLift = m;
          own = r;
        }
      }
    }
    if (own != null) {
      return c.action().title() + ": " + own.text();
    }
    if (best == null) {
      WeightFactor strategy = c.factors().get(0);
      return c.action().title()
          + ": "
          + strategy.source()
          + " (weight "
          + round(strategy.multiplier())
          + ")";
    }
    return c.action().title() + ": " + best.text();
  }

  static double round(double d) {
    return Math.round(d * 10_000) / 10_000.0;
  }
}
