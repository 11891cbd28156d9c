package io.nextbest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSet;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front of the engine; one instance per event loop, all sharing one {@link Services}.
 * Every route is declared in {@link #listen()}, and every one is described by the API contract
 * ({@link ApiContract}), which validates its parameters and body after the role check. Decisions,
 * events, feedback and profile reads may wait on the customer store (an fsync, a Redis round trip),
 * so they run on worker threads, as compiling and gating rule sets do.
 */
final class ApiVerticle extends VerticleBase {
  static final String JSON = "application/json";

  /** Where the agent desk's files are on the classpath. */
  static final String DESK_ROOT = "webroot/desk";

  /** Where the analysts' studio's files are on the classpath. */
  static final String STUDIO_ROOT = "webroot/studio";

  private static final ObjectWriter WRITER = Json.mapper().writer();

  private final Services services;
  private final ApiConfig config;
  private Router router;

  private final io.nextbest.simulator.SimulationService simulations;
  private final io.nextbest.engine.library.ModelLibrary library;
  private ApiContract contract;

  /** Open connections of every verticle of the process (see {@link ConnectionGuard}). */
  private final AtomicInteger connections;

  private ConnectionGuard guard;
  private WorkerExecutor probes;

  /** A verticle that loads the contract itself when it starts. */
  ApiVerticle(Services services, ApiConfig config) {
    this(services, config, new io.nextbest.simulator.SimulationService(), null);
  }

  /**
   * @param contract the contract loaded once for every instance, or null to load it at start
   */
  ApiVerticle(
      Services services,
      ApiConfig config,
      io.nextbest.simulator.SimulationService simulations,
      ApiContract contract) {
    this(
        services,
        config,
        simulations,
        contract,
        io.nextbest.engine.library.ModelLibrary.open(services.db(), java.time.Clock.systemUTC()),
        new AtomicInteger());
  }

  /**
   * @param library the model library every instance shares
   * @param connections the process's count of open connections, shared by its verticles
   */
  ApiVerticle(
      Services services,
      ApiConfig config,
      io.nextbest.simulator.SimulationService simulations,
      ApiContract contract,
      io.nextbest.engine.library.ModelLibrary library,
      AtomicInteger connections) {
    this.library = library;
    this.connections = connections;
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
    Future<ApiContract> loaded =
        contract == null ? ApiContract.load(vertx) : Future.succeededFuture(contract);
    return loaded.compose(
        c -> {
          contract = c;
          return listen();
        });
  }

  /**
   * Declares every route, each validated against its operation in the contract after the role
   * check, and listens.
   */
  private Future<?> listen() {
    router = Router.router(vertx);
    ApiContract api = contract;
    Handler<RoutingContext> authenticated = first(services.security().authenticate());
    // Bodies are read only once the caller is known to hold the role (see first()).
    Handler<RoutingContext> json =
        body(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()), config.maxBodyBytes());
    Handler<RoutingContext> upload =
        body(
            BodyHandler.create(true)
                .setBodyLimit(config.maxUploadBytes())
                .setUploadsDirectory(config.dataDir().resolve("uploads").toString())
                .setDeleteUploadedFilesOnEnd(true),
            config.maxUploadBytes());
    AnalystHandlers analyst = new AnalystHandlers(services.registry(), services.security());
    ModelHandlers models = new ModelHandlers(services.registry(), library);
    WorkbenchHandlers workbench = new WorkbenchHandlers(services.registry(), services.customers());
    CustomerHandlers customers =
        new CustomerHandlers(services.customers(), api, services.metrics());
    RecordHandlers records = new RecordHandlers(services.customers(), services.registry());

    // Every answer, or the client leaving, lets the connection wait for its next request.
    router
        .route()
        .handler(
            ctx -> {
              ctx.addEndHandler(v -> guard.answered(ctx.request()));
              ctx.next();
            });
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(this::live);
    // Asking the store may wait up to its timeout: off the event loop.
    // Readiness asks the store, off the event loop and on a pool of its own: probes never queue
    // behind decisions.
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    // The contract, with a generated input and output schema for every model of the library
    // (reading it may wait on the store).
    router
        .get("/openapi.json")
        .blockingHandler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(LibrarySchemas.document(api.document(), library)),
            false);

    // The agent desk: static files, public (the page asks for the agent's key and sends it with
    // each call).
    router.get("/desk").handler(this::deskWithSlash);
    // Browsers check back after five minutes (a day, the default, would keep an old page after an
    // upgrade).
    router
        .get("/desk/*")
        .handler(ApiVerticle::deskHeaders)
        .handler(StaticHandler.create(DESK_ROOT).setMaxAgeSeconds(300));
    // The analysts' studio, on the same terms as the desk: public files, the page asks for the
    // analyst's key.
    router.get("/studio").handler(ctx -> withSlash(ctx, "/studio"));
    router
        .get("/studio/*")
        .handler(ApiVerticle::deskHeaders)
        .handler(StaticHandler.create(STUDIO_ROOT).setMaxAgeSeconds(300));

    router
        .post("/v1/decisions")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT))
        .handler(json)
        .handler(customers::startDecision)
        .handler(api.validate("decide"))
        .handler(customers::decideFromMemory)
        .blockingHandler(customers::decide, false);
    router
        .post("/v1/events")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT))
        .handler(json)
        .handler(api.validate("ingestEvents"))
        .blockingHandler(customers::events, false);
    router
        .post("/v1/feedback")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT))
        .handler(json)
        .handler(api.validate("feedback"))
        .blockingHandler(customers::feedback, false);
    router
        .get("/v1/customers")
        .handler(authenticated)
        .handler(Security.require(Role.AGENT))
        .handler(api.validate("listCustomers"))
        .blockingHandler(customers::customerIds, false);
    router
        .get("/v1/customers/:id/profile")
        .handler(authenticated)
        .handler(Security.require(Role.AGENT))
        .handler(api.validate("getProfile"))
        .blockingHandler(customers::profile, false);
    router
        .get("/v1/decisions/:id")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getDecision"))
        .blockingHandler(customers::decision, false);
    router
        .post("/v1/decisions/:id/replay")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("replayDecision"))
        .blockingHandler(records::replay, false);
    // A data-protection request's reads are the analyst's; an export or an erasure only an admin's.
    router
        .get("/v1/customers/:id/events")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getCustomerEvents"))
        .blockingHandler(records::events, false);
    router
        .get("/v1/customers/:id/ledger")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getCustomerLedger"))
        .blockingHandler(records::ledger, false);
    router
        .get("/v1/customers/:id/export")
        .handler(authenticated)
        .handler(Security.require())
        .handler(api.validate("exportCustomer"))
        .blockingHandler(records::export, false);
    router
        .delete("/v1/customers/:id")
        .handler(authenticated)
        .handler(Security.require())
        .handler(api.validate("eraseCustomer"))
        .blockingHandler(records::erase, false);

    router
        .get("/v1/rulesets")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("listRuleSets"))
        .handler(analyst::list);
    // A refused upload is audited with its sender (uploadRefused) before the failure handler
    // answers.
    router
        .post("/v1/rulesets")
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(upload)
        .handler(api.validate("uploadRuleSet"))
        .blockingHandler(analyst::upload, false)
        .failureHandler(analyst::uploadRefused);
    router
        .get("/v1/rulesets/diff")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("diffRuleSets"))
        .blockingHandler(analyst::diff, false);
    router
        .get("/v1/rulesets/:version")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getRuleSet"))
        .handler(analyst::version);
    router
        .get("/v1/rulesets/:version/dmn.zip")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("downloadDmn"))
        .handler(analyst::dmnZip);
    router
        .get("/v1/rulesets/:version/files/*")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("downloadFile"))
        .handler(analyst::file);
    router
        .post("/v1/rulesets/:version/validate")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("validateRuleSet"))
        .blockingHandler(analyst::validate, false);
    router
        .post("/v1/rulesets/:version/test")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("testRuleSet"))
        .blockingHandler(analyst::test, false);
    router
        .post("/v1/rulesets/:version/activate")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("activateRuleSet"))
        .blockingHandler(analyst::activate, false);
    router
        .post("/v1/rulesets/:version/rollback")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("rollbackRuleSet"))
        .blockingHandler(analyst::rollback, false);
    router
        .get("/v1/rulesets/:version/coverage")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("ruleSetCoverage"))
        .blockingHandler(workbench::coverage, false);
    router
        .post("/v1/rulesets/:version/preview")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(json)
        .handler(api.validate("previewRuleSet"))
        .blockingHandler(workbench::preview, false);
    router
        .post("/v1/rulesets/:version/offline-evaluation")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(json)
        .handler(api.validate("offlineEvaluation"))
        .blockingHandler(workbench::offlineEvaluation, false);
    ExperimentHandlers exps = new ExperimentHandlers(services.customers().experiments());
    router
        .post("/v1/experiments")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(json)
        .handler(api.validate("startExperiment"))
        .blockingHandler(exps::start, false);
    router
        .get("/v1/experiments/:id")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getExperiment"))
        .blockingHandler(exps::report, false);
    router
        .post("/v1/experiments/:id/promote")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("promoteExperiment"))
        .blockingHandler(exps::promote, false);
    router
        .post("/v1/experiments/:id/stop")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("stopExperiment"))
        .blockingHandler(exps::stop, false);
    router
        .get("/v1/audit")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("audit"))
        .handler(analyst::audit);

    SimulationHandlers sims =
        new SimulationHandlers(simulations, services.registry(), config.dataDir());
    router
        .post("/v1/simulations")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(json)
        .handler(api.validate("startSimulation"))
        .blockingHandler(sims::start, false);
    router
        .get("/v1/simulations")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("listSimulations"))
        .handler(sims::list);
    router
        .get("/v1/simulations/:id")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getSimulation"))
        .handler(sims::progress);
    router
        .get("/v1/simulations/:id/:kind")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("getSimulationReport"))
        .handler(sims::report);

    router
        .get("/v1/models")
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(api.validate("listModels"))
        .handler(models::listActive);
    router
        .post("/v1/models/:model/evaluate")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(json)
        .handler(api.validate("evaluateModel"))
        .blockingHandler(models::evaluateActive, false);
    router
        .get("/v1/rulesets/:version/models")
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(api.validate("listVersionModels"))
        .blockingHandler(models::listVersion, false);
    router
        .post("/v1/rulesets/:version/models/:model/evaluate")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(json)
        .handler(api.validate("evaluateVersionModel"))
        .blockingHandler(models::evaluateVersion, false);

    // The model library: standalone models, versioned and evaluated apart from the live rule set.
    router
        .get("/v1/library")
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(api.validate("listLibrary"))
        .blockingHandler(models::libraryList, false);
    router
        .post("/v1/library")
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.ANALYST))
        .handler(upload)
        .handler(api.validate("uploadLibraryModel"))
        .blockingHandler(models::libraryUpload, false);
    router
        .get("/v1/library/:model")
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(api.validate("getLibraryModel"))
        .blockingHandler(models::libraryModel, false);
    router
        .post("/v1/library/:model/evaluate")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(json)
        .handler(api.validate("evaluateLibraryModel"))
        .blockingHandler(models::libraryEvaluate, false);
    // Kogito's generated routes, for clients written against them.
    router
        .post("/models/:model")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(json)
        .handler(api.validate("kogitoEvaluate"))
        .blockingHandler(models::kogitoContext, false);
    router
        .post("/models/:model/dmnresult")
        .consumes(JSON)
        .handler(PAUSE)
        .handler(authenticated)
        .handler(Security.require(Role.AGENT, Role.ANALYST))
        .handler(json)
        .handler(api.validate("kogitoDmnResult"))
        .blockingHandler(models::kogitoResult, false);

    ProblemHandler problems =
        new ProblemHandler(
            router, config.maxBodyBytes(), services.metrics(), services.security().challenge());
    router.route().failureHandler(problems);
    // Requests no route matched never reach a failure handler; the router hands them here instead.
    router.errorHandler(404, problems).errorHandler(405, problems).errorHandler(415, problems);

    probes = vertx.createSharedWorkerExecutor("nba-probes", 1);
    guard =
        new ConnectionGuard(
            vertx, connections, config.maxConnections(), config.readTimeoutSeconds() * 1_000L);
    HttpServerOptions options =
        new HttpServerOptions()
            .setPort(config.httpPort())
            // HTTP/1.1 only: with cleartext HTTP/2 on, the server sniffs the first bytes for its
            // preface before it tells the connection handler, so a client that never finishes its
            // head would never reach the read timeout.
            .setHttp2ClearTextEnabled(false)
            // A connection with no bytes either way for twice the read timeout is gone.
            .setIdleTimeout(2 * config.readTimeoutSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx
        .createHttpServer(options)
        .connectionHandler(guard::opened)
        .requestHandler(guard.requests(this::route))
        .listen();
  }

  /**
   * A path with a broken percent escape ({@code %ZZ}, a lone {@code %}) cannot be routed: the
   * router would throw while normalising it and log an error for what is the client's mistake.
   */
  private void route(io.vertx.core.http.HttpServerRequest request) {
    String path = request.path();
    if (path != null && brokenEscape(path)) {
      Problem problem =
          new Problem(
              Problem.BLANK,
              "Bad Request",
              400,
              "The request path has a broken percent escape; encode '%' as %25.",
              java.util.List.of());
      services.metrics().problem(problem);
      try {
        request
            .response()
            .setStatusCode(400)
            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
            .end(Buffer.buffer(WRITER.writeValueAsBytes(problem)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    router.handle(request);
  }

  private static boolean brokenEscape(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length()
          || Character.digit(path.charAt(i + 1), 16) < 0
          || Character.digit(path.charAt(i + 2), 16) < 0) {
        return true;
      }
    }
    return false;
  }

  private void deleteUploads(RoutingContext ctx) {
    ctx.fileUploads()
        .forEach(f -> vertx.fileSystem().delete(f.uploadedFileName()).onFailure(gone -> {}));
  }

  /** Holds the request's bytes until a body handler asks for them (authentication comes first). */
  private static final Handler<RoutingContext> PAUSE =
      ctx -> {
        ctx.request().pause();
        ctx.next();
      };

  /**
   * Authentication ahead of the body: Vert.x Web wants a body handler before an authentication
   * handler and refuses the other order, which would have every anonymous request buffer its body
   * (or write its upload to disk) before its 401. Wrapped as a plain handler, the order is ours;
   * the request stays paused until {@link #body} reads it.
   */
  private static Handler<RoutingContext> first(AuthenticationHandler authentication) {
    return authentication::handle;
  }

  /**
   * A body handler in a chain after the role check, telling the failure handler its limit for a
   * 413. The body handler deletes uploaded files when the request was read whole; a request that
   * never ends (timed out, connection lost mid-part) leaves them, and parts arriving after an early
   * answer add more, so they are deleted when the answer ends and again once nothing more of the
   * request can arrive (see {@link ConnectionGuard#afterRequest}).
   */
  private Handler<RoutingContext> body(BodyHandler handler, long limit) {
    return ctx -> {
      ctx.put(ProblemHandler.BODY_LIMIT, limit);
      ctx.addEndHandler(
          v -> {
            deleteUploads(ctx);
            // A body still arriving after an early answer (a 400 for too many parts) may add files.
            guard.afterRequest(ctx.request(), () -> deleteUploads(ctx));
          });
      handler.handle(ctx);
    };
  }

  private void health(RoutingContext ctx) {
    RuleSet ruleSet = services.engine().ruleSet();
    send(ctx, 200, JSON, new Health("UP", ruleSet.version(), ruleSet.ruleCount()));
  }

  /** As {@link #deskWithSlash}, for another page. */
  private static void withSlash(RoutingContext ctx, String page) {
    if (page.equals(ctx.normalizedPath())) {
      ctx.redirect(page + "/");
    } else {
      ctx.next();
    }
  }

  /**
   * The page's relative links resolve against {@code /desk/}, so {@code /desk} alone is sent there.
   */
  private void deskWithSlash(RoutingContext ctx) {
    if ("/desk".equals(ctx.normalizedPath())) {
      ctx.redirect("/desk/");
    } else {
      ctx.next();
    }
  }

  /**
   * The page loads nothing but its own files and talks to nothing but this service: the policy
   * makes the browser hold it to that (no CDN, no inline script), and it is never framed by another
   * site.
   */
  private static void deskHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /** Live while the process serves HTTP at all: a restart is the only cure for a failure here. */
  private void live(RoutingContext ctx) {
    send(ctx, 200, JSON, new Status("UP"));
  }

  /**
   * Ready when a rule set is compiled, the customer store answers, the start's warm-up (if any) is
   * done and the Kafka consumer (if any) runs and reaches its brokers: a load balancer should send
   * decisions elsewhere otherwise (they would come back degraded, events with 503, or cost several
   * times their steady-state price).
   */
  private void ready(RoutingContext ctx) {
    // Asking the store may wait up to its timeout: off the event loop, on the probes' own thread.
    probes
        .executeBlocking(this::readiness, false)
        .onSuccess(r -> send(ctx, r.status().equals("UP") ? 200 : 503, JSON, r))
        .onFailure(ctx::fail);
  }

  private Readiness readiness() {
    RuleSet ruleSet = services.engine().ruleSet();
    Check rules =
        ruleSet == null
            ? new Check("DOWN", null, null, null)
            : new Check("UP", ruleSet.version(), null, null);
    String kind = services.redis() == null ? "sqlite" : "redis";
    Check store =
        new Check(services.customers().store().reachable() ? "UP" : "DOWN", null, kind, null);
    // Only when the start warms up: without it the answer is what it always was.
    Check warmUp = null;
    if (services.warmUp().config().decisions() > 0) {
      String pending = services.warmUp().pending();
      warmUp = new Check(pending == null ? "UP" : "DOWN", null, null, pending);
    }
    // Only with events.kafka.* set, once the consumer is started.
    Check kafka = null;
    KafkaEvents consumer = services.kafka().get();
    if (consumer != null) {
      String problem = consumer.problem();
      kafka = new Check(problem == null ? "UP" : "DOWN", null, null, problem);
    }
    boolean up =
        rules.up()
            && store.up()
            && (warmUp == null || warmUp.up())
            && (kafka == null || kafka.up());
    return new Readiness(up ? "UP" : "DOWN", new Checks(rules, store, warmUp, kafka));
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, ServiceMetrics.CONTENT_TYPE)
        .end(services.metrics().scrape());
  }

  /**
   * The agent's answer: a decision without the evidence values ({@code ?verbose=true} has them).
   */
  private static final ObjectWriter COMPACT =
      WRITER.withView(io.nextbest.engine.model.Views.Compact.class);

  static void send(RoutingContext ctx, int status, String contentType, Object body) {
    send(ctx, status, contentType, encode(body));
  }

  /** An answer's body as {@link #send(RoutingContext, int, String, Object)} writes it. */
  static byte[] encode(Object body) {
    return encode(body, WRITER);
  }

  /**
   * A decision's answer: the compact view unless the request asks {@code verbose=true}. These are
   * the bytes the audit trail keeps (a replay gives back the evidence).
   */
  static byte[] encodeDecision(RoutingContext ctx, Object decision) {
    boolean verbose = "true".equalsIgnoreCase(ctx.request().getParam("verbose"));
    return encode(decision, verbose ? WRITER : COMPACT);
  }

  private static byte[] encode(Object body, ObjectWriter writer) {
    try {
      return writer.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Our records failed to encode: a bug, not the client's doing.
      throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
    }
  }

  static void send(RoutingContext ctx, int status, String contentType, byte[] bytes) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .end(Buffer.buffer(bytes));
  }

  /** What {@code GET /health} answers. */
  record Health(String status, String ruleSetVersion, int rules) {}

  /** What {@code GET /health/live} answers. */
  record Status(String status) {}

  /** What {@code GET /health/ready} answers: UP only when every check is. */
  record Readiness(String status, Checks checks) {}

  /**
   * @param warmUp present only when the start warms up (see {@link WarmUp})
   * @param kafka present only when customer events come from Kafka (see {@link
   *     KafkaEvents#problem()})
   */
  record Checks(Check ruleSet, Check store, Check warmUp, Check kafka) {}

  /**
   * @param version the active rule-set version (rule-set check only)
   * @param kind {@code sqlite} or {@code redis} (store check only)
   * @param reason why it is DOWN ({@code warming up: 1200 of 200000 decisions}; warm-up and Kafka
   *     checks only)
   */
  record Check(String status, String version, String kind, String reason) {
    boolean up() {
      return "UP".equals(status);
    }
  }
}
