package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Liveness while the process serves; readiness only with a compiled rule set and a store that
 * answers.
 */
class HealthTest {
  Vertx vertx;
  Services services;
  WebClient client;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    if (services != null) {
      services.close();
    }
  }

  void start(StoreConfig store) {
    ApiConfig config = TestApi.config();
    services = Services.open(vertx, config, store);
    ApiServer.deploy(vertx, services, config).await();
    client = TestApi.client(vertx, config, null);
  }

  HttpResponse<Buffer> get(String path) {
    return client.get(path).send().await();
  }

  /** Asks for readiness until {@code until} holds (the store's own timeout bounds each answer). */
  HttpResponse<Buffer> readyUntil(Predicate<HttpResponse<Buffer>> until)
      throws InterruptedException {
    HttpResponse<Buffer> r = get("/health/ready");
    for (int i = 0; i < 100 && !until.test(r); i++) {
      Thread.sleep(100);
      r = get("/health/ready");
    }
    return r;
  }

  @Test
  void embeddedStore_isLiveAndReady_withTheActiveVersion() {
    start(StoreConfig.EMBEDDED);

    HttpResponse<Buffer> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(ready.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("status", "UP")
                .put(
                    "checks",
                    new JsonObject()
                        .put(
                            "ruleSet",
                            new JsonObject()
                                .put("status", "UP")
                                .put("version", services.engine().ruleSet().version()))
                        .put("store", new JsonObject().put("status", "UP").put("kind", "sqlite"))));
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aClosedEmbeddedStore_isNotReady_butStillLive() {
    start(StoreConfig.EMBEDDED);
    services.customers().store().close();

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getJsonObject("checks").getJsonObject("store").getString("status"))
        .isEqualTo("DOWN");
    assertThat(body.getJsonObject("checks").getJsonObject("ruleSet").getString("status"))
        .isEqualTo("UP");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void redisGoingAway_makesTheNodeUnready_andComingBack_readyAgain() throws InterruptedException {
    RedisServer redis = RedisServer.start();
    try {
      start(StoreConfig.redis(redis.url()));
      HttpResponse<Buffer> up = get("/health/ready");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.bodyAsJsonObject().getJsonObject("checks").getJsonObject("store"))
          .isEqualTo(new JsonObject().put("status", "UP").put("kind", "redis"));

      redis.close();
      HttpResponse<Buffer> down = readyUntil(r -> r.statusCode() == 503);
      assertThat(down.statusCode()).isEqualTo(503);
      JsonObject body = down.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("DOWN");
      assertThat(body.getJsonObject("checks").getJsonObject("store"))
          .isEqualTo(new JsonObject().put("status", "DOWN").put("kind", "redis"));
      assertThat(body.getJsonObject("checks").getJsonObject("ruleSet").getString("status"))
          .isEqualTo("UP");
      assertThat(get("/health/live").statusCode()).isEqualTo(200);

      redis = redis.restart();
      HttpResponse<Buffer> back = readyUntil(r -> r.statusCode() == 200);
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(back.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    } finally {
      redis.close();
    }
  }
}
