package io.nextbest.api;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/** Serves {@link Services} over HTTP; errors as RFC 9457 {@code application/problem+json}. */
public final class ApiServer {
  private ApiServer() {}

  /**
   * Upload scratch files are deleted when their request ends; a process killed mid-upload leaves
   * its files behind, and nothing else ever would remove them. No request is in flight before the
   * server listens, so every file there is such a leftover.
   */
  static void purgeUploads(java.nio.file.Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        java.nio.file.Files.deleteIfExists(f);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot clear the upload scratch directory " + dir, e);
    }
  }

  /**
   * Deploys {@link ApiConfig#eventLoops()} HTTP verticles on {@code vertx}, all sharing {@code
   * services} and the port {@link ApiConfig#httpPort()}.
   *
   * @return the deployment id, once every instance listens; undeploy it (or close Vert.x) to stop
   */
  public static Future<String> deploy(Vertx vertx, Services services, ApiConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(config, "config");
    purgeUploads(config.dataDir().resolve("uploads"));
    // One simulation queue per process, shared by every verticle so any of them can report on a
    // job.
    io.nextbest.simulator.SimulationService simulations =
        new io.nextbest.simulator.SimulationService();
    // One model library per process too: its compiled models are shared.
    io.nextbest.engine.library.ModelLibrary library =
        io.nextbest.engine.library.ModelLibrary.open(services.db(), java.time.Clock.systemUTC());
    // One count of open connections, against the limit, for all of them.
    java.util.concurrent.atomic.AtomicInteger connections =
        new java.util.concurrent.atomic.AtomicInteger();
    // The contract is loaded and checked once; a document that does not load fails the deployment.
    return ApiContract.load(vertx)
        .compose(
            contract ->
                vertx.deployVerticle(
                    () ->
                        new ApiVerticle(
                            services, config, simulations, contract, library, connections),
                    new DeploymentOptions().setInstances(config.eventLoops())));
  }
}
