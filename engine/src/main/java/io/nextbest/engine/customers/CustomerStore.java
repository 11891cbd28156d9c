package io.nextbest.engine.customers;

import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where customer state lives: events, the contact ledger, the decision audit trail and learned
 * propensity counts. The embedded implementation keeps it in the process's SQLite file; the Redis
 * one shares it between API nodes. Every method throws {@link StoreException} when the store cannot
 * be reached or fails; nothing is then half-done for any one event or ledger line.
 */
public interface CustomerStore extends AutoCloseable {
  /** What {@link #append} did with one event. */
  enum Appended {
    STORED,
    /** The customer has an event under this id already, equal to this one: nothing changed. */
    DUPLICATE,
    /** The customer has a different event under this id: nothing changed, the stored one stays. */
    CONFLICT
  }

  /**
   * Appends already validated events, each on its own all or nothing. Event ids are unique per
   * customer (two customers may use the same id): an event whose id the customer has already is a
   * duplicate when it is equal to the stored one and a conflict otherwise, and changes nothing
   * either way. An OUTREACH_SENT event also becomes a SENT ledger line in the same step. When this
   * returns, every STORED event is durable.
   *
   * @return one result per event, in order
   */
  List<Appended> append(List<CustomerEvent> events);

  /**
   * A customer's stored events from the {@code fromEvent}-th on (in the order they were stored),
   * with every SENT ledger line and the customer's version, read consistently.
   */
  History history(String customerId, int fromEvent);

  /** A number that grows with every event or ledger line stored for the customer (0 for none). */
  long version(String customerId);

  /**
   * Records a ledger line once (by its id); when {@code learn} is set, no outcome of this
   * decision's action was counted yet and fewer than {@code perCustomerCap} of the customer's
   * outcomes counted towards {@code key}, counts it towards the propensity for {@code key} and, for
   * a treatment, for its action on every channel, all in one step.
   */
  Recorded record(LedgerEntry entry, OutcomeKey key, Boolean learn, int perCustomerCap);

  /** {@link #record(LedgerEntry, OutcomeKey, Boolean, int)} with no per-customer cap. */
  default Recorded record(LedgerEntry entry, OutcomeKey key, Boolean learn) {
    return record(entry, key, learn, Integer.MAX_VALUE);
  }

  /** Every ledger line of a customer, oldest first. */
  List<LedgerEntry> ledger(String customerId);

  /**
   * Up to {@code limit} ids of customers with at least one stored event that start with {@code
   * prefix} (empty: any), ascending by code point (the order of their UTF-8 bytes, which both
   * stores sort by), so an agent's typeahead reads the same whichever store is behind it.
   */
  List<String> customerIds(String prefix, int limit);

  /**
   * The least string above every string that starts with {@code prefix}, in code point order: the
   * prefix with its last code point raised by one (trailing U+10FFFF dropped first), so a store can
   * answer a prefix as the index range [prefix, end). Null when no such string exists (an empty
   * prefix, or one of U+10FFFF only): the range is then open above.
   */
  static String prefixEnd(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int last = prefix.codePointBefore(end);
      int start = end - Character.charCount(last);
      if (last < Character.MAX_CODE_POINT) {
        // The surrogate block holds no characters of its own: the code point after U+D7FF is
        // U+E000.
        int next = last == 0xD7FF ? 0xE000 : last + 1;
        return prefix.substring(0, start) + new String(Character.toChars(next));
      }
      end = start;
    }
    return null;
  }

  /**
   * Removes everything stored about a customer: events, ledger lines and audit records of decisions
   * about them (a data-protection erasure). Learned propensity counts are aggregates over all
   * customers and stay. The customer's version still grows, so caches on other nodes drop what they
   * hold.
   */
  Erased erase(String customerId);

  /** The audit records of decisions about a customer, oldest first. */
  List<DecisionRecord> decisions(String customerId);

  /** Adds decisions to the audit trail (ids are unique; one call is one write). */
  default void saveDecisions(List<DecisionRecord> records) {
    saveEncodedDecisions(records.stream().map(StoredJson::encoded).toList());
  }

  /**
   * An audit record as it is stored: its ids, when it was decided (what {@link #decisionsBetween}
   * finds it by) and its body, the JSON {@link StoredJson#record(String)} reads back, as UTF-8
   * bytes (encoded off the deciding thread, by the audit writer; stores write the bytes as they
   * are, without making a Java string of them).
   */
  record EncodedDecision(
      String decisionId, String customerId, java.time.Instant decidedAt, byte[] json) {}

  /**
   * The audit records decided in [{@code from}, {@code to}): the latest {@code limit} of them,
   * oldest first (records written before the audit trail was indexed by time are found only in the
   * embedded store, which indexed them when it gained the index).
   *
   * @param limit at most this many; one more is asked for when the caller wants to know whether the
   *     window held more
   */
  List<DecisionRecord> decisionsBetween(java.time.Instant from, java.time.Instant to, int limit);

  /** As {@link #saveDecisions}, of records already encoded (one call is one write). */
  void saveEncodedDecisions(List<EncodedDecision> records);

  Optional<DecisionRecord> decision(String decisionId);

  /** Every learned count. */
  Map<OutcomeKey, Counts> propensityCounts();

  /** Whether the store answers now (for health checks). */
  boolean reachable();

  @Override
  void close();

  /**
   * @param events the events stored from the requested offset on
   * @param totalEvents how many events are stored for the customer in all
   * @param sent every SENT ledger line of the customer
   */
  record History(
      String customerId,
      List<CustomerEvent> events,
      int totalEvents,
      List<LedgerEntry> sent,
      long version) {
    public History {
      events = List.copyOf(events);
      sent = List.copyOf(sent);
    }
  }

  /** How much an {@link #erase} removed. */
  record Erased(String customerId, int events, int ledgerLines, int decisions) {}

  /**
   * @param added whether the line is new (false: it was recorded before, nothing changed)
   * @param learned whether it counted towards a propensity
   */
  record Recorded(boolean added, boolean learned) {}
}
