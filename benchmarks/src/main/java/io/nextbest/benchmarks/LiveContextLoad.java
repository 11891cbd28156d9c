package io.nextbest.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.EventResult;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.redis.Redis;
import io.nextbest.engine.redis.RedisCustomerStore;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Load figures for live customer context (docs/benchmarks.md, "Live context and storage"): event
 * ingestion in batches through {@link CustomerService#ingest} (validation and a durable store
 * write, as {@code POST /v1/events} does after parsing), and decision latency with the profile
 * stored (the request carries a customer id and the interaction) against the context-in-request
 * path (the request carries the whole profile), both through {@link CustomerService#decide} as the
 * API runs them (store lookup, merge, audit trail) and including JSON in and out; the engine alone
 * on the full context is shown for reference. Single-threaded, after warm-up; a plain program
 * rather than JMH because every iteration writes to a store.
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.LiveContextLoad embedded
 * redis-server --port 6390 --save '' --appendonly no &amp;
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.LiveContextLoad redis redis://127.0.0.1:6390
 * # through HTTP, against a server started with NBA_API_KEYS=&lt;key&gt;=agent:
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.LiveContextLoad http http://127.0.0.1:8080 &lt;key&gt;
 * </pre>
 */
public final class LiveContextLoad {
  static final int CUSTOMERS = 5_000;
  static final int EVENTS = 200_000;
  static final int BATCH = 500;
  static final int DECISIONS = 20_000;

  private LiveContextLoad() {}

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "embedded";
    if (kind.equals("http")) {
      http(args[1], args[2]);
      return;
    }
    RuleSet ruleSet = RuleSet.compile(RuleSetSource.bundled());
    BetaPropensities propensities =
        BetaPropensities.withPriorStrength(BetaPropensities.DEFAULT_PRIOR_STRENGTH);
    DecisionEngine engine =
        DecisionEngine.builder().ruleSet(ruleSet).propensities(propensities).build();
    Path dir = Files.createTempDirectory("nba-load");
    Sqlite db = null;
    Redis redis = null;
    CustomerStore store;
    if (kind.equals("redis")) {
      redis = Redis.connect(args.length > 1 ? args[1] : Redis.DEFAULT_URL, Duration.ofSeconds(10));
      Redis r = redis;
      r.call(j -> j.flushAll());
      store = new RedisCustomerStore(redis);
    } else {
      db = Sqlite.open(dir);
      store = new SqliteCustomerStore(db);
    }
    try (CustomerService customers =
        CustomerService.builder()
            .store(store, kind.equals("redis"))
            .engine(engine)
            .propensities(propensities)
            .build()) {
      System.out.printf(
          "store %s, %d cores, %s%n",
          kind, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
      ingest(customers);
      decide(engine, customers);
    } finally {
      if (db != null) {
        db.close();
      }
      if (redis != null) {
        redis.close();
      }
    }
  }

  static void ingest(CustomerService customers) {
    Random rnd = new Random(7);
    Instant now = Instant.now();
    List<CustomerEvent> all = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      all.add(
          event(
              rnd,
              "e-" + i,
              "c-" + rnd.nextInt(CUSTOMERS),
              now.minusSeconds(60 + rnd.nextInt(80 * 86_400))));
    }
    // Warm-up on other customers, then the measured run.
    for (int w = 0; w < 20; w++) {
      List<CustomerService.Incoming> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(
            new CustomerService.Incoming(
                i,
                "[" + i + "]",
                event(rnd, "w-" + w + "-" + i, "warm-" + i, now.minusSeconds(3_600))));
      }
      customers.ingest(batch);
    }
    long t0 = System.nanoTime();
    long stored = 0;
    for (int from = 0; from < EVENTS; from += BATCH) {
      List<CustomerService.Incoming> batch = new ArrayList<>(BATCH);
      for (int i = from; i < Math.min(EVENTS, from + BATCH); i++) {
        batch.add(new CustomerService.Incoming(i - from, "[" + (i - from) + "]", all.get(i)));
      }
      for (EventResult r : customers.ingest(batch)) {
        if (r.status() == EventResult.Status.STORED) {
          stored++;
        }
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "ingest: %d events in batches of %d, %d stored, %.2f s, %.0f events/s%n",
        EVENTS, BATCH, stored, s, EVENTS / s);
  }

  /**
   * POST /v1/events against a running server: batches of {@value #BATCH}, two requests in flight.
   */
  static void http(String base, String key) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    ObjectWriter batchOut =
        Json.mapper()
            .writerFor(new com.fasterxml.jackson.core.type.TypeReference<List<CustomerEvent>>() {});
    Random rnd = new Random(11);
    Instant now = Instant.now();
    String run = Long.toString(System.currentTimeMillis(), 36);
    int batches = 200;
    List<byte[]> bodies = new ArrayList<>(batches);
    for (int b = 0; b < batches + 10; b++) {
      List<CustomerEvent> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(
            event(
                rnd,
                run + "-" + b + "-" + i,
                "h-" + rnd.nextInt(CUSTOMERS),
                now.minusSeconds(60 + rnd.nextInt(80 * 86_400))));
      }
      bodies.add(batchOut.writeValueAsBytes(batch));
    }
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    Runnable worker =
        () -> {
          for (int b; (b = next.getAndIncrement()) < bodies.size(); ) {
            java.net.http.HttpRequest req =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/events"))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bodies.get(b)))
                    .build();
            try {
              java.net.http.HttpResponse<String> r =
                  client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                throw new IllegalStateException(
                    "batch " + b + ": " + r.statusCode() + " " + r.body());
              }
            } catch (java.io.IOException | InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    // Warm-up: the first ten batches, one at a time.
    for (int b = 0; b < 10; b++) {
      java.net.http.HttpRequest req =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/events"))
              .header("Content-Type", "application/json")
              .header("X-API-Key", key)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bodies.get(b)))
              .build();
      client.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
    }
    next.set(10);
    long t0 = System.nanoTime();
    Thread t1 = new Thread(worker);
    Thread t2 = new Thread(worker);
    t1.start();
    t2.start();
    t1.join();
    t2.join();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "http ingest: %d events in %d batches of %d, %.2f s, %.0f events/s (body %d KB per batch)%n",
        batches * BATCH, batches, BATCH, s, batches * BATCH / s, bodies.get(0).length / 1024);
  }

  static CustomerEvent event(Random rnd, String id, String c, Instant at) {
    return switch (rnd.nextInt(8)) {
      case 0 ->
          new CustomerEvent.SurveyAnswered(
              id, c, at, CustomerEvent.Survey.CSAT, 1 + rnd.nextInt(5));
      case 1 ->
          new CustomerEvent.InteractionEnded(
              id,
              c,
              at,
              Channel.values()[rnd.nextInt(4)],
              "billing",
              CustomerEvent.Outcome.values()[rnd.nextInt(4)],
              null);
      case 2 ->
          new CustomerEvent.Purchase(
              id, c, at, rnd.nextBoolean() ? "BROADBAND" : "MOBILE", 20.0 + rnd.nextInt(50));
      case 3 ->
          new CustomerEvent.ConsentChanged(
              id, c, at, rnd.nextBoolean() ? Channel.EMAIL : Channel.SMS, rnd.nextInt(4) != 0);
      case 4 ->
          new CustomerEvent.ComplaintOpened(
              id,
              c,
              at,
              "K-" + id,
              Severity.values()[rnd.nextInt(Severity.values().length)],
              "BROADBAND",
              null);
      case 5 ->
          new CustomerEvent.LoyaltyActivity(
              id, c, at, CustomerEvent.LoyaltyKind.EARNED, 10 + rnd.nextInt(100), null);
      case 6 -> new CustomerEvent.OutreachSent(id, c, at, "value-usage-tips", Channel.EMAIL, null);
      default -> new CustomerEvent.InteractionStarted(id, c, at, Channel.PHONE, "usage");
    };
  }

  static void decide(DecisionEngine engine, CustomerService customers) throws Exception {
    ObjectReader contextIn = Json.mapper().readerFor(CustomerContext.class);
    ObjectWriter decisionOut = Json.mapper().writerFor(Decision.class);
    Interaction live =
        new Interaction(Channel.PHONE, "billing", Sentiment.NEGATIVE, false, null, null, null);
    int n = 500;
    // The same customers both ways: the full context is what the store would supply, sent in the
    // request.
    byte[][] full = new byte[n][];
    byte[][] byId = new byte[n][];
    for (int i = 0; i < n; i++) {
      String id = "c-" + i;
      CustomerContext resolved =
          customers.resolve(new CustomerContext(id, null, null, live, null), Set.of()).context();
      full[i] =
          Json.mapper()
              .writeValueAsBytes(
                  new CustomerContext("req-" + i, null, resolved.profile(), live, null));
      byId[i] = Json.mapper().writeValueAsBytes(new CustomerContext(id, null, null, live, null));
    }
    System.out.printf(
        "request bodies: full context %d bytes on average, id + interaction %d bytes%n",
        Arrays.stream(full).mapToInt(b -> b.length).sum() / n,
        Arrays.stream(byId).mapToInt(b -> b.length).sum() / n);
    Set<String> allFields = new java.util.HashSet<>();
    for (java.lang.reflect.RecordComponent c :
        io.nextbest.engine.model.CustomerProfile.class.getRecordComponents()) {
      allFields.add(c.getName());
    }
    for (int round = 0; round < 2; round++) {
      long[] engineOnly = new long[DECISIONS];
      long[] inRequest = new long[DECISIONS];
      long[] stored = new long[DECISIONS];
      for (int i = 0; i < DECISIONS; i++) {
        byte[] body = full[i % n];
        long t0 = System.nanoTime();
        CustomerContext ctx = contextIn.readValue(body);
        decisionOut.writeValueAsBytes(engine.decide(ctx));
        engineOnly[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        ctx = contextIn.readValue(body);
        decisionOut.writeValueAsBytes(customers.decide(ctx, allFields));
        inRequest[i] = System.nanoTime() - t0;
        body = byId[i % n];
        t0 = System.nanoTime();
        ctx = contextIn.readValue(body);
        decisionOut.writeValueAsBytes(customers.decide(ctx, Set.of()));
        stored[i] = System.nanoTime() - t0;
      }
      if (round == 1) {
        report("engine alone, context in request", engineOnly);
        report("API path, context in request", inRequest);
        report("API path, stored profile", stored);
        System.out.printf(
            "ratio stored / context in request (API path): median %.2f, p99 %.2f%n",
            pct(stored, 50) / pct(inRequest, 50), pct(stored, 99) / pct(inRequest, 99));
      }
    }
  }

  static void report(String what, long[] nanos) {
    System.out.printf(
        "%-34s median %6.0f µs  p90 %6.0f µs  p99 %6.0f µs%n",
        what, pct(nanos, 50) / 1e3, pct(nanos, 90) / 1e3, pct(nanos, 99) / 1e3);
  }

  static double pct(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  }
}
