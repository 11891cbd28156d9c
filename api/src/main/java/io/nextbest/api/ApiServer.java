package io.nextbest.api;

import io.nextbest.engine.DecisionEngine;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * Serves a {@link DecisionEngine} over HTTP: {@code POST /v1/decisions} and {@code GET /health},
 * errors as RFC 9457 {@code application/problem+json}.
 */
public final class ApiServer {
  private ApiServer() {}

  /**
   * Deploys {@link ApiConfig#eventLoops()} HTTP verticles on {@code vertx}, all sharing
   * {@code engine} and the port {@link ApiConfig#httpPort()}.
   *
   * @return the deployment id, once every instance listens; undeploy it (or close Vert.x) to stop
   */
  public static Future<String> deploy(Vertx vertx, DecisionEngine engine, ApiConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(config, "config");
    return vertx.deployVerticle(() -> new ApiVerticle(engine, config), new DeploymentOptions().setInstances(config.eventLoops()));
  }
}
