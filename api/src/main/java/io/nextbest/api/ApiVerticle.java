package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The HTTP front of the engine; one instance per event loop, all sharing one {@link Services}. Every
 * route is declared in {@link #listen()}, and every one is described by the API contract
 * ({@link ApiContract}), which validates its parameters and body after the role check. Decisions,
 * events, feedback and profile reads may wait on the customer store (an fsync, a Redis round trip),
 * so they run on worker threads, as compiling and gating rule sets do.
 */
final class ApiVerticle extends VerticleBase {
  static final String JSON = "application/json";

  /** Where the agent desk's files are on the classpath. */
  static final String DESK_ROOT = "webroot/desk";

  private static final ObjectWriter WRITER = Json.mapper().writer();

  private final Services services;
  private final ApiConfig config;
  private Router router;

  private final io.nextbest.simulator.SimulationService simulations;
  private ApiContract contract;

  /** A verticle that loads the contract itself when it starts. */
  ApiVerticle(Services services, ApiConfig config) {
    this(services, config, new io.nextbest.simulator.SimulationService(), null);
  }

  /** @param contract the contract loaded once for every instance, or null to load it at start */
  ApiVerticle(Services services, ApiConfig config, io.nextbest.simulator.SimulationService simulations, ApiContract contract) {
    this.services = services;
    this.config = config;
    this.simulations = simulations;
    this.contract = contract;
  }

  /** The routes this verticle serves (for the test that checks every route's authorisation). */
  Router router() {
    return router;
  }

  @Override
  public Future<?> start() {
    Future<ApiContract> loaded = contract == null ? ApiContract.load(vertx) : Future.succeededFuture(contract);
    return loaded.compose(
        c -> {
          contract = c;
          return listen();
        });
  }

  /** Declares every route, each validated against its operation in the contract after the role check, and listens. */
  private Future<?> listen() {
    router = Router.router(vertx);
    ApiContract api = contract;
    AuthenticationHandler authenticated = services.security().authenticate();
    BodyHandler json = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    BodyHandler upload =
        BodyHandler.create(true)
            .setBodyLimit(config.maxUploadBytes())
            .setUploadsDirectory(config.dataDir().resolve("uploads").toString())
            .setDeleteUploadedFilesOnEnd(true);
    AnalystHandlers analyst = new AnalystHandlers(services.registry());
    ModelHandlers models = new ModelHandlers(services.registry());
    CustomerHandlers customers = new CustomerHandlers(services.customers(), api, services.metrics());

    router.get("/health").handler(this::health);
    router.get("/health/live").handler(this::live);
    // Asking the store may wait up to its timeout: off the event loop.
    router.get("/health/ready").blockingHandler(this::ready, false);
    router.get("/metrics").handler(this::metrics);
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(api.document().copy()));

    // The agent desk: static files, public (the page asks for the agent's key and sends it with each call).
    router.get("/desk").handler(this::deskWithSlash);
    // Browsers check back after five minutes (a day, the default, would keep an old page after an upgrade).
    router.get("/desk/*").handler(ApiVerticle::deskHeaders).handler(StaticHandler.create(DESK_ROOT).setMaxAgeSeconds(300));

    router.post("/v1/decisions").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.AGENT)).handler(customers::startDecision).handler(api.validate("decide")).blockingHandler(customers::decide, false);
    router.post("/v1/events").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.AGENT)).handler(api.validate("ingestEvents")).blockingHandler(customers::events, false);
    router.post("/v1/feedback").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.AGENT)).handler(api.validate("feedback")).blockingHandler(customers::feedback, false);
    router.get("/v1/customers").handler(authenticated).handler(Security.require(Role.AGENT)).handler(api.validate("listCustomers")).blockingHandler(customers::customerIds, false);
    router.get("/v1/customers/:id/profile").handler(authenticated).handler(Security.require(Role.AGENT)).handler(api.validate("getProfile")).blockingHandler(customers::profile, false);
    router.get("/v1/decisions/:id").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("getDecision")).blockingHandler(customers::decision, false);

    router.get("/v1/rulesets").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("listRuleSets")).handler(analyst::list);
    router.post("/v1/rulesets").handler(upload).handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("uploadRuleSet")).blockingHandler(analyst::upload, false);
    router.get("/v1/rulesets/diff").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("diffRuleSets")).handler(analyst::diff);
    router.get("/v1/rulesets/:version").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("getRuleSet")).handler(analyst::version);
    router.get("/v1/rulesets/:version/dmn.zip").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("downloadDmn")).handler(analyst::dmnZip);
    router.get("/v1/rulesets/:version/files/*").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("downloadFile")).handler(analyst::file);
    router.post("/v1/rulesets/:version/validate").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("validateRuleSet")).blockingHandler(analyst::validate, false);
    router.post("/v1/rulesets/:version/test").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("testRuleSet")).blockingHandler(analyst::test, false);
    router.post("/v1/rulesets/:version/activate").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("activateRuleSet")).blockingHandler(analyst::activate, false);
    router.post("/v1/rulesets/:version/rollback").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("rollbackRuleSet")).blockingHandler(analyst::rollback, false);
    ExperimentHandlers exps = new ExperimentHandlers(services.customers().experiments());
    router.post("/v1/experiments").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("startExperiment")).blockingHandler(exps::start, false);
    router.get("/v1/experiments/:id").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("getExperiment")).blockingHandler(exps::report, false);
    router.post("/v1/experiments/:id/promote").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("promoteExperiment")).blockingHandler(exps::promote, false);
    router.post("/v1/experiments/:id/stop").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("stopExperiment")).blockingHandler(exps::stop, false);
    router.get("/v1/audit").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("audit")).handler(analyst::audit);

    SimulationHandlers sims = new SimulationHandlers(simulations, services.registry(), config.dataDir());
    router.post("/v1/simulations").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("startSimulation")).blockingHandler(sims::start, false);
    router.get("/v1/simulations").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("listSimulations")).handler(sims::list);
    router.get("/v1/simulations/:id").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("getSimulation")).handler(sims::progress);
    router.get("/v1/simulations/:id/:kind").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("getSimulationReport")).handler(sims::report);

    router.get("/v1/models").handler(authenticated).handler(Security.require(Role.AGENT, Role.ANALYST)).handler(api.validate("listModels")).handler(models::listActive);
    router.post("/v1/models/:model/evaluate").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.AGENT, Role.ANALYST)).handler(api.validate("evaluateModel")).handler(models::evaluateActive);
    router.get("/v1/rulesets/:version/models").handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("listVersionModels")).blockingHandler(models::listVersion, false);
    router.post("/v1/rulesets/:version/models/:model/evaluate").consumes(JSON).handler(json).handler(authenticated).handler(Security.require(Role.ANALYST)).handler(api.validate("evaluateVersionModel")).blockingHandler(models::evaluateVersion, false);

    ProblemHandler problems = new ProblemHandler(router, config.maxBodyBytes(), services.metrics());
    router.route().failureHandler(problems);
    // Requests no route matched never reach a failure handler; the router hands them here instead.
    router.errorHandler(404, problems).errorHandler(405, problems).errorHandler(415, problems);

    return vertx.createHttpServer(new HttpServerOptions().setPort(config.httpPort())).requestHandler(router).listen();
  }

  private void health(RoutingContext ctx) {
    RuleSet ruleSet = services.engine().ruleSet();
    send(ctx, 200, JSON, new Health("UP", ruleSet.version(), ruleSet.ruleCount()));
  }

  /** The page's relative links resolve against {@code /desk/}, so {@code /desk} alone is sent there. */
  private void deskWithSlash(RoutingContext ctx) {
    if ("/desk".equals(ctx.normalizedPath())) {
      ctx.redirect("/desk/");
    } else {
      ctx.next();
    }
  }

  /**
   * The page loads nothing but its own files and talks to nothing but this service: the policy makes
   * the browser hold it to that (no CDN, no inline script), and it is never framed by another site.
   */
  private static void deskHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /** Live while the process serves HTTP at all: a restart is the only cure for a failure here. */
  private void live(RoutingContext ctx) {
    send(ctx, 200, JSON, new Status("UP"));
  }

  /**
   * Ready when a rule set is compiled and the customer store answers: a load balancer should send
   * decisions elsewhere otherwise (they would come back degraded, events with 503).
   */
  private void ready(RoutingContext ctx) {
    RuleSet ruleSet = services.engine().ruleSet();
    Check rules = ruleSet == null ? new Check("DOWN", null, null) : new Check("UP", ruleSet.version(), null);
    String kind = services.redis() == null ? "sqlite" : "redis";
    Check store = new Check(services.customers().store().reachable() ? "UP" : "DOWN", null, kind);
    boolean up = rules.up() && store.up();
    send(ctx, up ? 200 : 503, JSON, new Readiness(up ? "UP" : "DOWN", new Checks(rules, store)));
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, ServiceMetrics.CONTENT_TYPE).end(services.metrics().scrape());
  }

  static void send(RoutingContext ctx, int status, String contentType, Object body) {
    byte[] bytes;
    try {
      bytes = WRITER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Our records failed to encode: a bug, not the client's doing.
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(Buffer.buffer(bytes));
  }

  /** What {@code GET /health} answers. */
  record Health(String status, String ruleSetVersion, int rules) {}

  /** What {@code GET /health/live} answers. */
  record Status(String status) {}

  /** What {@code GET /health/ready} answers: UP only when every check is. */
  record Readiness(String status, Checks checks) {}

  record Checks(Check ruleSet, Check store) {}

  /**
   * @param version the active rule-set version (rule-set check only)
   * @param kind {@code sqlite} or {@code redis} (store check only)
   */
  record Check(String status, String version, String kind) {
    boolean up() {
      return "UP".equals(status);
    }
  }
}
