package io.nextbest.engine.redis;

import io.nextbest.engine.experiments.Experiment;
import io.nextbest.engine.experiments.ExperimentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Experiments in Redis, shared by every node: definitions in one hash, and per experiment a hash of
 * members ({@code customer -> arm|firstAtMillis|succeeded}) and one of counts ({@code
 * arm|customers}, {@code arm|decisions}, {@code arm|successes}), each changed only by atomic
 * scripts.
 */
public final class RedisExperimentStore implements ExperimentStore {
  private static final String DEFINITIONS = "nba:experiments";

  /** KEYS: members, counts per exposure; ARGV: customer, arm, firstAt per exposure. */
  private static final String EXPOSE =
      """
      for i = 1, #KEYS, 2 do
        local a = (i - 1) / 2 * 3
        local customer, arm, at = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
        if redis.call('HSETNX', KEYS[i], customer, arm .. '|' .. at .. '|0') == 1 then
          redis.call('HINCRBY', KEYS[i + 1], arm .. '|customers', 1)
        end
        redis.call('HINCRBY', KEYS[i + 1], arm .. '|decisions', 1)
      end
      return 1
      """;

  /** KEYS: members, counts; ARGV: customer, at, latest gap (ms, -1: any). */
  private static final String SUCCEED =
      """
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v then return 0 end
      local arm, first, done = string.match(v, '^(.*)|(%d+)|(%d)$')
      if done == '1' then return 0 end
      local at, gap = tonumber(ARGV[2]), tonumber(ARGV[3])
      if at < tonumber(first) then return 0 end
      if gap >= 0 and at - tonumber(first) > gap then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], arm .. '|' .. first .. '|1')
      redis.call('HINCRBY', KEYS[2], arm .. '|successes', 1)
      return 1
      """;

  /** KEYS: members, disqualified; ARGV: customer, at, latest gap (ms). */
  private static final String DISQUALIFY =
      """
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v then return 0 end
      local first = tonumber(string.match(v, '^.*|(%d+)|%d$'))
      local at = tonumber(ARGV[2])
      if at < first or at - first > tonumber(ARGV[3]) then return 0 end
      return redis.call('SADD', KEYS[2], ARGV[1])
      """;

  /** The hold on changing experiments: a token, set only when absent, with a lease. */
  private static final String HOLD = "nba:experiments:hold";

  /** KEYS: hold; ARGV: token. Lets go only of the caller's own hold. */
  private static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  /** KEYS: definitions; ARGV: id, body. Replaces a definition only while its status is RUNNING. */
  private static final String REPLACE_RUNNING =
      """
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v or cjson.decode(v)['status'] ~= 'RUNNING' then return 0 end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      return 1
      """;

  private final Redis redis;

  public RedisExperimentStore(Redis redis) {
    this.redis = redis;
  }

  private static String members(String id) {
    return "nba:exp:{" + id + "}:members";
  }

  private static String disqualified(String id) {
    return "nba:exp:{" + id + "}:disqualified";
  }

  private static String countsKey(String id) {
    return "nba:exp:{" + id + "}:counts";
  }

  @Override
  public void save(Experiment e) {
    String body = io.nextbest.engine.Json.mapper().valueToTree(e).toString();
    redis.call(j -> j.hset(DEFINITIONS, e.id(), body));
  }

  @Override
  public boolean replaceRunning(Experiment e) {
    String body = io.nextbest.engine.Json.mapper().valueToTree(e).toString();
    Object r = redis.eval(REPLACE_RUNNING, List.of(DEFINITIONS), List.of(e.id(), body));
    return ((Long) r) == 1L;
  }

  @Override
  public Optional<Hold> hold(Duration wait, Duration lease) {
    String token = java.util.UUID.randomUUID().toString();
    SetParams once = SetParams.setParams().nx().px(lease.toMillis());
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if ("OK".equals(redis.call(j -> j.set(HOLD, token, once)))) {
        return Optional.of(
            () -> {
              try {
                redis.eval(RELEASE, List.of(HOLD), List.of(token));
              } catch (RuntimeException e) {
                // What was done under the hold stands; the hold lapses with its lease.
                org.slf4j.LoggerFactory.getLogger(RedisExperimentStore.class)
                    .warn(
                        "experiment hold not let go (it lapses in {}): {}", lease, e.getMessage());
              }
            });
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  @Override
  public Optional<Experiment> find(String id) {
    String body = redis.call(j -> j.hget(DEFINITIONS, id));
    return body == null ? Optional.empty() : Optional.of(parse(body));
  }

  @Override
  public List<Experiment> all() {
    Map<String, String> all = redis.call(j -> j.hgetAll(DEFINITIONS));
    return all.values().stream()
        .map(RedisExperimentStore::parse)
        .sorted(java.util.Comparator.comparing(Experiment::id))
        .toList();
  }

  @Override
  public void expose(List<Exposure> exposures) {
    if (exposures.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(exposures.size() * 2);
    List<String> args = new ArrayList<>(exposures.size() * 3);
    for (Exposure x : exposures) {
      keys.add(members(x.experimentId()));
      keys.add(countsKey(x.experimentId()));
      args.add(x.customerId());
      args.add(x.arm());
      args.add(Long.toString(x.at().toEpochMilli()));
    }
    redis.eval(EXPOSE, keys, args);
  }

  @Override
  public boolean succeed(String experimentId, String customerId, Instant at, int withinDays) {
    long gap = withinDays < 0 ? -1 : Duration.ofDays(withinDays).toMillis();
    Object r =
        redis.eval(
            SUCCEED,
            List.of(members(experimentId), countsKey(experimentId)),
            List.of(customerId, Long.toString(at.toEpochMilli()), Long.toString(gap)));
    return ((Long) r) == 1L;
  }

  @Override
  public Map<String, ArmCounts> counts(String experimentId) {
    Map<String, String> raw = redis.call(j -> j.hgetAll(countsKey(experimentId)));
    Map<String, long[]> n = new HashMap<>();
    raw.forEach(
        (field, value) -> {
          int bar = field.lastIndexOf('|');
          long[] v = n.computeIfAbsent(field.substring(0, bar), k -> new long[3]);
          switch (field.substring(bar + 1)) {
            case "customers" -> v[0] = Long.parseLong(value);
            case "decisions" -> v[1] = Long.parseLong(value);
            case "successes" -> v[2] = Long.parseLong(value);
            default -> {}
          }
        });
    Map<String, ArmCounts> out = new HashMap<>();
    n.forEach((arm, v) -> out.put(arm, new ArmCounts(v[0], v[1], v[2])));
    return out;
  }

  @Override
  public boolean disqualify(String experimentId, String customerId, Instant at, int withinDays) {
    Object r =
        redis.eval(
            DISQUALIFY,
            List.of(members(experimentId), disqualified(experimentId)),
            List.of(
                customerId,
                Long.toString(at.toEpochMilli()),
                Long.toString(Duration.ofDays(withinDays).toMillis())));
    return ((Long) r) == 1L;
  }

  /**
   * Read by scanning the members a page at a time (an analyst's report; Redis is not held for the
   * whole of it).
   */
  @Override
  public Map<String, Absences> absences(String experimentId, Instant maturedBy) {
    java.util.Set<String> out =
        new java.util.HashSet<>(redis.call(j -> j.smembers(disqualified(experimentId))));
    long matured = maturedBy.toEpochMilli();
    Map<String, long[]> n = new HashMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams page = new ScanParams().count(1000);
    do {
      String from = cursor;
      ScanResult<Map.Entry<String, String>> r =
          redis.call(j -> j.hscan(members(experimentId), from, page));
      for (Map.Entry<String, String> m : r.getResult()) {
        String v = m.getValue();
        if (v.endsWith("|1") || out.contains(m.getKey())) {
          continue;
        }
        int done = v.lastIndexOf('|');
        int bar = v.lastIndexOf('|', done - 1);
        long first = Long.parseLong(v.substring(bar + 1, done));
        n.computeIfAbsent(v.substring(0, bar), k -> new long[2])[first <= matured ? 0 : 1]++;
      }
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    Map<String, Absences> result = new HashMap<>();
    n.forEach((arm, v) -> result.put(arm, new Absences(v[0], v[1])));
    return result;
  }

  private static Experiment parse(String body) {
    try {
      return io.nextbest.engine.Json.mapper().readValue(body, Experiment.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new io.nextbest.engine.store.StoreException(
          "a stored experiment does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
