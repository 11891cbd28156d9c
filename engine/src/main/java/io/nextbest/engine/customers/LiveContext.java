package io.nextbest.engine.customers;

import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProfileSource;
import io.nextbest.engine.store.StoreException;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns what a request carries — a customer id alone, an id and the live interaction, or a whole
 * context — into the context a decision is made from: the customer's stored profile (folded from
 * events, with outreach from the contact ledger) merged with the request's profile.
 *
 * <p>Merge rule: the request wins field by field at the top level of the profile; a field it
 * carries replaces the stored one whole (lists are not concatenated). The one exception is {@code
 * outreach}: the ledger's sends and the request's are united, because a fatigue cap (G9) must count
 * every send any node recorded and a request cannot make the ledger forget one. When the store
 * cannot be read the context is the request alone, marked degraded.
 */
public final class LiveContext {
  /** The profile's field names in the record's order, read once. */
  private static final List<String> FIELDS =
      java.util.Arrays.stream(CustomerProfile.class.getRecordComponents())
          .map(RecordComponent::getName)
          .toList();

  private static final Duration OUTREACH_WINDOW = Duration.ofDays(90);

  /** A context ready to decide on, and where its profile came from. */
  public record Resolved(
      CustomerContext context, ProfileSource source, int storedEvents, long version) {}

  private final ProfileCache cache;
  private final Clock clock;

  LiveContext(ProfileCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
  }

  /**
   * @param request what the caller sent; its {@code asOf} defaults to now
   * @param requestFields the names of the profile fields the request carried (empty for none)
   */
  /** Whether resolving a request for {@code customerId} reads nothing but memory. */
  boolean resolvesFromMemory(String customerId) {
    return customerId == null || customerId.isBlank() || cache.answersFromMemory(customerId);
  }

  public Resolved resolve(CustomerContext request, Set<String> requestFields) {
    return resolve(request, requestFields, ProblemContacts.BY_OUTCOME);
  }

  /**
   * As {@link #resolve(CustomerContext, Set)}, the stored interactions told apart by {@code
   * problems} (the deciding rule set's).
   */
  public Resolved resolve(
      CustomerContext request, Set<String> requestFields, ProblemContacts problems) {
    CustomerContext ctx = request.asOf() == null ? request.withAsOf(clock.instant()) : request;
    List<String> fromRequest = new ArrayList<>();
    for (String name : FIELDS) {
      if (requestFields.contains(name)) {
        fromRequest.add(name);
      }
    }
    if (ctx.customerId() == null || ctx.customerId().isBlank()) {
      // Nothing to look up; validation names the missing id.
      return new Resolved(ctx, new ProfileSource(0, List.of(), fromRequest, false, null), 0, 0);
    }
    ProfileCache.Entry entry;
    try {
      entry = cache.get(ctx.customerId());
    } catch (StoreException e) {
      return new Resolved(
          ctx,
          new ProfileSource(
              0,
              List.of(),
              fromRequest,
              true,
              "customer store unavailable, decided on the request alone: " + e.getMessage()),
          0,
          -1);
    }
    CustomerProfile stored = storedProfile(entry, ctx.asOf(), problems);
    List<String> fromStore = new ArrayList<>();
    CustomerProfile merged = merge(stored, ctx.profile(), requestFields, fromStore);
    return new Resolved(
        new CustomerContext(ctx.customerId(), ctx.asOf(), merged, ctx.interaction(), ctx.limit()),
        new ProfileSource((int) entry.state().applied(), fromStore, fromRequest, false, null),
        entry.events().size(),
        entry.version());
  }

  /**
   * The stored profile as of {@code asOf}: the folded events, with outreach taken from the ledger's
   * SENT lines.
   */
  static CustomerProfile storedProfile(
      ProfileCache.Entry entry, Instant asOf, ProblemContacts problems) {
    CustomerProfile folded = entry.state().snapshot(asOf, problems);
    Instant from = asOf.minus(OUTREACH_WINDOW);
    List<OutreachSent> outreach = new ArrayList<>();
    for (LedgerEntry line : entry.sent()) {
      if (line.channel() != null && line.at().isAfter(from) && !line.at().isAfter(asOf)) {
        outreach.add(new OutreachSent(line.at(), line.actionId(), line.channel()));
      }
    }
    return new CustomerProfile(
        folded.csat(),
        folded.ces(),
        folded.nps(),
        folded.complaints(),
        folded.failedInteractions(),
        folded.channels(),
        folded.products(),
        folded.purchases90d(),
        folded.lastPurchaseAt(),
        folded.referrals12m(),
        folded.reviews12m(),
        folded.loyalty(),
        folded.community(),
        folded.consent(),
        folded.quietHours(),
        folded.preferredChannel(),
        folded.digitalProficiency(),
        folded.annualValue(),
        folded.tenureMonths(),
        outreach);
  }

  static CustomerProfile merge(
      CustomerProfile stored,
      CustomerProfile request,
      Set<String> requestFields,
      List<String> fromStore) {
    // Field by field, in the record's order, without reflection: a field added to the profile
    // that is not merged here does not compile.
    Merge m = new Merge(requestFields, fromStore);
    CustomerProfile e = CustomerProfile.EMPTY;
    return new CustomerProfile(
        m.pick("csat", stored.csat(), request.csat(), e.csat()),
        m.pick("ces", stored.ces(), request.ces(), e.ces()),
        m.pick("nps", stored.nps(), request.nps(), e.nps()),
        m.pick("complaints", stored.complaints(), request.complaints(), e.complaints()),
        m.pick(
            "failedInteractions",
            stored.failedInteractions(),
            request.failedInteractions(),
            e.failedInteractions()),
        m.pick("channels", stored.channels(), request.channels(), e.channels()),
        m.pick("products", stored.products(), request.products(), e.products()),
        m.pick("purchases90d", stored.purchases90d(), request.purchases90d(), e.purchases90d()),
        m.pick(
            "lastPurchaseAt",
            stored.lastPurchaseAt(),
            request.lastPurchaseAt(),
            e.lastPurchaseAt()),
        m.pick("referrals12m", stored.referrals12m(), request.referrals12m(), e.referrals12m()),
        m.pick("reviews12m", stored.reviews12m(), request.reviews12m(), e.reviews12m()),
        m.pick("loyalty", stored.loyalty(), request.loyalty(), e.loyalty()),
        m.pick("community", stored.community(), request.community(), e.community()),
        m.pick("consent", stored.consent(), request.consent(), e.consent()),
        m.pick("quietHours", stored.quietHours(), request.quietHours(), e.quietHours()),
        m.pick(
            "preferredChannel",
            stored.preferredChannel(),
            request.preferredChannel(),
            e.preferredChannel()),
        m.pick(
            "digitalProficiency",
            stored.digitalProficiency(),
            request.digitalProficiency(),
            e.digitalProficiency()),
        m.pick("annualValue", stored.annualValue(), request.annualValue(), e.annualValue()),
        m.pick("tenureMonths", stored.tenureMonths(), request.tenureMonths(), e.tenureMonths()),
        m.outreach(stored.outreach(), request.outreach(), e.outreach()));
  }

  /** Which side each field comes from, noting the stored ones. */
  private record Merge(Set<String> requestFields, List<String> fromStore) {
    <T> T pick(String name, T stored, T requested, T empty) {
      if (requestFields.contains(name)) {
        return requested;
      }
      if (!Objects.equals(stored, empty)) {
        fromStore.add(name);
      }
      return stored;
    }

    /** Outreach is the union of both: the ledger's sends and the request's. */
    List<OutreachSent> outreach(
        List<OutreachSent> stored, List<OutreachSent> requested, List<OutreachSent> empty) {
      Set<OutreachSent> union = new LinkedHashSet<>(stored);
      if (requestFields.contains("outreach")) {
        union.addAll(requested);
      }
      if (!Objects.equals(stored, empty)) {
        fromStore.add("outreach");
      }
      return new ArrayList<>(union);
    }
  }
}
