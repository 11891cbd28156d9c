package io.nextbest.engine.facts;

import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerProfile;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which catalogue actions an effect applies to, said by their attributes (family, direction, flags,
 * product, channels) or, for a rule about one action, by id. Customer-level rules name a target
 * once per decision; the engine then applies the effect to every candidate the target matches,
 * after the rules have fired, so no rule joins the candidates. Immutable: each narrowing method
 * returns a copy with one more condition; an unset condition (null) lets every action pass.
 */
public final class Target {
  private static final Target ALL = new Target();

  private Set<String> ids;
  private Set<ActionFamily> families;
  private Set<ActionFamily> exceptFamilies;
  private Boolean outbound;
  private Boolean engagement;
  private Boolean promotional;
  private Boolean priceOnly;
  private String product;

  /** When not null: only actions whose product this customer holds ({@link #held}) or does not. */
  private CustomerProfile heldBy;

  private boolean held;
  private Channel listedOn;
  private Channel notListedOn;

  private Target() {}

  private Target copy() {
    Target t = new Target();
    t.ids = ids;
    t.families = families;
    t.exceptFamilies = exceptFamilies;
    t.outbound = outbound;
    t.engagement = engagement;
    t.promotional = promotional;
    t.priceOnly = priceOnly;
    t.product = product;
    t.heldBy = heldBy;
    t.held = held;
    t.listedOn = listedOn;
    t.notListedOn = notListedOn;
    return t;
  }

  // ---- where a rule starts ----

  /** Every action. */
  public static Target all() {
    return ALL;
  }

  /** The actions with these ids. */
  public static Target id(String... ids) {
    Target t = ALL.copy();
    t.ids = Set.of(ids);
    return t;
  }

  /** The actions of these families. */
  public static Target family(ActionFamily first, ActionFamily... more) {
    Target t = ALL.copy();
    t.families = EnumSet.of(first, more);
    return t;
  }

  /** Outbound actions (outreach the customer did not ask for). */
  public static Target outbound() {
    return ALL.outboundOnly();
  }

  /** Inbound actions (offered by an agent in a live conversation). */
  public static Target inbound() {
    return ALL.inboundOnly();
  }

  /** Actions of the engagement families. */
  public static Target engagementFamilies() {
    Target t = ALL.copy();
    t.engagement = true;
    return t;
  }

  /** Promotional actions. */
  public static Target promotion() {
    return ALL.promotional();
  }

  /** Price-only offers. */
  public static Target priceOnlyOffers() {
    Target t = ALL.copy();
    t.priceOnly = true;
    return t;
  }

  // ---- narrowing ----

  /** Also only inbound ones. */
  public Target inboundOnly() {
    Target t = copy();
    t.outbound = false;
    return t;
  }

  /** Also only outbound ones. */
  public Target outboundOnly() {
    Target t = copy();
    t.outbound = true;
    return t;
  }

  /** Also excluding these families. */
  public Target except(ActionFamily first, ActionFamily... more) {
    Target t = copy();
    t.exceptFamilies = EnumSet.of(first, more);
    if (exceptFamilies != null) {
      t.exceptFamilies.addAll(exceptFamilies);
    }
    return t;
  }

  /** Also only promotional ones. */
  public Target promotional() {
    Target t = copy();
    t.promotional = true;
    return t;
  }

  /** Also only those about {@code product} (compared without case). */
  public Target concerning(String product) {
    Target t = copy();
    t.product = product;
    return t;
  }

  /** Also only those whose product {@code customer} holds. */
  public Target productHeldBy(CustomerProfile customer) {
    Target t = copy();
    t.heldBy = customer;
    t.held = true;
    return t;
  }

  /** Also only those whose product {@code customer} does not hold. */
  public Target productNotHeldBy(CustomerProfile customer) {
    Target t = copy();
    t.heldBy = customer;
    t.held = false;
    return t;
  }

  /** Also only those the catalogue lists for {@code channel}. */
  public Target listedOn(Channel channel) {
    Target t = copy();
    t.listedOn = channel;
    return t;
  }

  /** Also only those the catalogue does not list for {@code channel}. */
  public Target notListedOn(Channel channel) {
    Target t = copy();
    t.notListedOn = channel;
    return t;
  }

  // ---- read by the engine ----

  /** Whether the effect applies to {@code a}. */
  public boolean matches(CatalogueAction a) {
    return matches(a, channelBits(a));
  }

  /**
   * The catalogue's channels of {@code a} as bits by ordinal, for {@link #matches(CatalogueAction,
   * int)}: worked out once per action, not once per target tested.
   */
  static int channelBits(CatalogueAction a) {
    int bits = 0;
    for (Channel c : a.channels()) {
      bits |= 1 << c.ordinal();
    }
    return bits;
  }

  /** As {@link #matches(CatalogueAction)}, with the action's {@link #channelBits}. */
  boolean matches(CatalogueAction a, int channelBits) {
    return (ids == null || ids.contains(a.id()))
        && (families == null || families.contains(a.family()))
        && (exceptFamilies == null || !exceptFamilies.contains(a.family()))
        && (outbound == null || outbound == a.outbound())
        && (engagement == null || engagement == a.family().engagement())
        && (promotional == null || promotional == a.promotional())
        && (priceOnly == null || priceOnly == a.priceOnly())
        && (product == null || (a.product() != null && a.product().equalsIgnoreCase(product)))
        && (heldBy == null || (a.product() != null && heldBy.holds(a.product()) == held))
        && (listedOn == null || (channelBits & (1 << listedOn.ordinal())) != 0)
        && (notListedOn == null || (channelBits & (1 << notListedOn.ordinal())) == 0);
  }
}
