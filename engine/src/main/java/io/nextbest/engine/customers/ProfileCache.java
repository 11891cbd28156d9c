package io.nextbest.engine.customers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.ledger.LedgerEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Hot customers' folded histories, so a decision does not read the store every time.
 *
 * <p>Never staler than the last acknowledged write on this node: every write through {@link
 * CustomerService} invalidates the customer before it is acknowledged, and a load in flight
 * finishes before the invalidation does (Caffeine computes a key under its map's lock), so a load
 * that read the old state cannot be left behind. When the store is shared by several nodes ({@code
 * shared}), each read also asks the store for the customer's version and brings the entry up to
 * date when another node wrote since (reading only the events it lacks): a decision then sees every
 * event acknowledged by any node before it started.
 */
final class ProfileCache {
  /** One customer's history as far as the store had it at {@code version}. Immutable once built. */
  record Entry(
      String customerId,
      List<CustomerEvent> events,
      ProfileState state,
      List<LedgerEntry> sent,
      long version) {
    boolean empty() {
      return events.isEmpty() && sent.isEmpty();
    }
  }

  private final CustomerStore store;
  private final boolean shared;
  private final Cache<String, Entry> cache;

  ProfileCache(CustomerStore store, boolean shared, long maximumSize) {
    this.store = store;
    this.shared = shared;
    this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
  }

  Entry get(String customerId) {
    if (!shared) {
      return cache.get(customerId, id -> load(id, null));
    }
    long version = store.version(customerId);
    Entry cached = cache.getIfPresent(customerId);
    if (cached != null && cached.version() >= version) {
      return cached;
    }
    return cache
        .asMap()
        .compute(
            customerId, (id, old) -> old != null && old.version() >= version ? old : load(id, old));
  }

  /**
   * Whether {@link #get} would answer from memory without asking the store: the store is this
   * node's own and the customer's history is cached.
   */
  boolean answersFromMemory(String customerId) {
    return !shared && cache.getIfPresent(customerId) != null;
  }

  void invalidate(String customerId) {
    cache.invalidate(customerId);
  }

  /** Builds the entry, reusing {@code old}'s events and reading only the ones stored after them. */
  private Entry load(String customerId, Entry old) {
    int have = old == null ? 0 : old.events().size();
    CustomerStore.History h = store.history(customerId, have);
    List<CustomerEvent> events;
    if (old != null && h.totalEvents() == have + h.events().size()) {
      events = new ArrayList<>(have + h.events().size());
      events.addAll(old.events());
      events.addAll(h.events());
    } else if (old == null) {
      events = h.events();
    } else {
      // The store holds other events than we built on (it was emptied or restored): start afresh.
      return load(customerId, null);
    }
    ProfileState state = new ProfileState(customerId);
    for (CustomerEvent e : events) {
      state.apply(e);
    }
    return new Entry(customerId, List.copyOf(events), state, h.sent(), h.version());
  }
}
