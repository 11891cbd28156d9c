package io.nextbest.engine.redis;

import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.StoredJson;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Customer state in Redis, shared by every API node. Per customer (keys {@code nba:c:{id}:*}, one
 * hash slot): the event ids seen (with each one's position in the list), the events in arrival
 * order, the ledger and its SENT lines, and a version counter raised by every change — nodes
 * compare it with what they cached before each read, so a decision on any node sees every event
 * another node acknowledged before it started. Each event and each ledger line is stored by one Lua
 * script: all of it or none of it, once. A sorted set lists every customer with an event, for
 * agents looking a customer up by a prefix.
 *
 * <p>Acknowledged means Redis has applied it; it survives a Redis restart only as far as the
 * server's persistence is configured ({@code appendonly yes} with {@code appendfsync always} gives
 * the embedded store's guarantee).
 */
public final class RedisCustomerStore implements CustomerStore {
  /**
   * Stores one event unless the customer has its id: returns 1 when stored, the stored event's JSON
   * when the id is known (the caller tells a duplicate from a conflict), 0 when the id is known
   * only from before positions were kept (a duplicate, as that release answered).
   */
  private static final String APPEND =
      """
      local at = redis.call('HGET', KEYS[8], ARGV[1])
      if at then return redis.call('LINDEX', KEYS[2], at) end
      if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
      local n = redis.call('RPUSH', KEYS[2], ARGV[2])
      redis.call('HSET', KEYS[8], ARGV[1], n - 1)
      redis.call('ZADD', KEYS[7], 0, ARGV[5])
      if ARGV[3] ~= '' and redis.call('SADD', KEYS[4], ARGV[3]) == 1 then
        redis.call('RPUSH', KEYS[5], ARGV[4])
        redis.call('RPUSH', KEYS[6], ARGV[4])
      end
      redis.call('INCR', KEYS[3])
      return 1
      """;

  private static final String HISTORY =
      """
      return {redis.call('GET', KEYS[3]) or '0', redis.call('LLEN', KEYS[1]),
              redis.call('LRANGE', KEYS[1], ARGV[1], -1), redis.call('LRANGE', KEYS[2], 0, -1)}
      """;

  private static final String RECORD =
      """
      if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return {0, 0} end
      redis.call('RPUSH', KEYS[2], ARGV[2])
      if ARGV[3] == '1' then redis.call('RPUSH', KEYS[3], ARGV[2]) end
      redis.call('INCR', KEYS[4])
      if ARGV[6] == '' then return {1, 0} end
      if redis.call('HSETNX', KEYS[5], ARGV[4], ARGV[6]) == 0 then return {1, 0} end
      if redis.call('HINCRBY', KEYS[7], ARGV[5], 1) > tonumber(ARGV[8]) then return {1, 0} end
      redis.call('HINCRBY', KEYS[6], ARGV[5] .. '|' .. ARGV[6], 1)
      if ARGV[7] ~= '' then redis.call('HINCRBY', KEYS[6], ARGV[7] .. '|' .. ARGV[6], 1) end
      return {1, 1}
      """;

  private static final String PROPENSITY = "nba:propensity";

  /**
   * Every customer with a stored event, as one sorted set whose members all score 0, so that Redis
   * orders them by their bytes and answers a prefix as a lexicographic range.
   */
  private static final String CUSTOMERS = "nba:customers";

  /** Every audit record's id, scored by when it was decided (ms), for {@link #decisionsBetween}. */
  private static final String DECIDED = "nba:decisions:at";

  /** Set once {@link #CUSTOMERS} holds the customers stored before it existed. */
  private static final String CUSTOMERS_COMPLETE = "nba:customers:complete";

  private final Redis redis;
  private volatile boolean customersComplete;

  public RedisCustomerStore(Redis redis) {
    this.redis = redis;
  }

  private static String key(String customerId, String what) {
    return "nba:c:{" + customerId + "}:" + what;
  }

  @Override
  public List<Appended> append(List<CustomerEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<List<String>> keys = new ArrayList<>(events.size());
    List<List<String>> args = new ArrayList<>(events.size());
    for (CustomerEvent e : events) {
      String c = e.customerId();
      keys.add(
          List.of(
              key(c, "ids"),
              key(c, "events"),
              key(c, "ver"),
              key(c, "lids"),
              key(c, "ledger"),
              key(c, "sent"),
              CUSTOMERS,
              key(c, "at")));
      LedgerEntry line = StoredJson.sentLine(e);
      args.add(
          List.of(
              e.id(),
              StoredJson.event(e),
              line == null ? "" : line.id(),
              line == null ? "" : StoredJson.ledger(line),
              c));
    }
    // One round trip for the batch; each script is atomic on its own. NOSCRIPT (Redis restarted and
    // lost its script cache) fails every script of the pipeline, so running the batch again is
    // safe.
    List<Object> replies =
        redis.call(
            j -> {
              try {
                return pipelined(j, redis.sha(j, APPEND, false), keys, args);
              } catch (JedisNoScriptException e) {
                return pipelined(j, redis.sha(j, APPEND, true), keys, args);
              }
            });
    List<Appended> out = new ArrayList<>(replies.size());
    for (int i = 0; i < replies.size(); i++) {
      Object r = replies.get(i);
      if (r instanceof Long n) {
        out.add(n == 1L ? Appended.STORED : Appended.DUPLICATE);
      } else {
        out.add(
            StoredJson.event(text(r)).equals(events.get(i))
                ? Appended.DUPLICATE
                : Appended.CONFLICT);
      }
    }
    return out;
  }

  private static List<Object> pipelined(
      JedisPooled j, String sha, List<List<String>> keys, List<List<String>> args) {
    List<Response<Object>> responses = new ArrayList<>(keys.size());
    try (AbstractPipeline p = j.pipelined()) {
      for (int i = 0; i < keys.size(); i++) {
        responses.add(p.evalsha(sha, keys.get(i), args.get(i)));
      }
      p.sync();
    }
    List<Object> out = new ArrayList<>(responses.size());
    for (Response<Object> r : responses) {
      out.add(r.get());
    }
    return out;
  }

  @Override
  public History history(String customerId, int fromEvent) {
    Object reply =
        redis.eval(
            HISTORY,
            List.of(key(customerId, "events"), key(customerId, "sent"), key(customerId, "ver")),
            List.of(Integer.toString(fromEvent)));
    List<?> parts = (List<?>) reply;
    long version = Long.parseLong(text(parts.get(0)));
    int total = ((Long) parts.get(1)).intValue();
    List<CustomerEvent> events = new ArrayList<>();
    for (Object o : (List<?>) parts.get(2)) {
      events.add(StoredJson.event(text(o)));
    }
    List<LedgerEntry> sent = new ArrayList<>();
    for (Object o : (List<?>) parts.get(3)) {
      sent.add(StoredJson.ledger(text(o)));
    }
    return new History(customerId, events, total, sent, version);
  }

  @Override
  public long version(String customerId) {
    String v = redis.call(j -> j.get(key(customerId, "ver")));
    return v == null ? 0 : Long.parseLong(v);
  }

  @Override
  public Recorded record(LedgerEntry entry, OutcomeKey key, Boolean learn, int perCustomerCap) {
    String c = entry.customerId();
    boolean learns = learn != null && entry.decisionId() != null;
    List<String> keys =
        List.of(
            key(c, "lids"),
            key(c, "ledger"),
            key(c, "sent"),
            key(c, "ver"),
            "nba:d:{" + (entry.decisionId() == null ? "-" : entry.decisionId()) + "}:learned",
            PROPENSITY,
            key(c, "learned"));
    List<String> args =
        List.of(
            entry.id(),
            StoredJson.ledger(entry),
            entry.kind() == LedgerKind.SENT ? "1" : "0",
            entry.actionId(),
            learns ? key.encoded() : "",
            learns ? (learn ? "s" : "f") : "",
            learns && key.channel() != null ? key.action().encoded() : "",
            Integer.toString(perCustomerCap));
    List<?> reply = (List<?>) redis.eval(RECORD, keys, args);
    return new Recorded((Long) reply.get(0) == 1L, (Long) reply.get(1) == 1L);
  }

  @Override
  public List<LedgerEntry> ledger(String customerId) {
    List<String> lines = redis.call(j -> j.lrange(key(customerId, "ledger"), 0, -1));
    return lines.stream().map(StoredJson::ledger).toList();
  }

  @Override
  public List<String> customerIds(String prefix, int limit) {
    if (!customersComplete) {
      completeCustomers();
    }
    String end = CustomerStore.prefixEnd(prefix);
    return redis.call(
        j ->
            j.zrangeByLex(
                CUSTOMERS,
                prefix.isEmpty() ? "-" : "[" + prefix,
                end == null ? "+" : "(" + end,
                0,
                limit));
  }

  /**
   * Adds to {@link #CUSTOMERS} the customers whose events were stored before the set was kept (by
   * an earlier version of this store): one SCAN over their event lists, once per Redis. Adding a
   * member twice changes nothing, so nodes that do it at the same time do no harm.
   */
  private void completeCustomers() {
    redis.call(
        j -> {
          if (j.exists(CUSTOMERS_COMPLETE)) {
            return null;
          }
          // The keys key(id, "events"), found by their shape whatever the id holds.
          String head = "nba:c:{";
          String tail = "}:events";
          ScanParams match = new ScanParams().match(head + "*" + tail).count(1000);
          String cursor = ScanParams.SCAN_POINTER_START;
          do {
            ScanResult<String> page = j.scan(cursor, match);
            Map<String, Double> members = new HashMap<>();
            for (String k : page.getResult()) {
              members.put(k.substring(head.length(), k.length() - tail.length()), 0.0);
            }
            if (!members.isEmpty()) {
              j.zadd(CUSTOMERS, members);
            }
            cursor = page.getCursor();
          } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
          j.set(CUSTOMERS_COMPLETE, "1");
          return null;
        });
    customersComplete = true;
  }

  @Override
  public void saveEncodedDecisions(List<EncodedDecision> records) {
    if (records.isEmpty()) {
      return;
    }
    redis.call(
        j -> {
          try (AbstractPipeline p = j.pipelined()) {
            for (int i = 0; i < records.size(); i++) {
              EncodedDecision r = records.get(i);
              // The body's UTF-8 bytes as they are; read back as text, they are the same JSON.
              p.set(("nba:decision:" + r.decisionId()).getBytes(StandardCharsets.UTF_8), r.json());
              if (r.decidedAt() != null) {
                p.zadd(DECIDED, r.decidedAt().toEpochMilli(), r.decisionId());
              }
              if (r.customerId() != null) {
                // Which decisions are about a customer, for export and erasure.
                p.sadd(key(r.customerId(), "decisions"), r.decisionId());
              }
            }
            p.sync();
          }
          return null;
        });
  }

  /** Deletes the customer's keys but raises its version, so every node's cache sees the change. */
  private static final String ERASE =
      """
      local n = {redis.call('LLEN', KEYS[2]), redis.call('LLEN', KEYS[5])}
      local decisions = redis.call('SMEMBERS', KEYS[9])
      redis.call('DEL', KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6], KEYS[8], KEYS[9], KEYS[10])
      redis.call('ZREM', KEYS[7], ARGV[1])
      redis.call('INCR', KEYS[3])
      return {n[1], n[2], decisions}
      """;

  @Override
  public Erased erase(String customerId) {
    String c = customerId;
    List<?> reply =
        (List<?>)
            redis.eval(
                ERASE,
                List.of(
                    key(c, "ids"),
                    key(c, "events"),
                    key(c, "ver"),
                    key(c, "lids"),
                    key(c, "ledger"),
                    key(c, "sent"),
                    CUSTOMERS,
                    key(c, "at"),
                    key(c, "decisions"),
                    key(c, "learned")),
                List.of(c));
    List<String> decisions = new ArrayList<>();
    for (Object o : (List<?>) reply.get(2)) {
      decisions.add("nba:decision:" + text(o));
    }
    long removed =
        decisions.isEmpty() ? 0 : redis.call(j -> j.del(decisions.toArray(String[]::new)));
    if (!decisions.isEmpty()) {
      String[] ids =
          decisions.stream().map(k -> k.substring("nba:decision:".length())).toArray(String[]::new);
      redis.call(j -> j.zrem(DECIDED, ids));
    }
    return new Erased(
        customerId,
        ((Long) reply.get(0)).intValue(),
        ((Long) reply.get(1)).intValue(),
        (int) removed);
  }

  @Override
  public List<DecisionRecord> decisions(String customerId) {
    List<String> ids = new ArrayList<>(redis.call(j -> j.smembers(key(customerId, "decisions"))));
    return records(ids);
  }

  @Override
  public List<DecisionRecord> decisionsBetween(
      java.time.Instant from, java.time.Instant to, int limit) {
    List<String> ids =
        redis.call(
            j ->
                j.zrevrangeByScore(
                    DECIDED,
                    "(" + to.toEpochMilli(),
                    Long.toString(from.toEpochMilli()),
                    0,
                    limit));
    return records(ids);
  }

  /** The decision records stored under {@code ids} (those still there), oldest first. */
  private List<DecisionRecord> records(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> bodies =
        redis.call(
            j -> j.mget(ids.stream().map(id -> "nba:decision:" + id).toArray(String[]::new)));
    List<DecisionRecord> out = new ArrayList<>();
    for (String b : bodies) {
      if (b != null) {
        out.add(StoredJson.record(b));
      }
    }
    out.sort(
        java.util.Comparator.comparing(DecisionRecord::decidedAt)
            .thenComparing(DecisionRecord::decisionId));
    return out;
  }

  @Override
  public Optional<DecisionRecord> decision(String decisionId) {
    String body = redis.call(j -> j.get("nba:decision:" + decisionId));
    return body == null ? Optional.empty() : Optional.of(StoredJson.record(body));
  }

  @Override
  public Map<OutcomeKey, Counts> propensityCounts() {
    Map<String, String> raw = redis.call(j -> j.hgetAll(PROPENSITY));
    Map<OutcomeKey, Counts> out = new HashMap<>();
    raw.forEach(
        (field, value) -> {
          OutcomeKey k = OutcomeKey.decode(field.substring(0, field.length() - 2));
          long n = Long.parseLong(value);
          Counts c = out.getOrDefault(k, Counts.NONE);
          out.put(
              k,
              field.endsWith("|s")
                  ? new Counts(c.successes() + n, c.failures())
                  : new Counts(c.successes(), c.failures() + n));
        });
    return out;
  }

  @Override
  public boolean reachable() {
    return redis.ping();
  }

  /** The connection belongs to whoever opened it (the registry store shares it). */
  @Override
  public void close() {}

  private static String text(Object o) {
    if (o instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    if (o instanceof String s) {
      return s;
    }
    throw new StoreException("unexpected reply from Redis: " + o);
  }
}
