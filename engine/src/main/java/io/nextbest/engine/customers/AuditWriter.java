package io.nextbest.engine.customers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the decision audit trail behind the decisions: a decision is answered at once and its
 * record (inputs digest, rule-set version, outputs) is written in batches by one thread, so no
 * decision waits for a disk or network write. A record keeps the decision's inputs (the resolved
 * context and the propensities used) so it can be replayed. Until written, a record is served from
 * memory.
 *
 * <p>The deciding thread only hands over references it already holds (the decision and its inputs):
 * no encoding, no digest, no wake-up of the writer. The writer wakes every {@link #LINGER_MS} ms
 * ({@link #SHARED_LINGER_MS} on a store several nodes share), encodes what arrived (the context's
 * canonical JSON once, for both its digest and the record's body; the record as UTF-8 bytes, never
 * a Java string) and writes it in one transaction (one fsync) of up to {@link #MAX_BATCH} records
 * (the embedded store keeps them compressed together, see {@link
 * SqliteCustomerStore#saveEncodedDecisions}). What is lost if the process is killed: the records of
 * the last {@code LINGER_MS} ms of decisions plus the batch being written (never an acknowledged
 * event). While the store is down records wait in memory, up to {@code maxPending}; beyond it they
 * are dropped with an error in the log.
 */
public final class AuditWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

  /**
   * How long the writer lets records gather before it writes them. Each write is one fsynced
   * commit, whatever it holds: at 3,000 decisions/s, 50 ms instead of 10 took the writer from ≈
   * 56–69 to ≈ 46–48 µs of CPU per record (AuditCostProbe, docs/benchmarks.md), for a loss window
   * on kill -9 of 50 ms of decisions' records instead of 10.
   */
  public static final long LINGER_MS = 50;

  /**
   * The linger when the store is shared by several nodes (Redis): a decision made on one node is
   * read by another (feedback, a replay) from the store, so its record should be there soon; the
   * writing node serves its own records from memory until then whatever the linger.
   */
  public static final long SHARED_LINGER_MS = 10;

  /** At most this many records are written in one transaction. */
  static final int MAX_BATCH = 2_000;

  private static final ObjectWriter CANONICAL =
      JsonMapper.builder()
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          .build()
          .writer();

  /**
   * A decision as the agent's answer has it (the compact view): the evidence values are not kept, a
   * replay from the recorded inputs gives them back.
   */
  private static final ObjectWriter DECISION =
      Json.mapper()
          .writerFor(Decision.class)
          .withView(io.nextbest.engine.model.Views.Compact.class);

  /** A record not written yet; {@code answer}: the decision's JSON, when its caller wrote it. */
  private static final class Pending {
    final Decision decision;
    final DecisionEngine.Inputs inputs;
    final Instant at;
    volatile byte[] answer;

    Pending(Decision decision, DecisionEngine.Inputs inputs, Instant at) {
      this.decision = decision;
      this.inputs = inputs;
      this.at = at;
    }

    Decision decision() {
      return decision;
    }

    DecisionEngine.Inputs inputs() {
      return inputs;
    }

    Instant at() {
      return at;
    }
  }

  private final CustomerStore store;
  private final Clock clock;
  private final int maxPending;
  private final long lingerMs;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /** Starts the writer thread ({@code nba-audit-writer}); the service owns one. */
  public AuditWriter(CustomerStore store, Clock clock, int maxPending) {
    this(store, clock, maxPending, LINGER_MS);
  }

  /** As above, records gathering for {@code lingerMs} before each write. */
  public AuditWriter(CustomerStore store, Clock clock, int maxPending, long lingerMs) {
    this.store = store;
    this.clock = clock;
    this.maxPending = maxPending;
    this.lingerMs = lingerMs;
    this.thread = new Thread(this::run, "nba-audit-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a decision's record; never blocks, never encodes. */
  public void submit(Decision decision, DecisionEngine.Inputs inputs) {
    if (pending.size() >= maxPending) {
      if (dropped.incrementAndGet() % 1000 == 1) {
        LOG.error(
            "audit trail backlog full ({} records): dropping decision records, {} so far",
            maxPending,
            dropped.get());
      }
      return;
    }
    Pending p = new Pending(decision, inputs, clock.instant());
    pending.put(decision.decisionId(), p);
    queue.offer(p);
  }

  /**
   * The bytes a caller answered with for a decision submitted a moment ago: what {@link
   * Json#mapper()} writes for that {@link Decision} in the compact view (or all of it, when the
   * caller asked for the verbose answer). The writer then stores them as the record's decision
   * instead of encoding the decision again; a decision whose answer does not arrive (or arrives
   * after the record was written) is encoded by the writer, so the record is the same either way.
   */
  public void answered(String decisionId, byte[] json) {
    Pending p = pending.get(decisionId);
    if (p != null) {
      p.answer = json;
    }
  }

  /** Records dropped because the backlog was full, since start. */
  public long dropped() {
    return dropped.get();
  }

  /** Records not written yet. */
  public int backlog() {
    return pending.size();
  }

  /**
   * Waits until no record about {@code customerId} is left unwritten (before an erasure, so none is
   * written after it).
   *
   * @throws StoreException when they are not written within ten seconds (the store is down)
   */
  void flush(String customerId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pending.values().stream().anyMatch(p -> customerId.equals(p.decision().customerId()))) {
      if (System.nanoTime() > deadline) {
        throw new StoreException(
            "decision records about the customer are still waiting to be written; try again once the store answers");
      }
      sleep(5);
    }
  }

  /**
   * A record not written yet, if it is one, as it will be stored: encoded the way the writer
   * encodes it (the caller's answer bytes, or the compact view) and read back, so reading it before
   * or after the write gives the same record.
   */
  public Optional<DecisionRecord> pending(String decisionId) {
    Pending p = pending.get(decisionId);
    return p == null
        ? Optional.empty()
        : Optional.of(StoredJson.record(encode(p.decision, p.inputs, p.at, p.answer).json()));
  }

  /** SHA-256 of the context as canonical JSON (properties and map keys sorted, no nulls). */
  static String digest(CustomerContext context) {
    return digest(canonical(context));
  }

  /**
   * The canonical JSON of a context, whose digest a record keeps (properties and map keys sorted,
   * no nulls, ISO-8601 instants): the same bytes for equal contexts.
   */
  public static byte[] canonical(CustomerContext context) {
    try {
      return CANONICAL.writeValueAsBytes(context);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot digest a context", e);
    }
  }

  private static String digest(byte[] json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  /**
   * The stored form of a record: the context encoded once, for its digest and for the body; the
   * decision as {@code answer} (its JSON, as {@link #answered} takes it) when given, else encoded.
   */
  public static CustomerStore.EncodedDecision encode(
      Decision d, DecisionEngine.Inputs in, Instant at, byte[] answer) {
    byte[] context = canonical(in.context());
    byte[] decision = answer != null ? answer : encodeDecision(d);
    // A DecisionRecord as the project's JSON writes it, put together from the bytes already
    // written (the answer, the canonical context) rather than copied through a generator, into one
    // array of the record's exact size: the answer is copied once.
    byte[][] parts;
    try {
      parts =
          new byte[][] {
            DECISION_ID, json(d.decisionId()),
            CUSTOMER_ID, json(d.customerId()),
            DECIDED_AT, json(at),
            RULE_SET_VERSION, json(d.ruleSetVersion()),
            INPUTS_DIGEST, json(digest(context)),
            DECISION_NAME, decision,
            INPUTS_CONTEXT, context,
            DEGRADED, json(in.degraded()),
            PROPENSITIES_NAME, PROPENSITIES.bytes(in.propensities()),
            CLOSE
          };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode decision record " + d.decisionId(), e);
    }
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] record = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, record, offset, part.length);
      offset += part.length;
    }
    // The stores write these bytes as they are: no Java string is made of them.
    return new CustomerStore.EncodedDecision(d.decisionId(), d.customerId(), at, record);
  }

  private static final byte[] DECISION_ID = ascii("{\"decisionId\":");
  private static final byte[] CUSTOMER_ID = ascii(",\"customerId\":");
  private static final byte[] DECIDED_AT = ascii(",\"decidedAt\":");
  private static final byte[] RULE_SET_VERSION = ascii(",\"ruleSetVersion\":");
  private static final byte[] INPUTS_DIGEST = ascii(",\"inputsDigest\":");
  private static final byte[] DECISION_NAME = ascii(",\"decision\":");
  private static final byte[] INPUTS_CONTEXT = ascii(",\"inputs\":{\"context\":");
  private static final byte[] DEGRADED = ascii(",\"degraded\":");
  private static final byte[] PROPENSITIES_NAME = ascii(",\"propensities\":");
  private static final byte[] CLOSE = ascii("}}");

  /** {@code value} as the project's JSON writes it. */
  private static byte[] json(Object value) throws JsonProcessingException {
    return Json.mapper().writeValueAsBytes(value);
  }

  /**
   * The propensities' JSON, kept for the last map written: between two outcomes every decision in a
   * segment reads the same learning state, and encoding its two dozen entries was a quarter of the
   * writer's work. Equal maps give equal JSON.
   */
  private static final LastEncoded PROPENSITIES = new LastEncoded();

  private static final class LastEncoded {
    private record Encoded(Object value, byte[] json) {}

    private volatile Encoded last;

    byte[] bytes(Object value) throws JsonProcessingException {
      Encoded e = last;
      if (e != null && e.value().equals(value)) {
        return e.json();
      }
      byte[] json = Json.mapper().writeValueAsBytes(value);
      last = new Encoded(value, json);
      return json;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] encodeDecision(Decision d) {
    try {
      return DECISION.writeValueAsBytes(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode decision " + d.decisionId(), e);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    List<CustomerStore.EncodedDecision> encoded = new ArrayList<>();
    long linger = TimeUnit.MILLISECONDS.toNanos(lingerMs);
    while (true) {
      boolean stopping = !running;
      try {
        if (batch.isEmpty()) {
          if (!stopping) {
            // No hand-over from the deciding threads: records gather for a linger, then go in one
            // transaction.
            LockSupport.parkNanos(linger);
          }
          Pending p;
          while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
            batch.add(p);
          }
          if (batch.isEmpty()) {
            if (stopping) {
              return;
            }
            continue;
          }
          encoded.clear();
          for (Pending q : batch) {
            encoded.add(encode(q.decision(), q.inputs(), q.at(), q.answer));
          }
        }
        store.saveEncodedDecisions(encoded);
        for (Pending q : batch) {
          pending.remove(q.decision().decisionId());
        }
        batch.clear();
        encoded.clear();
      } catch (StoreException e) {
        LOG.warn(
            "cannot write {} decision records yet, retrying: {}", batch.size(), e.getMessage());
        if (stopping) {
          LOG.error(
              "shutting down with {} decision records unwritten", batch.size() + queue.size());
          return;
        }
        sleep(500);
      } catch (RuntimeException e) {
        LOG.error("dropping {} decision records that cannot be written", batch.size(), e);
        batch.forEach(q -> pending.remove(q.decision().decisionId()));
        batch.clear();
        encoded.clear();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
