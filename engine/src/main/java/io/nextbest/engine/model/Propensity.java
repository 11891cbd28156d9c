package io.nextbest.engine.model;

/**
 * The estimated chance the customer takes an action, and where it came from.
 *
 * <p>{@code source} is {@code prior} (the catalogue's prior, nothing learned, nothing drawn),
 * {@code learned} (the posterior mean of recorded outcomes) or {@code sampled} (a seeded draw from
 * the posterior, explored); a draw is never labelled the prior. The other fields, present when the
 * estimate came from a learning model, say what it was computed from so it can be re-derived:
 *
 * @param outcomes the outcomes at {@code level}
 * @param level {@code treatment} (this action on this channel), {@code action} (the action on every
 *     channel: the treatment has none yet) or {@code catalogue} (neither has any)
 * @param segment the segment the outcomes were learned in (a {@link
 *     io.nextbest.engine.Segmentation#label label}: {@code Q2}, {@code *} for every customer,
 *     {@code Q2/loyaltyTier=GOLD}); feedback on the decision is counted there
 * @param successes customers who took it, at {@code level}
 * @param failures customers who did not, at {@code level}
 * @param mean the posterior mean
 * @param exploration how far the draw could stray from the mean (0: it is the mean)
 * @param draw the draw from the posterior before it was scaled by {@code exploration}
 * @param seed the draw's seed (hex), derived from the customer, the situation and the counts read
 */
public record Propensity(
    double value,
    String source,
    long outcomes,
    @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class) String level,
    String segment,
    Double prior,
    @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class) Long successes,
    @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class) Long failures,
    Double mean,
    @com.fasterxml.jackson.annotation.JsonView(Views.Verbose.class) Double exploration,
    Double draw,
    String seed) {

  public Propensity(double value, String source, long outcomes) {
    this(value, source, outcomes, null, null, null, null, null, null, null, null, null);
  }

  public static Propensity prior(double value) {
    return new Propensity(value, "prior", 0);
  }
}
