package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.simulator.RuleSetRef;
import io.nextbest.simulator.SimulationProgress;
import io.nextbest.simulator.SimulationResult;
import io.nextbest.simulator.SimulationService;
import io.nextbest.simulator.SimulationSpec;
import io.nextbest.simulator.SyntheticKnobs;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Simulations for analysts over HTTP: start a job on a bundled or synthetic population with any
 * registry versions as baseline and candidate, follow its progress, fetch its reports. Only
 * populations the service ships or generates are accepted, never a path on the server.
 */
final class SimulationHandlers {
  private final SimulationService simulations;
  private final RuleSetRegistry registry;
  private final Path reports;

  SimulationHandlers(SimulationService simulations, RuleSetRegistry registry, Path dataDir) {
    this.simulations = simulations;
    this.registry = registry;
    this.reports = dataDir.resolve("simulations");
  }

  /** What {@code POST /v1/simulations} answers. */
  record Started(String id, String progress, String report) {}

  /**
   * A simulation as the contract's SimulationRequest describes it (and has checked: shapes, ranges,
   * exactly one population).
   */
  record Request(
      Population population,
      JsonNode baseline,
      JsonNode candidate,
      List<String> overrides,
      Integer journeyWeeks,
      Long seed,
      Integer limit,
      Integer sampleSize) {}

  record Population(Long synthetic, String dataset) {}

  private static final ObjectReader REQUEST = JsonBodies.reader(Request.class);

  void start(RoutingContext ctx) {
    Request body = JsonBodies.read(ctx, REQUEST, "a simulation");
    SimulationSpec.Builder spec =
        SimulationSpec.builder().reportDir(reports.resolve(UUID.randomUUID().toString()));
    if (body.population().synthetic() != null) {
      spec.synthetic(body.population().synthetic(), SyntheticKnobs.DEFAULTS);
    } else {
      spec.mapped(body.population().dataset(), body.population().dataset());
    }
    spec.baseline(side(body.baseline()));
    if (body.candidate() != null) {
      spec.candidate(side(body.candidate()));
    }
    for (String o : body.overrides() == null ? List.<String>of() : body.overrides()) {
      try {
        spec.override(o);
      } catch (RuntimeException e) {
        // Which keys exist is the simulator's knowledge, not the contract's.
        throw AnalystHandlers.invalid("overrides", e.getMessage());
      }
    }
    spec.journeyWeeks(body.journeyWeeks() == null ? 0 : body.journeyWeeks());
    spec.seed(body.seed() == null ? 1 : body.seed());
    spec.limit(body.limit() == null ? 0 : body.limit());
    spec.sampleSize(body.sampleSize() == null ? 20 : body.sampleSize());
    spec.threads(Math.max(1, Runtime.getRuntime().availableProcessors()));
    SimulationSpec built;
    try {
      built = spec.build();
    } catch (RuntimeException e) {
      // The spec's own checks (overrides, ranges) say what is wrong in their message.
      throw AnalystHandlers.invalid("$", e.getMessage());
    }
    String id = simulations.start(built);
    ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/simulations/" + id);
    ApiVerticle.send(
        ctx,
        202,
        ApiVerticle.JSON,
        new Started(id, "/v1/simulations/" + id, "/v1/simulations/" + id + "/report"));
  }

  void progress(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    SimulationProgress p = simulations.progress(id).orElseThrow(() -> notFound(id));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, p);
  }

  void list(RoutingContext ctx) {
    List<Object> out = new ArrayList<>();
    for (String id : simulations.jobs()) {
      simulations
          .progress(id)
          .ifPresent(p -> out.add(java.util.Map.of("id", id, "state", p.state().name())));
    }
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, out);
  }

  /** {@code report} (JSON), {@code report.html} or {@code customers.csv} of a finished job. */
  void report(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    SimulationProgress p = simulations.progress(id).orElseThrow(() -> notFound(id));
    if (!p.state().finished()) {
      throw new ProblemException(
          new Problem(
              Problem.BLANK,
              "Conflict",
              409,
              "simulation " + id + " is " + p.state() + "; the report is ready when it is DONE",
              List.of()));
    }
    SimulationResult r =
        simulations
            .report(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(
                            Problem.Kind.NOT_FOUND,
                            "simulation "
                                + id
                                + " ended "
                                + p.state()
                                + (p.error() == null ? "" : ": " + p.error()))));
    String kind = ctx.pathParam("kind");
    Path file;
    String type;
    if (kind == null || kind.equals("report") || kind.equals("report.json")) {
      file = r.json();
      type = ApiVerticle.JSON;
    } else if (kind.equals("report.html")) {
      file = r.html();
      type = "text/html; charset=utf-8";
    } else if (kind.equals("customers.csv")) {
      file = r.csv();
      type = "text/csv; charset=utf-8";
    } else {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.NOT_FOUND,
              "a simulation has report.json, report.html and customers.csv"));
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type).sendFile(file.toString());
  }

  /**
   * "active" (or absent), "bundled" or a version number: the contract lets nothing else through.
   */
  private RuleSetRef side(JsonNode node) {
    if (node != null && node.isIntegralNumber()) {
      return byVersion(node.asInt());
    }
    if (node != null && node.asText().equals("bundled")) {
      return RuleSetRef.bundled();
    }
    return byVersion(registry.activeSequence());
  }

  /**
   * A registry version named by its sequence, so the report labels the side {@code v3@<hash>}, not
   * by the upload's name.
   */
  private RuleSetRef byVersion(int sequence) {
    return RuleSetRef.of(registry.source(sequence).with("v" + sequence, java.util.Map.of()));
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, "no simulation " + id));
  }
}
