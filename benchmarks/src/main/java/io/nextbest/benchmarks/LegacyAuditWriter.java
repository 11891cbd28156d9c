package io.nextbest.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.store.StoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit writer as it was before issue 16 (engine commit 085141e), kept here so {@link
 * AuditBenchmark} measures the old and the new path side by side in one run: a blocking queue the
 * deciding thread signals on every record, a batch of whatever arrived while the writer was busy
 * (often one record, one fsynced transaction), the context serialised twice (canonically for the
 * digest, again in the body). Only what the benchmark drives is kept (submit, backlog, close).
 */
public final class LegacyAuditWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyAuditWriter.class);
  private static final ObjectWriter CANONICAL =
      JsonMapper.builder()
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          .build()
          .writer();

  private record Pending(Decision decision, DecisionEngine.Inputs inputs, java.time.Instant at) {}

  private final CustomerStore store;
  private final Clock clock;
  private final int maxPending;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public LegacyAuditWriter(CustomerStore store, Clock clock, int maxPending) {
    this.store = store;
    this.clock = clock;
    this.maxPending = maxPending;
    this.thread = new Thread(this::run, "nba-audit-writer");
    thread.setDaemon(true);
    thread.start();
  }

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
    queue.add(p);
  }

  /** Records not written yet. */
  public int backlog() {
    return pending.size();
  }

  /** SHA-256 of the context as canonical JSON (properties and map keys sorted, no nulls). */
  public static String digest(CustomerContext context) {
    try {
      byte[] json = CANONICAL.writeValueAsBytes(context);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a context", e);
    }
  }

  private static DecisionRecord record(Pending p) {
    Decision d = p.decision();
    return new DecisionRecord(
        d.decisionId(),
        d.customerId(),
        p.at(),
        d.ruleSetVersion(),
        digest(p.inputs().context()),
        d,
        p.inputs());
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, 999);
        }
        store.saveDecisions(batch.stream().map(LegacyAuditWriter::record).toList());
        for (Pending p : batch) {
          pending.remove(p.decision().decisionId());
        }
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StoreException e) {
        LOG.warn(
            "cannot write {} decision records yet, retrying: {}", batch.size(), e.getMessage());
        if (!running) {
          LOG.error(
              "shutting down with {} decision records unwritten", batch.size() + queue.size());
          return;
        }
        sleep(500);
      } catch (RuntimeException e) {
        LOG.error("dropping {} decision records that cannot be written", batch.size(), e);
        batch.forEach(p -> pending.remove(p.decision().decisionId()));
        batch.clear();
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
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
