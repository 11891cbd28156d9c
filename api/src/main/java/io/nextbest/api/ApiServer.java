package io.nextbest.api;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/** Serves {@link Services} over HTTP; errors as RFC 9457 {@code application/problem+json}. */
public final class ApiServer {
  private ApiServer() {}

  /**
   * Deploys {@link ApiConfig#eventLoops()} HTTP verticles on {@code vertx}, all sharing
   * {@code services} and the port {@link ApiConfig#httpPort()}.
   *
   * @return the deployment id, once every instance listens; undeploy it (or close Vert.x) to stop
   */
  public static Future<String> deploy(Vertx vertx, Services services, ApiConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(config, "config");
    // One simulation queue per process, shared by every verticle so any of them can report on a job.
    io.nextbest.simulator.SimulationService simulations = new io.nextbest.simulator.SimulationService();
    // One count of open connections, against the limit, for all of them.
    java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    // The contract is loaded and checked once; a document that does not load fails the deployment.
    return ApiContract.load(vertx)
        .compose(contract -> vertx.deployVerticle(() -> new ApiVerticle(services, config, simulations, contract, connections), new DeploymentOptions().setInstances(config.eventLoops())));
  }
}
