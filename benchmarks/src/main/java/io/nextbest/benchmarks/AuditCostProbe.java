package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.AuditWriter;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.store.Sqlite;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * What the decision audit trail costs per decision on the embedded store, and where it goes. The
 * README context ({@code benchmarks/load/context.json}, under {@code customers} customer ids) is
 * decided by the real engine at a fixed rate; each decision's compact answer is encoded as {@code
 * POST /v1/decisions} encodes it and handed, with the decision, to a real {@link AuditWriter} over
 * a real {@link SqliteCustomerStore} in a fresh temporary directory, as the service does. Reported
 * per round, over the measured decisions (after {@code warmup} more), until the backlog is written:
 *
 * <ul>
 *   <li>{@code writer}: CPU µs per record of the writer thread ({@code nba-audit-writer}), and of
 *       it system time (the kernel's side of SQLite's writes and fsyncs);
 *   <li>{@code wrote KB}: bytes the writer thread passed to {@code write(2)} per record ({@code
 *       wchar} in {@code /proc/self/task/<tid>/io}: the WAL's frames and the checkpoints);
 *   <li>{@code file KB}: what the database file and its WAL grew by, per record written;
 *   <li>{@code submit µs}: time the deciding thread spent handing over a record ({@code submit} and
 *       {@code answered}).
 * </ul>
 *
 * Then, on this thread, the split of one record's cost (CPU µs, over batches of as many records as
 * the writer gathers in a linger at that rate): the context's canonical JSON, its digest, the rest
 * of {@link AuditWriter#encode}; then storing it, in two stores side by side: one row of text per
 * record as the store did before audit batches (binding, {@code executeBatch}, {@code commit}), and
 * the store's own {@code saveEncodedDecisions}.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.AuditCostProbe [rate/s] [warmup] [measured] [rounds] [customers] [context.json]
 * </pre>
 */
public final class AuditCostProbe {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The answer as {@code POST /v1/decisions} writes it by default. */
  private static final ObjectWriter ANSWER =
      Json.mapper().writer().withView(io.nextbest.engine.model.Views.Compact.class);

  private AuditCostProbe() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int customers = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
    int prefill = args.length > 5 ? Integer.parseInt(args[5]) : 200_000;
    Path contextFile = Path.of(args.length > 6 ? args[6] : "benchmarks/load/context.json");

    DecisionEngine engine =
        DecisionEngine.builder().ruleSet(RuleSet.compile(RuleSetSource.bundled())).build();
    CustomerContext[] contexts = contexts(contextFile, customers);
    System.out.printf(
        "%d decisions (after %d) at %d/s per round, %d customers, %d records stored before, %d"
            + " cores, %s, load %s%n",
        measured,
        warmup,
        rate,
        customers,
        prefill,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"),
        ProcCpu.loadavg());
    System.out.printf(
        "%-5s %10s %8s %10s %9s %10s %8s%n",
        "round", "writer µs", "sys µs", "wrote KB", "file KB", "submit µs", "answer B");
    Random random = new Random(16);
    for (int round = 1; round <= rounds; round++) {
      Path dir = Files.createTempDirectory("nba-audit-probe");
      try (Sqlite db = Sqlite.open(dir);
          SqliteCustomerStore store = new SqliteCustomerStore(db);
          AuditWriter w = new AuditWriter(store, Clock.systemUTC(), 10_000_000)) {
        prefill(store::saveEncodedDecisions, engine, prefill, customers, random);
        long before = size(dir);
        long tid = writerThread();
        Path io = taskIo();
        drive(engine, contexts, random, w, warmup, rate, null);
        long cpu0 = THREADS.getThreadCpuTime(tid);
        long user0 = THREADS.getThreadUserTime(tid);
        long wchar0 = wchar(io);
        long[] out = new long[2];
        drive(engine, contexts, random, w, measured, rate, out);
        long cpu = THREADS.getThreadCpuTime(tid) - cpu0;
        long user = THREADS.getThreadUserTime(tid) - user0;
        long wrote = wchar(io) - wchar0;
        long fileBytes = size(dir);
        System.out.printf(
            "%-5d %10.1f %8.1f %10.2f %9.2f %10.2f %8d%n",
            round,
            cpu / 1e3 / measured,
            (cpu - user) / 1e3 / measured,
            wrote / 1024.0 / measured,
            (fileBytes - before) / 1024.0 / (warmup + measured),
            out[0] / 1e3 / measured,
            out[1] / measured);
        check(store, engine, contexts[0], w);
        System.out.printf("      (load %s)%n", ProcCpu.loadavg());
      } finally {
        delete(dir);
      }
    }
    // The split's batches: what the writer gathers in its linger at this rate.
    split(
        engine, contexts, (int) Math.max(1, rate * AuditWriter.LINGER_MS / 1000), prefill, random);
  }

  /** The context file under {@code n} customer ids, "c-0" … */
  private static CustomerContext[] contexts(Path file, int n) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(file.toFile());
    CustomerContext[] out = new CustomerContext[n];
    for (int i = 0; i < n; i++) {
      tree.put("customerId", "c-" + i);
      out[i] = Json.mapper().treeToValue(tree, CustomerContext.class);
    }
    return out;
  }

  /**
   * Decides {@code count} contexts at {@code rate}, handing each to the writer with its answer as
   * the handler does; then waits until the writer has written them.
   */
  private static void drive(
      DecisionEngine engine,
      CustomerContext[] contexts,
      Random random,
      AuditWriter w,
      int count,
      int rate,
      long[] out)
      throws IOException {
    int perTick = Math.max(1, rate / 1000);
    long next = System.nanoTime();
    long handing = 0;
    long answerBytes = 0;
    for (int i = 0; i < count; ) {
      for (int k = 0; k < perTick && i < count; k++, i++) {
        CustomerContext c = contexts[random.nextInt(contexts.length)];
        DecisionEngine.Decided d = engine.decide(c, engine.newDecisionId(), false);
        byte[] answer = ANSWER.writeValueAsBytes(d.decision());
        answerBytes += answer.length;
        long t0 = System.nanoTime();
        w.submit(d.decision(), d.inputs());
        w.answered(d.decision().decisionId(), answer);
        handing += System.nanoTime() - t0;
      }
      next += 1_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    while (w.backlog() > 0) {
      LockSupport.parkNanos(1_000_000L);
    }
    if (out != null) {
      out[0] = handing;
      out[1] = answerBytes;
    }
  }

  /**
   * A record written by this writer reads back by its id and by its customer, equal to the record
   * served while it was pending.
   */
  private static void check(
      CustomerStore store, DecisionEngine engine, CustomerContext any, AuditWriter w) {
    CustomerContext c =
        new CustomerContext("checked", any.asOf(), any.profile(), any.interaction(), any.limit());
    DecisionEngine.Decided d = engine.decide(c, engine.newDecisionId(), false);
    w.submit(d.decision(), d.inputs());
    var pending = w.pending(d.decision().decisionId()).orElseThrow();
    while (w.backlog() > 0) {
      LockSupport.parkNanos(1_000_000L);
    }
    var stored = store.decision(d.decision().decisionId()).orElseThrow();
    boolean byCustomer =
        store.decisions(c.customerId()).stream()
            .anyMatch(r -> r.decisionId().equals(d.decision().decisionId()));
    if (!stored.equals(pending) || !byCustomer) {
      throw new IllegalStateException("a record did not read back as it was pending");
    }
  }

  /**
   * One record's cost by step, on this thread, in batches of {@code batch}: encoding it, then
   * storing it in each of two stores side by side, each with {@code prefill} records before: {@code
   * rows}, the layout before audit batches (one row of JSON text per record in {@code
   * decision_audit}, as the store wrote it: bound as a string, then {@code executeBatch} and {@code
   * commit}); {@code store}, what {@link SqliteCustomerStore#saveEncodedDecisions} does now.
   */
  private static void split(
      DecisionEngine engine, CustomerContext[] contexts, int batch, int prefill, Random random)
      throws Exception {
    int n = 6_000;
    // A warm-up pass, then the measured one, each of records of its own (the store ignores an id
    // it has).
    List<DecisionEngine.Decided> decided = new ArrayList<>(2 * n);
    List<byte[]> answers = new ArrayList<>(2 * n);
    for (int i = 0; i < 2 * n; i++) {
      DecisionEngine.Decided d =
          engine.decide(contexts[random.nextInt(contexts.length)], engine.newDecisionId(), false);
      decided.add(d);
      answers.add(ANSWER.writeValueAsBytes(d.decision()));
    }
    Instant at = Instant.now();
    double[] us = new double[7];
    Path rowsDir = Files.createTempDirectory("nba-audit-split-rows");
    Path storeDir = Files.createTempDirectory("nba-audit-split-store");
    try (Sqlite rowsDb = Sqlite.open(rowsDir);
        SqliteCustomerStore rowsSchema = new SqliteCustomerStore(rowsDb);
        Sqlite db = Sqlite.open(storeDir);
        SqliteCustomerStore store = new SqliteCustomerStore(db)) {
      prefill(list -> rows(rowsDb, list, new long[3]), engine, prefill, contexts.length, random);
      prefill(store::saveEncodedDecisions, engine, prefill, contexts.length, random);
      for (int pass = 0; pass < 2; pass++) {
        long[] t = new long[7];
        for (int from = pass * n; from < (pass + 1) * n; from += batch) {
          List<CustomerStore.EncodedDecision> encoded = new ArrayList<>(batch);
          for (int i = from; i < Math.min((pass + 1) * n, from + batch); i++) {
            DecisionEngine.Decided d = decided.get(i);
            long t0 = THREADS.getCurrentThreadCpuTime();
            byte[] canonical = AuditWriter.canonical(d.inputs().context());
            long t1 = THREADS.getCurrentThreadCpuTime();
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
            long t2 = THREADS.getCurrentThreadCpuTime();
            encoded.add(AuditWriter.encode(d.decision(), d.inputs(), at, answers.get(i)));
            long t3 = THREADS.getCurrentThreadCpuTime();
            t[0] += t1 - t0;
            t[1] += t2 - t1;
            t[2] += t3 - t2;
          }
          long[] steps = new long[3];
          rows(rowsDb, encoded, steps);
          t[3] += steps[0];
          t[4] += steps[1];
          t[5] += steps[2];
          long t0 = THREADS.getCurrentThreadCpuTime();
          store.saveEncodedDecisions(encoded);
          t[6] += THREADS.getCurrentThreadCpuTime() - t0;
        }
        for (int k = 0; k < t.length; k++) {
          us[k] = t[k] / 1e3 / n;
        }
      }
    } finally {
      delete(rowsDir);
      delete(storeDir);
    }
    System.out.printf(
        "split (CPU µs per record, %d records in batches of %d, on this thread):%n"
            + "  encode: canonical context %.1f, digest %.1f, the rest %.1f%n"
            + "  rows (the layout before): bind as text %.1f, executeBatch %.1f, commit %.1f;"
            + " all %.1f%n"
            + "  store now (saveEncodedDecisions): %.1f%n",
        n,
        batch,
        us[0],
        us[1],
        us[2] - us[0] - us[1],
        us[3],
        us[4],
        us[5],
        us[3] + us[4] + us[5],
        us[6]);
  }

  /**
   * Writes records as the store did before audit batches (one row of text each), adding the CPU ns
   * of binding, {@code executeBatch} and {@code commit} to {@code steps}.
   */
  private static void rows(Sqlite db, List<CustomerStore.EncodedDecision> records, long[] steps) {
    long[] inTx = new long[2];
    long t0 = THREADS.getCurrentThreadCpuTime();
    db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO decision_audit (decision_id, customer_id, decided_at, body) VALUES (?,?,?,?)")) {
            for (CustomerStore.EncodedDecision r : records) {
              ps.setString(1, r.decisionId());
              ps.setString(2, r.customerId());
              ps.setLong(3, r.decidedAt().toEpochMilli());
              ps.setString(4, new String(r.json(), java.nio.charset.StandardCharsets.UTF_8));
              ps.addBatch();
            }
            inTx[0] = THREADS.getCurrentThreadCpuTime();
            ps.executeBatch();
            inTx[1] = THREADS.getCurrentThreadCpuTime();
          }
          return null;
        });
    long t3 = THREADS.getCurrentThreadCpuTime();
    steps[0] += inTx[0] - t0;
    steps[1] += inTx[1] - inTx[0];
    steps[2] += t3 - inTx[1];
  }

  /**
   * {@code n} small records under the engine's ids (made now, dated a day ago) about the probe's
   * customers, written straight to the store, so the measured ones go into indexes of a store in
   * use rather than an empty one (their bodies are never read).
   */
  private static void prefill(
      java.util.function.Consumer<List<CustomerStore.EncodedDecision>> store,
      DecisionEngine engine,
      int n,
      int customers,
      Random random) {
    Instant at = Instant.now().minusSeconds(86_400);
    List<CustomerStore.EncodedDecision> batch = new ArrayList<>(1000);
    for (int i = 0; i < n; i++) {
      String id = engine.newDecisionId();
      batch.add(
          new CustomerStore.EncodedDecision(
              id, "c-" + random.nextInt(customers), at.plusMillis(i), EMPTY));
      if (batch.size() == 1000 || i == n - 1) {
        store.accept(batch);
        batch.clear();
      }
    }
  }

  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.US_ASCII);

  private static long writerThread() {
    for (int attempt = 0; attempt < 100; attempt++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("nba-audit-writer") && t.isAlive()) {
          return t.getId();
        }
      }
      LockSupport.parkNanos(10_000_000L);
    }
    throw new IllegalStateException("no audit writer thread");
  }

  /** The writer's {@code /proc} task (Linux names it by its first 15 characters), or null. */
  private static Path taskIo() throws IOException {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return null;
    }
    Path found = null;
    try (var all = Files.list(tasks)) {
      for (Path t : all.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).strip().equals("nba-audit-write")) {
            found = t.resolve("io");
          }
        } catch (IOException gone) {
          // a task that ended meanwhile
        }
      }
    }
    return found;
  }

  private static long wchar(Path io) {
    if (io == null) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(io, StandardCharsets.US_ASCII)) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).strip());
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
