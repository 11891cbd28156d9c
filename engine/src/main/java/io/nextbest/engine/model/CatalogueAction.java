package io.nextbest.engine.model;

import java.util.List;

/**
 * One entry of the action catalogue.
 *
 * @param id stable identifier, used in feedback and audit
 * @param channels channels it can be delivered on, in order of preference
 * @param baseValue business value of the customer taking it, in the catalogue's unit
 * @param propensity prior probability the customer takes it, before any outcome is learned
 * @param outbound true when it is proactive outreach sent later; false when the agent offers it in
 *     the live conversation
 * @param promotional true when it sells or promotes (held back while experience is broken, G3/G17)
 * @param priceOnly true when the only appeal is price (never for transactional customers, G6)
 * @param product the product it promotes or concerns, if any (G17)
 * @param requiresHuman true when only a person with authority can deliver it (G11)
 */
public record CatalogueAction(
    String id,
    String title,
    ActionFamily family,
    List<Channel> channels,
    double baseValue,
    double propensity,
    boolean outbound,
    boolean promotional,
    boolean priceOnly,
    String product,
    boolean requiresHuman,
    String scriptHint) {

  public CatalogueAction {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("catalogue action needs an id");
    }
    if (id.indexOf('|') >= 0) {
      // Learned counts are stored under "segment|action|channel".
      throw new IllegalArgumentException(
          "catalogue action " + id + ": the id must not contain '|'");
    }
    if (family == null) {
      throw new IllegalArgumentException("catalogue action " + id + " needs a family");
    }
    if (channels == null || channels.isEmpty()) {
      throw new IllegalArgumentException("catalogue action " + id + " needs at least one channel");
    }
    if (propensity <= 0 || propensity >= 1) {
      throw new IllegalArgumentException(
          "catalogue action " + id + ": propensity must be in (0, 1), was " + propensity);
    }
    if (baseValue <= 0) {
      throw new IllegalArgumentException(
          "catalogue action " + id + ": baseValue must be positive, was " + baseValue);
    }
    channels = List.copyOf(channels);
  }
}
