package io.nextbest.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.VersionInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRegistryStoreTest {
  static RedisServer server;
  static Redis redis;

  @BeforeAll
  static void start() {
    server = RedisServer.start();
    redis = Redis.connect(server.url(), Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static RuleSetSource source(String text) {
    return RuleSetSource.of(
        "test",
        Map.of(
            "dmn/a.dmn",
            text.getBytes(StandardCharsets.UTF_8),
            "catalogue.json",
            new byte[] {0, 1, 2, (byte) 255}));
  }

  @Test
  void versionsFilesActiveAndAudit_areSharedByTwoNodes() {
    RedisRegistryStore a = new RedisRegistryStore(redis, Clock.systemUTC());
    try (Redis other = Redis.connect(server.url(), Duration.ofSeconds(1))) {
      RedisRegistryStore b = new RedisRegistryStore(other, Clock.systemUTC());
      VersionInfo v1 = a.add(source("one"), "build", "first", null, "build");
      VersionInfo again = b.add(source("one"), "build", "same build on node B", null, "build");
      assertThat(again.sequence()).as("the same content is one version").isEqualTo(v1.sequence());
      VersionInfo v2 = b.add(source("two"), "ann", null, v1.sequence(), "upload");
      assertThat(v2.sequence()).isEqualTo(v1.sequence() + 1);
      assertThat(a.versions())
          .extracting(VersionInfo::sequence)
          .containsExactly(v1.sequence(), v2.sequence());
      assertThat(a.version(v2.sequence()).orElseThrow().basedOn()).isEqualTo(v1.sequence());
      assertThat(a.version(v2.sequence()).orElseThrow().comment()).isNull();
      assertThat(a.byHash(source("two").contentHash())).contains(v2);
      assertThat(a.source(v2.sequence()).contentHash()).isEqualTo(source("two").contentHash());
      assertThat(a.source(v1.sequence()).bytes("catalogue.json")).containsExactly(0, 1, 2, 255);

      a.setActive(v2.sequence());
      assertThat(b.active()).hasValue(v2.sequence());
      a.audit("ann", "activate", v2.sequence(), "from v1 to v2");
      b.audit("system", "start", null, "restarted");
      assertThat(a.audit(10)).extracting(e -> e.action()).containsExactly("start", "activate");
      assertThat(a.audit(10).get(0).version()).isNull();
    }
  }
}
