package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.simulator.PopulationSpec;
import io.nextbest.simulator.RuleSetRef;
import io.nextbest.simulator.SimulationProgress;
import io.nextbest.simulator.SimulationResult;
import io.nextbest.simulator.SimulationService;
import io.nextbest.simulator.SimulationSpec;
import io.nextbest.simulator.SyntheticKnobs;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Simulations for analysts over HTTP: start a job on a bundled or synthetic population with any
 * registry versions as baseline and candidate, follow its progress, fetch its reports. Only
 * populations the service ships or generates are accepted, never a path on the server.
 */
final class SimulationHandlers {
  private static final Set<String> DATASETS = Set.of("telco-churn");
  private static final long MAX_SYNTHETIC = 2_000_000;

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

  void start(RoutingContext ctx) {
    JsonNode body;
    try {
      body = Json.mapper().readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (IOException e) {
      throw new ProblemException(Problems.unreadable(e));
    }
    if (body == null || !body.isObject()) {
      throw AnalystHandlers.invalid("$", "must be a JSON object describing the simulation");
    }
    SimulationSpec.Builder spec = SimulationSpec.builder().reportDir(reports.resolve(UUID.randomUUID().toString()));
    JsonNode population = body.path("population");
    if (population.has("synthetic")) {
      long size = population.get("synthetic").asLong(-1);
      if (!population.get("synthetic").isIntegralNumber() || size < 1 || size > MAX_SYNTHETIC) {
        throw AnalystHandlers.invalid("population.synthetic", "must be a whole number from 1 to " + MAX_SYNTHETIC);
      }
      spec.synthetic(size, SyntheticKnobs.DEFAULTS);
    } else if (population.has("dataset")) {
      String name = population.get("dataset").asText();
      if (!DATASETS.contains(name)) {
        throw AnalystHandlers.invalid("population.dataset", "must be one of " + DATASETS);
      }
      spec.mapped(name, name);
    } else {
      throw AnalystHandlers.invalid("population", "needs {\"synthetic\": size} or {\"dataset\": \"telco-churn\"}");
    }
    spec.baseline(side(body.path("baseline"), "baseline"));
    if (body.has("candidate")) {
      spec.candidate(side(body.get("candidate"), "candidate"));
    }
    if (body.has("overrides")) {
      if (!body.get("overrides").isArray()) {
        throw AnalystHandlers.invalid("overrides", "must be a list like [\"experience.threshold=70\"]");
      }
      for (JsonNode o : body.get("overrides")) {
        try {
          spec.override(o.asText());
        } catch (RuntimeException e) {
          throw AnalystHandlers.invalid("overrides", e.getMessage());
        }
      }
    }
    spec.journeyWeeks(intField(body, "journeyWeeks", 0, 0, 520));
    spec.seed(body.path("seed").asLong(1));
    spec.limit(intField(body, "limit", 0, 0, Integer.MAX_VALUE));
    spec.sampleSize(intField(body, "sampleSize", 20, 0, 1000));
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
    ApiVerticle.send(ctx, 202, ApiVerticle.JSON, new Started(id, "/v1/simulations/" + id, "/v1/simulations/" + id + "/report"));
  }

  void progress(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    SimulationProgress p = simulations.progress(id).orElseThrow(() -> notFound(id));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, p);
  }

  void list(RoutingContext ctx) {
    List<Object> out = new ArrayList<>();
    for (String id : simulations.jobs()) {
      simulations.progress(id).ifPresent(p -> out.add(java.util.Map.of("id", id, "state", p.state().name())));
    }
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, out);
  }

  /** {@code report} (JSON), {@code report.html} or {@code customers.csv} of a finished job. */
  void report(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    SimulationProgress p = simulations.progress(id).orElseThrow(() -> notFound(id));
    if (!p.state().finished()) {
      throw new ProblemException(new Problem(Problem.BLANK, "Conflict", 409, "simulation " + id + " is " + p.state() + "; the report is ready when it is DONE", List.of()));
    }
    SimulationResult r = simulations.report(id).orElseThrow(() -> new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, "simulation " + id + " ended " + p.state() + (p.error() == null ? "" : ": " + p.error()))));
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
      throw new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, "a simulation has report.json, report.html and customers.csv"));
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type).sendFile(file.toString());
  }

  private RuleSetRef side(JsonNode node, String field) {
    if (node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().equals("active"))) {
      return RuleSetRef.of(registry.source(registry.activeSequence()));
    }
    if (node.isTextual() && node.asText().equals("bundled")) {
      return RuleSetRef.bundled();
    }
    if (node.isIntegralNumber()) {
      return RuleSetRef.of(registry.source(node.asInt()));
    }
    throw new ProblemException(Problem.of(Problem.Kind.INVALID_INPUT, new FieldError(field, "must be \"active\", \"bundled\" or a version number")));
  }

  private static int intField(JsonNode body, String field, int fallback, int min, int max) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      throw AnalystHandlers.invalid(field, "must be a whole number from " + min + " to " + max);
    }
    return n.asInt();
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, "no simulation " + id));
  }
}
