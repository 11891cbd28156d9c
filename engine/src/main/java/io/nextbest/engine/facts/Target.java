package io.nextbest.engine.facts;

import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerProfile;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which catalogue actions an effect applies to, said by their attributes (family, direction, flags,
 * product, channels) or, for a rule about one action, by id. Customer-level rules name a target
 * once per decision; the engine then applies the effect to every candidate the target matches,
 * after the rules have fired, so no rule joins the candidates. Immutable: each method returns a
 * narrower copy.
 *
 * @param idSet the action ids, or null for any
 * @param familySet the families, or null for any
 * @param exceptSet families excluded, or null for none
 * @param direction true for outbound actions only, false for inbound only, null for both
 * @param engagementOnly true for the engagement families only (see {@link
 *     ActionFamily#engagement()})
 * @param promotionalOnly true for promotional actions only
 * @param priceOnlyFlag true for price-only offers only
 * @param aboutProduct the product the action must concern, or null
 * @param heldBy when not null, only actions whose product the customer holds ({@code held}) or does
 *     not hold
 * @param held see {@code heldBy}
 * @param listedChannel only actions the catalogue lists for this channel, or null
 * @param unlistedChannel only actions the catalogue does not list for this channel, or null
 */
public record Target(
    Set<String> idSet,
    Set<ActionFamily> familySet,
    Set<ActionFamily> exceptSet,
    Boolean direction,
    Boolean engagementOnly,
    Boolean promotionalOnly,
    Boolean priceOnlyFlag,
    String aboutProduct,
    CustomerProfile heldBy,
    boolean held,
    Channel listedChannel,
    Channel unlistedChannel) {

  private static final Target ALL =
      new Target(null, null, null, null, null, null, null, null, null, false, null, null);

  /** Every action. */
  public static Target all() {
    return ALL;
  }

  /** The actions with these idSet. */
  public static Target id(String... idSet) {
    return ALL.withIds(Set.of(idSet));
  }

  /** The actions of these familySet. */
  public static Target family(ActionFamily first, ActionFamily... more) {
    return ALL.withFamilies(EnumSet.of(first, more));
  }

  /** Outbound actions (outreach the customer did not ask for). */
  public static Target outbound() {
    return ALL.direction(true);
  }

  /** Inbound actions (offered by an agent in a live conversation). */
  public static Target inbound() {
    return ALL.direction(false);
  }

  /** Actions of the engagementOnly familySet. */
  public static Target engagementFamilies() {
    return new Target(null, null, null, null, true, null, null, null, null, false, null, null);
  }

  /** Promotional actions. */
  public static Target promotion() {
    return new Target(null, null, null, null, null, true, null, null, null, false, null, null);
  }

  /** Price-only offers. */
  public static Target priceOnlyOffers() {
    return new Target(null, null, null, null, null, null, true, null, null, false, null, null);
  }

  /** Also only inbound ones. */
  public Target inboundOnly() {
    return direction(false);
  }

  /** Also only direction ones. */
  public Target outboundOnly() {
    return direction(true);
  }

  /** Also excluding these familySet. */
  public Target except(ActionFamily first, ActionFamily... more) {
    EnumSet<ActionFamily> ex = EnumSet.of(first, more);
    if (exceptSet != null) {
      ex.addAll(exceptSet);
    }
    return new Target(
        idSet,
        familySet,
        ex,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  /** Also only promotionalOnly ones. */
  public Target promotional() {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        true,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  /** Also only those about {@code aboutProduct} (compared without case). */
  public Target concerning(String aboutProduct) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  /** Also only those whose aboutProduct {@code customer} holds. */
  public Target productHeldBy(CustomerProfile customer) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        customer,
        true,
        listedChannel,
        unlistedChannel);
  }

  /** Also only those whose aboutProduct {@code customer} does not hold. */
  public Target productNotHeldBy(CustomerProfile customer) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        customer,
        false,
        listedChannel,
        unlistedChannel);
  }

  /** Also only those the catalogue lists for {@code channel}. */
  public Target listedOn(Channel channel) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        channel,
        unlistedChannel);
  }

  /** Also only those the catalogue does not list for {@code channel}. */
  public Target notListedOn(Channel channel) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        channel);
  }

  private Target withIds(Set<String> idSet) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  private Target withFamilies(Set<ActionFamily> familySet) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        direction,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  private Target direction(boolean out) {
    return new Target(
        idSet,
        familySet,
        exceptSet,
        out,
        engagementOnly,
        promotionalOnly,
        priceOnlyFlag,
        aboutProduct,
        heldBy,
        held,
        listedChannel,
        unlistedChannel);
  }

  /** Whether the effect applies to {@code a}. */
  public boolean matches(CatalogueAction a) {
    return (idSet == null || idSet.contains(a.id()))
        && (familySet == null || familySet.contains(a.family()))
        && (exceptSet == null || !exceptSet.contains(a.family()))
        && (direction == null || direction == a.outbound())
        && (engagementOnly == null || engagementOnly == a.family().engagement())
        && (promotionalOnly == null || promotionalOnly == a.promotional())
        && (priceOnlyFlag == null || priceOnlyFlag == a.priceOnly())
        && (aboutProduct == null
            || (a.product() != null && a.product().equalsIgnoreCase(aboutProduct)))
        && (heldBy == null || (a.product() != null && heldBy.holds(a.product()) == held))
        && (listedChannel == null || a.channels().contains(listedChannel))
        && (unlistedChannel == null || !a.channels().contains(unlistedChannel));
  }

  /** The idSet this target is limited to, or null: lets the engine skip every other action. */
  List<String> onlyIds() {
    return idSet == null ? null : List.copyOf(idSet);
  }
}
