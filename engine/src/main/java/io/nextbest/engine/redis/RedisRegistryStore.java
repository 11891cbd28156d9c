package io.nextbest.engine.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.AuditEntry;
import io.nextbest.engine.registry.RegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The rule-set registry in Redis, so every API node sees the same versions, files, active pointer
 * and audit log. A version is added by one Lua script (sequence, hash index, metadata and files
 * together), so two nodes registering the same build get one version. Nodes adopt an activation
 * made elsewhere with {@code RuleSetRegistry.follow()}.
 */
public final class RedisRegistryStore implements RegistryStore {
  private static final String SEQ = "nba:registry:seq";
  private static final String BY_HASH = "nba:registry:byhash";
  private static final String ACTIVE = "nba:registry:active";
  private static final String AUDIT = "nba:registry:audit";
  private static final String AUDIT_SEQ = "nba:registry:auditseq";

  // KEYS: seq, byhash. ARGV: hash, name, author, createdAt, comment, basedOn, origin, then
  // path/content pairs.
  private static final String ADD =
      """
      local s = redis.call('HGET', KEYS[2], ARGV[1])
      if s then return {0, tonumber(s)} end
      s = redis.call('INCR', KEYS[1])
      redis.call('HSET', KEYS[2], ARGV[1], s)
      redis.call('HSET', 'nba:registry:v:' .. s, 'hash', ARGV[1], 'name', ARGV[2], 'author', ARGV[3], 'createdAt', ARGV[4],
        'comment', ARGV[5], 'basedOn', ARGV[6], 'origin', ARGV[7])
      for i = 8, #ARGV, 2 do
        redis.call('HSET', 'nba:registry:files:' .. s, ARGV[i], ARGV[i + 1])
      end
      return {1, s}
      """;

  private record Audit(
      long id, String at, String actor, String action, Integer version, String detail) {}

  private final Redis redis;
  private final Clock clock;

  public RedisRegistryStore(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public List<VersionInfo> versions() {
    return redis.call(
        j -> {
          String max = j.get(SEQ);
          int n = max == null ? 0 : Integer.parseInt(max);
          List<Response<Map<String, String>>> rows = new ArrayList<>(n);
          try (AbstractPipeline p = j.pipelined()) {
            for (int s = 1; s <= n; s++) {
              rows.add(p.hgetAll("nba:registry:v:" + s));
            }
            p.sync();
          }
          List<VersionInfo> out = new ArrayList<>(n);
          for (int s = 1; s <= n; s++) {
            Map<String, String> row = rows.get(s - 1).get();
            if (!row.isEmpty()) {
              out.add(info(s, row));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<VersionInfo> version(int sequence) {
    Map<String, String> row = redis.call(j -> j.hgetAll("nba:registry:v:" + sequence));
    return row.isEmpty() ? Optional.empty() : Optional.of(info(sequence, row));
  }

  @Override
  public Optional<VersionInfo> byHash(String hash) {
    String seq = redis.call(j -> j.hget(BY_HASH, hash));
    return seq == null ? Optional.empty() : version(Integer.parseInt(seq));
  }

  @Override
  public VersionInfo add(
      RuleSetSource source, String author, String comment, Integer basedOn, String origin) {
    Instant now = clock.instant();
    List<byte[]> args = new ArrayList<>();
    for (String a :
        List.of(
            source.contentHash(),
            source.name(),
            author,
            now.toString(),
            comment == null ? "" : comment,
            basedOn == null ? "" : basedOn.toString(),
            origin)) {
      args.add(a.getBytes(StandardCharsets.UTF_8));
    }
    for (String path : source.paths()) {
      args.add(path.getBytes(StandardCharsets.UTF_8));
      args.add(source.bytes(path));
    }
    List<byte[]> keys =
        List.of(SEQ.getBytes(StandardCharsets.UTF_8), BY_HASH.getBytes(StandardCharsets.UTF_8));
    List<?> reply =
        (List<?>) redis.call(j -> j.eval(ADD.getBytes(StandardCharsets.UTF_8), keys, args));
    int seq = ((Long) reply.get(1)).intValue();
    if ((Long) reply.get(0) == 0L) {
      return version(seq)
          .orElseThrow(
              () -> new StoreException("rule-set version " + seq + " vanished from Redis"));
    }
    return new VersionInfo(seq, source.contentHash(), author, now, comment, basedOn, origin);
  }

  @Override
  public RuleSetSource source(int sequence) {
    return redis.call(
        j -> {
          String name = j.hget("nba:registry:v:" + sequence, "name");
          if (name == null) {
            throw new StoreException("no rule-set version " + sequence);
          }
          Map<byte[], byte[]> raw =
              j.hgetAll(("nba:registry:files:" + sequence).getBytes(StandardCharsets.UTF_8));
          Map<String, byte[]> files = new TreeMap<>();
          raw.forEach((k, v) -> files.put(new String(k, StandardCharsets.UTF_8), v));
          return RuleSetSource.of(name, files);
        });
  }

  @Override
  public OptionalInt active() {
    String v = redis.call(j -> j.get(ACTIVE));
    return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
  }

  @Override
  public void setActive(int sequence) {
    redis.call(j -> j.set(ACTIVE, Integer.toString(sequence)));
  }

  @Override
  public void audit(String actor, String action, Integer version, String detail) {
    redis.call(
        j -> {
          long id = j.incr(AUDIT_SEQ);
          return j.lpush(
              AUDIT,
              json(new Audit(id, clock.instant().toString(), actor, action, version, detail)));
        });
  }

  @Override
  public List<AuditEntry> audit(int limit) {
    List<String> rows = redis.call(j -> j.lrange(AUDIT, 0, Math.max(0, limit - 1)));
    List<AuditEntry> out = new ArrayList<>(rows.size());
    for (String row : rows) {
      try {
        Audit a = Json.mapper().readValue(row, Audit.class);
        out.add(
            new AuditEntry(
                a.id(), Instant.parse(a.at()), a.actor(), a.action(), a.version(), a.detail()));
      } catch (JsonProcessingException e) {
        throw new StoreException("unreadable audit entry in Redis: " + e.getOriginalMessage(), e);
      }
    }
    return out;
  }

  private static VersionInfo info(int seq, Map<String, String> row) {
    String comment = row.get("comment");
    String basedOn = row.get("basedOn");
    return new VersionInfo(
        seq,
        row.get("hash"),
        row.get("author"),
        Instant.parse(row.get("createdAt")),
        comment == null || comment.isEmpty() ? null : comment,
        basedOn == null || basedOn.isEmpty() ? null : Integer.valueOf(basedOn),
        row.get("origin"));
  }

  private static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
