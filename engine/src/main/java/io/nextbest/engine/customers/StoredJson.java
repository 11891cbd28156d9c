package io.nextbest.engine.customers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.Json;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.store.StoreException;

/**
 * How stores write events, ledger lines and audit records: the project's JSON, type ids included.
 */
public final class StoredJson {
  private static final ObjectWriter EVENT_OUT = Json.mapper().writerFor(CustomerEvent.class);
  private static final ObjectReader EVENT_IN = Json.mapper().readerFor(CustomerEvent.class);
  private static final ObjectWriter LEDGER_OUT = Json.mapper().writerFor(LedgerEntry.class);
  private static final ObjectReader LEDGER_IN = Json.mapper().readerFor(LedgerEntry.class);
  private static final ObjectWriter RECORD_OUT = Json.mapper().writerFor(DecisionRecord.class);
  private static final ObjectReader RECORD_IN = Json.mapper().readerFor(DecisionRecord.class);

  private StoredJson() {}

  public static String event(CustomerEvent e) {
    return write(EVENT_OUT, e);
  }

  public static CustomerEvent event(String json) {
    return read(EVENT_IN, json);
  }

  public static String ledger(LedgerEntry e) {
    return write(LEDGER_OUT, e);
  }

  public static LedgerEntry ledger(String json) {
    return read(LEDGER_IN, json);
  }

  public static String record(DecisionRecord r) {
    return write(RECORD_OUT, r);
  }

  /** A record as stored, with its ids. */
  public static CustomerStore.EncodedDecision encoded(DecisionRecord r) {
    return new CustomerStore.EncodedDecision(
        r.decisionId(), r.customerId(), r.decidedAt(), bytes(RECORD_OUT, r));
  }

  public static DecisionRecord record(String json) {
    return read(RECORD_IN, json);
  }

  /** A record from {@code length} bytes of UTF-8 JSON at {@code offset} of {@code json}. */
  public static DecisionRecord record(byte[] json, int offset, int length) {
    try {
      return RECORD_IN.readValue(json, offset, length);
    } catch (java.io.IOException e) {
      throw new StoreException("stored JSON cannot be read back: " + e.getMessage(), e);
    }
  }

  public static DecisionRecord record(byte[] json) {
    return record(json, 0, json.length);
  }

  /**
   * The SENT ledger line an OUTREACH_SENT event stands for (keyed by its decision when it names
   * one), else null.
   */
  public static LedgerEntry sentLine(CustomerEvent e) {
    if (e instanceof CustomerEvent.OutreachSent o) {
      String id =
          o.decisionId() == null
              ? LedgerEntry.idForEvent(o.id())
              : LedgerEntry.idFor(
                  o.decisionId(), o.actionId(), io.nextbest.engine.ledger.LedgerKind.SENT);
      return new LedgerEntry(
          id,
          o.customerId(),
          o.decisionId(),
          o.actionId(),
          io.nextbest.engine.ledger.LedgerKind.SENT,
          o.channel(),
          o.at(),
          null);
    }
    return null;
  }

  private static String write(ObjectWriter w, Object value) {
    try {
      return w.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private static byte[] bytes(ObjectWriter w, Object value) {
    try {
      return w.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(ObjectReader r, String json) {
    try {
      return r.readValue(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored JSON cannot be read back: " + e.getOriginalMessage(), e);
    }
  }
}
