package io.nextbest.benchmarks;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.AuditWriter;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.customers.StoredJson;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.store.Sqlite;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit trail's cost per decision, old writer ({@link LegacyAuditWriter}) against the new one
 * ({@link AuditWriter}) side by side in one run, on a real store: decisions of the benchmark corpus
 * (made once by the engine, then copied under fresh ids) are submitted at a fixed rate, as the
 * service's request threads do. Paths: {@code old}; {@code new} (the writer encodes the decision);
 * {@code answer} (new, and the deciding thread hands over the answer's bytes it sent, as the API
 * does, so the writer does not encode the decision again). The figures are
 *
 * <ul>
 *   <li>{@code submit}: µs per decision spent inside {@code submit} on the deciding thread (a call
 *       that neither sleeps nor waits for the store, so its wall time is its CPU time);
 *   <li>{@code writer}: CPU µs per decision of the writer thread ({@code nba-audit-writer}:
 *       encoding, digest, JDBC or Redis, fsync), from the first submit until the backlog is
 *       written;
 *   <li>{@code gc}: milliseconds of collection during the window, all threads;
 *   <li>{@code encode}: in a loop on one thread, µs to make one record's stored form.
 * </ul>
 *
 * Each path is warmed by a third of {@code count} first. It then checks that the new writer's
 * records read back equal to the old writer's (decision, inputs, digest).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.AuditBenchmark [rate/s] [count] [rounds] [sqlite | redis URL]
 * </pre>
 */
public final class AuditBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private interface Writer extends AutoCloseable {
    void submit(Decision d, DecisionEngine.Inputs in);

    int backlog();

    default void answered(String decisionId, byte[] json) {}

    @Override
    void close();
  }

  private AuditBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String kind = args.length > 3 ? args[3] : "sqlite";
    String url = args.length > 4 ? args[4] : Redis.DEFAULT_URL;

    DecisionEngine engine =
        DecisionEngine.builder().ruleSet(RuleSet.compile(RuleSetSource.bundled())).build();
    List<CustomerContext> contexts = Corpus.contexts();
    List<DecisionEngine.Decided> decided = new ArrayList<>();
    for (int i = 0; i < contexts.size(); i++) {
      decided.add(engine.decide(contexts.get(i), "d-corpus-" + i, false));
    }
    List<Answer> answers = decided.stream().map(one -> Answer.of(one.decision())).toList();
    Clock clock = Clock.systemUTC();
    System.out.printf(
        "store %s, %d decisions at %d/s per path and round, %d cores, %s%n",
        kind,
        count,
        rate,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"));
    encodeCost(decided, answers);
    System.out.printf(
        "%-6s %5s %12s %12s %10s %10s%n",
        "path", "round", "submit µs", "writer µs", "gc ms", "written s");
    int serial = 0;
    for (int round = 1; round <= rounds; round++) {
      for (String path : List.of("old", "new", "answer")) {
        try (Store s = Store.open(kind, url)) {
          Writer w =
              path.equals("old")
                  ? legacy(new LegacyAuditWriter(s.store, clock, 1_000_000))
                  : current(new AuditWriter(s.store, clock, 1_000_000), path.equals("answer"));
          try (w) {
            long writerId = writerThread();
            run(w, decided, answers, count / 3, rate, serial++, null);
            long[] out = new long[3];
            long cpu0 = THREADS.getThreadCpuTime(writerId);
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            run(w, decided, answers, count, rate, serial++, out);
            long cpu1 = THREADS.getThreadCpuTime(writerId);
            System.out.printf(
                "%-6s %5d %12.2f %12.2f %10d %10.1f%n",
                path,
                round,
                out[0] / 1e3 / count,
                (cpu1 - cpu0) / 1e3 / count,
                gcMillis() - gc0,
                (System.nanoTime() - t0) / 1e9);
          }
          if (path.equals("new") && round == 1) {
            check(s.store, decided, clock);
          }
        }
      }
    }
  }

  /** Submits {@code count} decisions at {@code rate}/s, then waits until they are written. */
  private static void run(
      Writer w,
      List<DecisionEngine.Decided> decided,
      List<Answer> answers,
      int count,
      int rate,
      int serial,
      long[] out) {
    long tick = 1_000_000L; // one millisecond
    int perTick = Math.max(1, rate / 1000);
    long next = System.nanoTime();
    long inSubmit = 0;
    for (int i = 0; i < count; ) {
      for (int k = 0; k < perTick && i < count; k++, i++) {
        DecisionEngine.Decided one = decided.get(i % decided.size());
        String id = String.format("d-%02d-%07d", serial, i);
        Decision d = withId(one.decision(), id);
        // What the API's handler has in hand anyway: the answer it sends (not timed).
        byte[] answer = answers.get(i % decided.size()).with(id);
        long t0 = System.nanoTime();
        w.submit(d, one.inputs());
        w.answered(id, answer);
        inSubmit += System.nanoTime() - t0;
      }
      next += tick;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    while (w.backlog() > 0) {
      LockSupport.parkNanos(1_000_000L);
    }
    if (out != null) {
      out[0] = inSubmit;
    }
  }

  /** The stored form of one record, made on this thread: old (digest, then body) and new. */
  private static void encodeCost(List<DecisionEngine.Decided> decided, List<Answer> answers) {
    Instant at = Instant.now();
    int n = 40_000;
    long bytesOld = 0;
    long bytesNew = 0;
    for (int pass = 0; pass < 2; pass++) {
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        DecisionEngine.Decided one = decided.get(i % decided.size());
        Decision d = one.decision();
        DecisionRecord r =
            new DecisionRecord(
                d.decisionId(),
                d.customerId(),
                at,
                d.ruleSetVersion(),
                LegacyAuditWriter.digest(one.inputs().context()),
                d,
                one.inputs());
        bytesOld += StoredJson.record(r).length();
      }
      long cpu1 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        DecisionEngine.Decided one = decided.get(i % decided.size());
        bytesNew += AuditWriter.encode(one.decision(), one.inputs(), at, null).json().length;
      }
      long cpu2 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        DecisionEngine.Decided one = decided.get(i % decided.size());
        AuditWriter.encode(one.decision(), one.inputs(), at, answers.get(i % decided.size()).json);
      }
      long cpu3 = THREADS.getCurrentThreadCpuTime();
      if (pass == 1) {
        System.out.printf(
            "encode one record (CPU µs, %d records): old %.1f, new %.1f, new with the answer's"
                + " bytes %.1f; body %d chars%n",
            n,
            (cpu1 - cpu0) / 1e3 / n,
            (cpu2 - cpu1) / 1e3 / n,
            (cpu3 - cpu2) / 1e3 / n,
            bytesNew / 2 / n);
      }
    }
    if (bytesOld != bytesNew) {
      System.out.printf(
          "  (bodies differ in length: old %d, new %d chars per record)%n",
          bytesOld / 2 / n, bytesNew / 2 / n);
    }
  }

  /** The new writer's records, read back, equal the old writer's (decision, inputs, digest). */
  private static void check(CustomerStore store, List<DecisionEngine.Decided> decided, Clock clock)
      throws java.io.IOException {
    int equal = 0;
    try (AuditWriter w = new AuditWriter(store, clock, 1_000)) {
      for (int i = 0; i < decided.size(); i++) {
        DecisionEngine.Decided one = decided.get(i);
        Decision d = withId(one.decision(), "d-check-" + i);
        w.submit(d, one.inputs());
        if (i % 2 == 0) {
          w.answered(d.decisionId(), Json.mapper().writeValueAsBytes(d));
        }
      }
    }
    for (int i = 0; i < decided.size(); i++) {
      DecisionEngine.Decided one = decided.get(i);
      DecisionRecord back = store.decision("d-check-" + i).orElseThrow();
      DecisionRecord old =
          StoredJson.record(
              StoredJson.record(
                  new DecisionRecord(
                      back.decisionId(),
                      back.customerId(),
                      back.decidedAt(),
                      back.ruleSetVersion(),
                      LegacyAuditWriter.digest(one.inputs().context()),
                      withId(one.decision(), "d-check-" + i),
                      one.inputs())));
      if (old.equals(back)) {
        equal++;
      }
    }
    System.out.printf(
        "read back: %d of %d records of the new writer equal the old writer's%n",
        equal, decided.size());
    if (equal != decided.size()) {
      throw new IllegalStateException("the new audit records differ from the old ones");
    }
  }

  /**
   * A corpus decision's answer, as the API writes it, under an id the benchmark makes for it
   * length; {@link #with} puts a record's own id in.
   */
  private record Answer(byte[] json, int at) {
    static final String PLACEHOLDER = "d-00-0000000";

    static Answer of(Decision d) {
      try {
        byte[] json = Json.mapper().writeValueAsBytes(withId(d, PLACEHOLDER));
        String text = new String(json, StandardCharsets.ISO_8859_1);
        return new Answer(json, text.indexOf("\"" + PLACEHOLDER + "\"") + 1);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    byte[] with(String id) {
      byte[] out = json.clone();
      System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, out, at, PLACEHOLDER.length());
      return out;
    }
  }

  private static Decision withId(Decision d, String id) {
    return new Decision(
        id,
        d.ruleSetVersion(),
        d.customerId(),
        d.asOf(),
        d.indices(),
        d.segment(),
        d.contact(),
        d.criticalGaps(),
        d.actions(),
        d.suppressed(),
        d.evaluationMicros(),
        d.profileSource(),
        d.degraded(),
        d.experiments(),
        d.exploration());
  }

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

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  private static Writer legacy(LegacyAuditWriter w) {
    return new Writer() {
      @Override
      public void submit(Decision d, DecisionEngine.Inputs in) {
        w.submit(d, in);
      }

      @Override
      public int backlog() {
        return w.backlog();
      }

      @Override
      public void close() {
        w.close();
      }
    };
  }

  private static Writer current(AuditWriter w, boolean answers) {
    return new Writer() {
      @Override
      public void submit(Decision d, DecisionEngine.Inputs in) {
        w.submit(d, in);
      }

      @Override
      public void answered(String decisionId, byte[] json) {
        if (answers) {
          w.answered(decisionId, json);
        }
      }

      @Override
      public int backlog() {
        return w.backlog();
      }

      @Override
      public void close() {
        w.close();
      }
    };
  }

  /** A fresh store per path and round: a new SQLite file, or an emptied Redis. */
  private static final class Store implements AutoCloseable {
    final CustomerStore store;
    private final Sqlite db;
    private final Redis redis;
    private final Path dir;

    private Store(CustomerStore store, Sqlite db, Redis redis, Path dir) {
      this.store = store;
      this.db = db;
      this.redis = redis;
      this.dir = dir;
    }

    static Store open(String kind, String url) throws Exception {
      if (kind.equals("redis")) {
        Redis r = Redis.connect(url, Duration.ofSeconds(10));
        r.call(j -> j.flushAll());
        return new Store(new RedisCustomerStore(r), null, r, null);
      }
      Path dir = Files.createTempDirectory("nba-audit");
      Sqlite db = Sqlite.open(dir);
      return new Store(new SqliteCustomerStore(db), db, null, dir);
    }

    @Override
    public void close() throws Exception {
      if (db != null) {
        ((SqliteCustomerStore) store).close();
        db.close();
        try (var files = Files.walk(dir)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      if (redis != null) {
        redis.close();
      }
    }
  }
}
