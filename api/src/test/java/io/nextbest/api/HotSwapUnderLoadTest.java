package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.registry.VersionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule-set activations under load fail no decision: four clients decide over HTTP without pause
 * while an analyst activates versions twenty times through the API; every decision answers 200 on
 * one whole version. Figures in docs/reliability.md, "Durability and hot swap".
 */
@ExtendWith(VertxExtension.class)
class HotSwapUnderLoadTest {
  static final int SWAPS = 20;
  static final int CLIENTS = 4;

  @Test
  void twentyActivationsUnderLoad_failNoDecision(Vertx vertx) throws Exception {
    ApiConfig config = TestApi.config();
    Services services = Services.open(vertx, config);
    try {
      ApiServer.deploy(vertx, services, config).await();
      WebClient agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
      WebClient analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);

      // Variants of the contact model (each a new version), compiled and gated before the load
      // starts.
      String contact = services.registry().active().source().text("dmn/contact-policy.dmn");
      List<VersionInfo> versions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String edited = contact + "\n<!-- variant " + i + " -->\n";
        VersionInfo v =
            services
                .registry()
                .upload(
                    Map.of("dmn/contact-policy.dmn", edited.getBytes(StandardCharsets.UTF_8)),
                    null,
                    "test",
                    "variant " + i);
        assertThat(services.registry().gate(v.sequence()).activatable()).isTrue();
        versions.add(v);
      }
      versions.add(services.registry().version(services.registry().activeSequence()));

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger decided = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger duringSwaps = new AtomicInteger();
      AtomicBoolean swapping = new AtomicBoolean();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t =
            new Thread(
                () -> {
                  int n = 0;
                  while (running.get()) {
                    String body =
                        TestApi.EXAMPLE.replace(
                            "\"c-1\"", "\"swap-" + client + "-" + (n++ % 50) + "\"");
                    try {
                      HttpResponse<Buffer> r = CustomerApiTest.post(agent, "/v1/decisions", body);
                      if (r.statusCode() == 200) {
                        decided.incrementAndGet();
                        seen.add(r.bodyAsJsonObject().getString("ruleSetVersion"));
                        if (swapping.get()) {
                          duringSwaps.incrementAndGet();
                        }
                      } else {
                        failed.incrementAndGet();
                        failures.add(r.statusCode() + " " + r.bodyAsString());
                      }
                    } catch (RuntimeException e) {
                      failed.incrementAndGet();
                      failures.add(e.toString());
                    }
                  }
                },
                "swap-load-" + c);
        t.start();
        clients.add(t);
      }
      RedisNodesTest.await(() -> decided.get() >= 50);
      swapping.set(true);
      int swaps = 0;
      for (int i = 0; i < SWAPS; i++) {
        VersionInfo v = versions.get(i % versions.size());
        HttpResponse<Buffer> r =
            analyst.post("/v1/rulesets/" + v.sequence() + "/activate").send().await();
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        swaps++;
        int before = duringSwaps.get();
        // Every swap has decisions around it, not only the first and the last.
        RedisNodesTest.await(() -> duringSwaps.get() >= before + CLIENTS);
      }
      swapping.set(false);
      running.set(false);
      for (Thread t : clients) {
        t.join(30_000);
      }
      System.out.printf(
          "hot swap under load: %d decisions (%d during the swaps), %d swaps, %d failed%n",
          decided.get(), duringSwaps.get(), swaps, failed.get());
      assertThat(failures).isEmpty();
      assertThat(failed.get()).isZero();
      assertThat(swaps).isEqualTo(SWAPS);
      assertThat(seen)
          .as("decisions ran on the versions swapped in, each on one whole version")
          .hasSizeGreaterThan(1)
          .isSubsetOf(versions.stream().map(VersionInfo::label).toList());
    } finally {
      services.close();
    }
  }
}
