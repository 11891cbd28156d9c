package io.nextbest.simulator;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Quadrant;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The knobs of the synthetic population generator.
 *
 * @param quadrantMix the share of customers generated to sit in Q1, Q2, Q3 and Q4 (normalised; the
 *     engine classifies them, so the outcome is close to, not exactly, this mix)
 * @param complaintRate the share of customers with an open complaint
 * @param channelMix the share of customers who prefer each channel (normalised)
 * @param outreachPerMonth the mean number of proactive messages each customer got in the last 30
 *     days
 * @param liveShare the share of decisions made during a live conversation (the rest are
 *     outbound-only)
 * @param asOf the moment every decision is made at
 */
public record SyntheticKnobs(
    Map<Quadrant, Double> quadrantMix,
    double complaintRate,
    Map<Channel, Double> channelMix,
    double outreachPerMonth,
    double liveShare,
    Instant asOf) {

  public static final SyntheticKnobs DEFAULTS =
      new SyntheticKnobs(
          Map.of(Quadrant.Q1, 0.25, Quadrant.Q2, 0.25, Quadrant.Q3, 0.25, Quadrant.Q4, 0.25),
          0.08,
          Map.of(
              Channel.PHONE,
              0.25,
              Channel.CHAT,
              0.15,
              Channel.EMAIL,
              0.2,
              Channel.SMS,
              0.1,
              Channel.APP,
              0.2,
              Channel.WEB,
              0.1),
          1.5,
          0.5,
          Instant.parse("2025-01-01T10:00:00Z"));

  public SyntheticKnobs {
    quadrantMix = normalised(quadrantMix, Quadrant.class, "quadrantMix");
    channelMix = normalised(channelMix, Channel.class, "channelMix");
    share(complaintRate, "complaintRate");
    share(liveShare, "liveShare");
    if (!(outreachPerMonth >= 0) || outreachPerMonth > 30) {
      throw new IllegalArgumentException(
          "outreachPerMonth must be between 0 and 30, was " + outreachPerMonth);
    }
    if (asOf == null) {
      throw new IllegalArgumentException("asOf is required");
    }
  }

  public SyntheticKnobs withQuadrantMix(double q1, double q2, double q3, double q4) {
    return new SyntheticKnobs(
        Map.of(Quadrant.Q1, q1, Quadrant.Q2, q2, Quadrant.Q3, q3, Quadrant.Q4, q4),
        complaintRate,
        channelMix,
        outreachPerMonth,
        liveShare,
        asOf);
  }

  public SyntheticKnobs withComplaintRate(double rate) {
    return new SyntheticKnobs(quadrantMix, rate, channelMix, outreachPerMonth, liveShare, asOf);
  }

  public SyntheticKnobs withChannelMix(Map<Channel, Double> mix) {
    return new SyntheticKnobs(quadrantMix, complaintRate, mix, outreachPerMonth, liveShare, asOf);
  }

  public SyntheticKnobs withOutreachPerMonth(double perMonth) {
    return new SyntheticKnobs(quadrantMix, complaintRate, channelMix, perMonth, liveShare, asOf);
  }

  public SyntheticKnobs withLiveShare(double share) {
    return new SyntheticKnobs(
        quadrantMix, complaintRate, channelMix, outreachPerMonth, share, asOf);
  }

  private static void share(double v, String name) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + v);
    }
  }

  private static <E extends Enum<E>> Map<E, Double> normalised(
      Map<E, Double> mix, Class<E> type, String name) {
    if (mix == null || mix.isEmpty()) {
      throw new IllegalArgumentException(name + " needs at least one share");
    }
    double total = 0;
    for (Map.Entry<E, Double> e : mix.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || !(e.getValue() >= 0)) {
        throw new IllegalArgumentException(
            name + ": every share must be a non-negative number, got " + mix);
      }
      total += e.getValue();
    }
    if (total <= 0) {
      throw new IllegalArgumentException(name + ": the shares add up to zero");
    }
    Map<E, Double> out = new EnumMap<>(type);
    for (E k : type.getEnumConstants()) {
      double v = mix.getOrDefault(k, 0.0) / total;
      if (v > 0) {
        out.put(k, v);
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The shares in enum order, for drawing. */
  static <E extends Enum<E>> List<Map.Entry<E, Double>> cumulative(Map<E, Double> mix) {
    List<Map.Entry<E, Double>> out = new java.util.ArrayList<>();
    double acc = 0;
    for (Map.Entry<E, Double> e : mix.entrySet()) {
      acc += e.getValue();
      out.add(Map.entry(e.getKey(), acc));
    }
    return out;
  }
}
