package io.nextbest.engine.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What is known about the customer before the live interaction: survey history, complaints,
 * failures, channel use, holdings, loyalty, community, advocacy, consent and contact history. Every
 * collection is copied on the way in; absent collections are empty.
 */
public record CustomerProfile(
    List<Score> csat,
    List<Score> ces,
    Score nps,
    List<Complaint> complaints,
    List<FailedInteraction> failedInteractions,
    List<ChannelUsage> channels,
    List<ProductHolding> products,
    Integer purchases90d,
    Instant lastPurchaseAt,
    Integer referrals12m,
    Integer reviews12m,
    Loyalty loyalty,
    Community community,
    Map<Channel, Boolean> consent,
    QuietHours quietHours,
    Channel preferredChannel,
    Proficiency digitalProficiency,
    Double annualValue,
    Integer tenureMonths,
    List<OutreachSent> outreach) {

  public static final CustomerProfile EMPTY =
      new CustomerProfile(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null);

  public CustomerProfile {
    csat = copy(csat);
    ces = copy(ces);
    complaints = copy(complaints);
    failedInteractions = copy(failedInteractions);
    channels = copy(channels);
    products = copy(products);
    outreach = copy(outreach);
    purchases90d = purchases90d == null ? 0 : purchases90d;
    referrals12m = referrals12m == null ? 0 : referrals12m;
    reviews12m = reviews12m == null ? 0 : reviews12m;
    loyalty = loyalty == null ? Loyalty.NONE : loyalty;
    community = community == null ? Community.NONE : community;
    consent = consent == null ? Map.of() : Map.copyOf(nonNullKeys(consent));
    digitalProficiency = digitalProficiency == null ? Proficiency.MEDIUM : digitalProficiency;
    annualValue = annualValue == null ? 0.0 : annualValue;
    tenureMonths = tenureMonths == null ? 0 : tenureMonths;
  }

  /**
   * Whether the customer has opted in to proactive messages on {@code channel}. Absent means no.
   */
  public boolean consents(Channel channel) {
    return Boolean.TRUE.equals(consent.get(channel));
  }

  /** Whether the customer used {@code channel} in the last 90 days (any interaction on it). */
  public boolean uses(Channel channel) {
    for (ChannelUsage u : channels) {
      if (u != null
          && u.channel() == channel
          && u.interactions90d() != null
          && u.interactions90d() > 0) {
        return true;
      }
    }
    return false;
  }

  public boolean holds(String product) {
    for (ProductHolding p : products) {
      if (p != null && product.equalsIgnoreCase(p.product())) {
        return true;
      }
    }
    return false;
  }

  private static <T> List<T> copy(List<T> list) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    // Nulls are kept so the validator can name them; List.copyOf would throw without a field name.
    return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }

  private static Map<Channel, Boolean> nonNullKeys(Map<Channel, Boolean> map) {
    Map<Channel, Boolean> out = new java.util.EnumMap<>(Channel.class);
    map.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            out.put(k, v);
          }
        });
    return out;
  }
}
