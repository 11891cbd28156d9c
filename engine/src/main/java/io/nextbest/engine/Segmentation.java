package io.nextbest.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which customers' outcomes are learned together: {@code learning.json}'s {@code segment}. Either
 * {@code "QUADRANT"} (per quadrant, the default), {@code "ALL"} (one segment of every customer), or
 * a combination of dimensions the decision itself computes, {@code {"by": ["quadrant",
 * "loyaltyTier"]}}, from the closed set {@link Dimension}.
 *
 * <p>A decision's segment is a {@linkplain #label label}: {@code *} for all customers, the quadrant
 * ({@code Q2}) for the quadrant alone, otherwise the dimensions in the order of {@link Dimension}
 * joined by {@code /}, the quadrant bare and every other one as {@code name=value} ({@code
 * Q2/loyaltyTier=GOLD}). So {@code {"by": ["quadrant"]}} is {@code QUADRANT}, and counts stored per
 * quadrant before segments could be declared are the same keys.
 */
public final class Segmentation {
  /** The dimensions a segment may be declared by; each is derived from the decision's own facts. */
  public enum Dimension {
    /** The quadrant the Quadrant Classification DMN decided: {@code Q1} to {@code Q4}. */
    QUADRANT("quadrant"),
    /** Whether the customer is in the loyalty programme: {@code true} or {@code false}. */
    LOYALTY_MEMBER("loyaltyMember"),
    /**
     * The programme tier as the profile has it, upper case ({@code GOLD}; characters other than
     * letters, digits, {@code -} and {@code _} become {@code _}, at most 32): {@code MEMBER} for a
     * member without a tier, {@code NONE} for a customer outside the programme.
     */
    LOYALTY_TIER("loyaltyTier"),
    /** The customer's preferred channel ({@code EMAIL}, …), {@code NONE} when not known. */
    PREFERRED_CHANNEL("preferredChannel"),
    /**
     * Whether the customer is high value ({@code true}: annual value at least {@code
     * indices.json}'s {@code highValueAnnual}, the signal G11 uses), else {@code false}.
     */
    HIGH_VALUE("highValue"),
    /**
     * The profile's digital proficiency: {@code LOW}, {@code MEDIUM} (when not given), {@code
     * HIGH}.
     */
    DIGITAL_PROFICIENCY("digitalProficiency");

    private final String json;

    Dimension(String json) {
      this.json = json;
    }

    /** The name {@code learning.json} declares it by. */
    public String json() {
      return json;
    }

    /** This dimension's value for a decision. */
    public String value(Segment segment, CustomerProfile profile, Signals signals) {
      return switch (this) {
        case QUADRANT -> segment.quadrant().name();
        case LOYALTY_MEMBER -> Boolean.toString(profile.loyalty().member());
        case LOYALTY_TIER -> tier(profile);
        case PREFERRED_CHANNEL ->
            profile.preferredChannel() == null ? "NONE" : profile.preferredChannel().name();
        case HIGH_VALUE -> Boolean.toString(signals.highValue());
        case DIGITAL_PROFICIENCY -> profile.digitalProficiency().name();
      };
    }

    static Dimension named(String name) {
      for (Dimension d : values()) {
        if (d.json.equals(name)) {
          return d;
        }
      }
      return null;
    }

    private static String tier(CustomerProfile profile) {
      if (!profile.loyalty().member()) {
        return "NONE";
      }
      String tier = profile.loyalty().tier();
      if (tier == null || tier.isBlank()) {
        return "MEMBER";
      }
      String clean = tier.strip().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_-]", "_");
      return clean.length() > 32 ? clean.substring(0, 32) : clean;
    }
  }

  /** Per quadrant (the default). */
  public static final Segmentation QUADRANT = new Segmentation(EnumSet.of(Dimension.QUADRANT));

  /** One segment of every customer. */
  public static final Segmentation ALL = new Segmentation(EnumSet.noneOf(Dimension.class));

  /** The label of the segment of every customer. */
  public static final String EVERY_CUSTOMER = "*";

  private final List<Dimension> by;

  private Segmentation(EnumSet<Dimension> by) {
    this.by = List.copyOf(by);
  }

  /** A segmentation by these dimensions (in any order; none is {@link #ALL}). */
  public static Segmentation by(Dimension... dimensions) {
    EnumSet<Dimension> set = EnumSet.noneOf(Dimension.class);
    set.addAll(Arrays.asList(dimensions));
    return new Segmentation(set);
  }

  /** Reads {@code learning.json}'s {@code segment}, refusing anything but the forms above. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Segmentation fromJson(JsonNode node) {
    String names =
        Arrays.stream(Dimension.values()).map(Dimension::json).collect(Collectors.joining(", "));
    String forms =
        "learning.json: segment must be \"QUADRANT\", \"ALL\" or {\"by\": [dimensions]} with"
            + " dimensions from "
            + names;
    if (node == null || node.isNull()) {
      return QUADRANT;
    }
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "QUADRANT" -> QUADRANT;
        case "ALL" -> ALL;
        default -> throw new IllegalArgumentException(forms + "; was \"" + node.textValue() + "\"");
      };
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(forms + "; was " + node);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("by")) {
        throw new IllegalArgumentException(
            "learning.json: segment has an unknown field \"" + field + "\"; " + forms);
      }
    }
    JsonNode list = node.get("by");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          "learning.json: segment.by must be a list of dimensions from " + names);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(
          "learning.json: segment.by names no dimension; declare \"ALL\" for one segment of"
              + " every customer, or dimensions from "
              + names);
    }
    EnumSet<Dimension> set = EnumSet.noneOf(Dimension.class);
    for (JsonNode item : list) {
      Dimension d = item.isTextual() ? Dimension.named(item.textValue()) : null;
      if (d == null) {
        throw new IllegalArgumentException(
            "learning.json: segment.by has an unknown dimension "
                + item
                + "; the dimensions are "
                + names);
      }
      if (!set.add(d)) {
        throw new IllegalArgumentException(
            "learning.json: segment.by names " + d.json() + " twice");
      }
    }
    return new Segmentation(set);
  }

  /** The dimensions, in the order of {@link Dimension}. */
  public List<Dimension> by() {
    return by;
  }

  /** The segment a decision's outcomes are learned in; see the class comment for the form. */
  public String label(Segment segment, CustomerProfile profile, Signals signals) {
    if (by.isEmpty()) {
      return EVERY_CUSTOMER;
    }
    if (by.size() == 1 && by.get(0) == Dimension.QUADRANT) {
      return segment.quadrant().name();
    }
    List<String> parts = new ArrayList<>(by.size());
    for (Dimension d : by) {
      String value = d.value(segment, profile, signals);
      parts.add(d == Dimension.QUADRANT ? value : d.json() + "=" + value);
    }
    return String.join("/", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segmentation s && s.by.equals(by);
  }

  @Override
  public int hashCode() {
    return by.hashCode();
  }

  @Override
  public String toString() {
    if (by.isEmpty()) {
      return "ALL";
    }
    if (equals(QUADRANT)) {
      return "QUADRANT";
    }
    return "by " + by.stream().map(Dimension::json).toList();
  }
}
