package io.nextbest.engine.customers;

import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProfileSource;
import io.nextbest.engine.store.StoreException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
  private static final RecordComponent[] COMPONENTS = CustomerProfile.class.getRecordComponents();
  private static final Method[] ACCESSORS = new Method[COMPONENTS.length];
  private static final Object[] EMPTY = new Object[COMPONENTS.length];
  private static final Constructor<CustomerProfile> CANONICAL;
  private static final Duration OUTREACH_WINDOW = Duration.ofDays(90);

  static {
    Class<?>[] types = new Class<?>[COMPONENTS.length];
    for (int i = 0; i < COMPONENTS.length; i++) {
      ACCESSORS[i] = COMPONENTS[i].getAccessor();
      types[i] = COMPONENTS[i].getType();
      EMPTY[i] = get(CustomerProfile.EMPTY, i);
    }
    try {
      CANONICAL = CustomerProfile.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
    for (RecordComponent c : COMPONENTS) {
      if (requestFields.contains(c.getName())) {
        fromRequest.add(c.getName());
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
    Object[] args = new Object[COMPONENTS.length];
    for (int i = 0; i < COMPONENTS.length; i++) {
      String name = COMPONENTS[i].getName();
      Object s = get(stored, i);
      boolean storedHasIt = !Objects.equals(s, EMPTY[i]);
      if ("outreach".equals(name)) {
        Set<OutreachSent> union = new LinkedHashSet<>(stored.outreach());
        if (requestFields.contains(name)) {
          union.addAll(request.outreach());
        }
        args[i] = new ArrayList<>(union);
        if (storedHasIt) {
          fromStore.add(name);
        }
      } else if (requestFields.contains(name)) {
        args[i] = get(request, i);
      } else {
        args[i] = s;
        if (storedHasIt) {
          fromStore.add(name);
        }
      }
    }
    try {
      return CANONICAL.newInstance(args);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private static Object get(CustomerProfile p, int i) {
    try {
      return ACCESSORS[i].invoke(p);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }
}
