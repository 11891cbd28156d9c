package io.nextbest.api;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.AuditEntry;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SemanticDiff;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.scenario.Coverage;
import io.nextbest.engine.scenario.ScenarioResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Analysts' handlers over the rule-set registry: list and download versions, upload changed DMN,
 * validate, test, activate, roll back, diff, read the audit log. Thin: parse, call, encode.
 */
final class AnalystHandlers {
  private final RuleSetRegistry registry;
  private final Security security;

  AnalystHandlers(RuleSetRegistry registry, Security security) {
    this.registry = registry;
    this.security = security;
  }

  /** A version as listed: its record, its label and whether it is the one deciding now. */
  record VersionView(
      int sequence,
      String label,
      String hash,
      String author,
      java.time.Instant createdAt,
      String comment,
      Integer basedOn,
      String origin,
      boolean active) {
    static VersionView of(VersionInfo v, int active) {
      return new VersionView(
          v.sequence(),
          v.label(),
          v.hash(),
          v.author(),
          v.createdAt(),
          v.comment(),
          v.basedOn(),
          v.origin(),
          v.sequence() == active);
    }
  }

  record Versions(int active, List<VersionView> versions) {}

  record VersionDetail(VersionView version, List<String> files) {}

  /**
   * @param strict whether warnings count against {@code valid} (asked with {@code ?strict=true})
   * @param coverage the rows its scenarios select and those none does; null when it does not
   *     compile
   */
  record Validation(
      int version,
      boolean compiles,
      boolean valid,
      long compileMillis,
      List<RuleSetMessage> messages,
      Boolean strict,
      Coverage coverage) {}

  record TestRun(
      int version,
      boolean passed,
      int total,
      long failed,
      long millis,
      List<ScenarioResult> scenarios) {}

  record Activation(
      int version, String label, String action, Validation validation, TestRun tests) {}

  void list(RoutingContext ctx) {
    int active = registry.activeSequence();
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Versions(
            active, registry.versions().stream().map(v -> VersionView.of(v, active)).toList()));
  }

  void version(RoutingContext ctx) {
    int v = sequence(ctx);
    RuleSetSource source = registry.source(v);
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new VersionDetail(
            VersionView.of(registry.version(v), registry.activeSequence()),
            List.copyOf(source.paths())));
  }

  void file(RoutingContext ctx) {
    int v = sequence(ctx);
    String path = ctx.pathParam("*");
    RuleSetSource source = registry.source(v);
    if (path == null || !source.has(path)) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.NOT_FOUND,
              "version " + v + " has no file " + path + "; it has " + source.paths()));
    }
    String type =
        path.endsWith(".dmn")
            ? "application/xml"
            : path.endsWith(".json") ? ApiVerticle.JSON : "text/plain; charset=utf-8";
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader(
            "Content-Disposition",
            "attachment; filename=\"" + path.substring(path.lastIndexOf('/') + 1) + "\"")
        .end(Buffer.buffer(source.bytes(path)));
  }

  /** Every DMN model of a version in one zip, ready to open in the DMN editor. */
  void dmnZip(RoutingContext ctx) {
    int v = sequence(ctx);
    RuleSetSource source = registry.source(v);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String path : source.list("dmn", ".dmn")) {
        zip.putNextEntry(new ZipEntry(path));
        zip.write(source.bytes(path));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/zip")
        .putHeader("Content-Disposition", "attachment; filename=\"ruleset-v" + v + "-dmn.zip\"")
        .end(Buffer.buffer(bytes.toByteArray()));
  }

  /**
   * A new candidate version from changed files, as raw XML ({@code ?path=dmn/x.dmn}), multipart
   * (each file under its form name, or by extension into {@code dmn/} or {@code scenarios/}), or
   * JSON {@code {"files": {"dmn/x.dmn": "<xml>"}, "basedOn": 3, "comment": "..."}}.
   */
  void upload(RoutingContext ctx) {
    String contentType =
        String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))
            .toLowerCase(java.util.Locale.ROOT);
    Map<String, byte[]> files = new LinkedHashMap<>();
    Integer basedOn = versionOrNull(ctx.request().getParam("basedOn"), "basedOn");
    String comment = ctx.request().getParam("comment");
    if (contentType.startsWith("application/xml") || contentType.startsWith("text/xml")) {
      String path = ctx.request().getParam("path");
      if (path == null || path.isBlank()) {
        throw invalid(
            "path", "is required for a raw XML upload, e.g. ?path=dmn/contact-policy.dmn");
      }
      files.put(path, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } else if (contentType.startsWith("multipart/form-data")) {
      for (FileUpload f : ctx.fileUploads()) {
        // A form name that is a path is the file's path; otherwise its extension places it. Either
        // way the registry judges the path, so a DRL is refused here as it is raw or in JSON (403).
        String name =
            f.name() != null && f.name().contains("/") ? f.name() : byExtension(f.fileName());
        try {
          files.put(name, Files.readAllBytes(Path.of(f.uploadedFileName())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      basedOn =
          basedOn != null
              ? basedOn
              : versionOrNull(ctx.request().getFormAttribute("basedOn"), "basedOn");
      comment = comment != null ? comment : ctx.request().getFormAttribute("comment");
    } else {
      // JSON, the only other type the contract lets through, already checked against RuleSetUpload.
      Upload upload = JsonBodies.read(ctx, UPLOAD, "the changed files");
      upload
          .files()
          .forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
      basedOn =
          upload.basedOn() != null
              ? Integer.valueOf(version(registry, String.valueOf(upload.basedOn()), "basedOn"))
              : basedOn;
      comment = upload.comment() != null ? upload.comment() : comment;
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      if (f.getValue().length == 0) {
        throw invalid(f.getKey(), "is empty");
      }
    }
    VersionInfo v = registry.upload(files, basedOn, Security.actor(ctx), comment);
    ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/rulesets/" + v.sequence());
    ApiVerticle.send(ctx, 201, ApiVerticle.JSON, VersionView.of(v, registry.activeSequence()));
  }

  /** A JSON upload as the contract's RuleSetUpload describes it. */
  record Upload(Map<String, String> files, Object basedOn, String comment) {}

  private static final com.fasterxml.jackson.databind.ObjectReader UPLOAD =
      JsonBodies.reader(Upload.class);

  void validate(RoutingContext ctx) {
    int v = sequence(ctx);
    GateReport gate = registry.gate(v);
    boolean strict = "true".equals(ctx.request().getParam("strict"));
    Validation plain = validation(gate);
    boolean valid = plain.valid() && (!strict || gate.messages().isEmpty());
    Coverage coverage = gate.compiles() ? registry.coverage(v) : null;
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Validation(
            plain.version(),
            plain.compiles(),
            valid,
            plain.compileMillis(),
            plain.messages(),
            strict,
            coverage));
  }

  void test(RoutingContext ctx) {
    GateReport gate = registry.gate(sequence(ctx));
    if (!gate.compiles()) {
      // No scenario can run on a version that does not compile: say why rather than "0 of 0
      // passed".
      throw new ProblemException(
          Problem.of(
              Problem.Kind.GATE_FAILED,
              "version "
                  + gate.version()
                  + " does not compile, so its scenarios cannot run; fix the errors listed (POST /v1/rulesets/"
                  + gate.version()
                  + "/validate)",
              Problems.gateErrors(gate)));
    }
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, tests(gate));
  }

  void activate(RoutingContext ctx) {
    int v = sequence(ctx);
    boolean changedRowsCovered = "true".equals(ctx.request().getParam("requireChangedRowsCovered"));
    GateReport gate = registry.activate(v, Security.actor(ctx), changedRowsCovered);
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Activation(v, registry.version(v).label(), "activate", validation(gate), tests(gate)));
  }

  void rollback(RoutingContext ctx) {
    int v = sequence(ctx);
    if (v >= registry.activeSequence()) {
      throw invalid(
          "version",
          "a rollback goes to an earlier version than the active v"
              + registry.activeSequence()
              + "; use activate for later ones");
    }
    GateReport gate = registry.rollback(v, Security.actor(ctx));
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Activation(v, registry.version(v).label(), "rollback", validation(gate), tests(gate)));
  }

  void diff(RoutingContext ctx) {
    // Both are required by the contract.
    SemanticDiff.Result diff =
        registry.diff(
            versionOrNull(ctx.request().getParam("from"), "from"),
            versionOrNull(ctx.request().getParam("to"), "to"));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, diff);
  }

  void audit(RoutingContext ctx) {
    Integer limit = integer(ctx.request().getParam("limit"));
    List<AuditEntry> entries = registry.audit(limit == null ? 100 : limit);
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, entries);
  }

  private static Validation validation(GateReport g) {
    boolean valid = g.compiles() && g.messages().stream().noneMatch(RuleSetMessage::error);
    return new Validation(
        g.version(), g.compiles(), valid, g.compileTime().toMillis(), g.messages(), null, null);
  }

  private static TestRun tests(GateReport g) {
    List<ScenarioResult> scenarios = new ArrayList<>(g.scenarios());
    return new TestRun(
        g.version(),
        g.scenariosPass(),
        scenarios.size(),
        g.failedScenarios(),
        g.scenarioTime().toMillis(),
        scenarios);
  }

  /**
   * Where a file sent without a path goes: {@code dmn/} or {@code scenarios/} by extension, else
   * its bare name (which the registry refuses).
   */
  private static String byExtension(String fileName) {
    String name = fileName == null ? "" : Path.of(fileName).getFileName().toString();
    if (name.endsWith(".dmn")) {
      return "dmn/" + name;
    }
    if (name.endsWith(".json")) {
      return "scenarios/" + name;
    }
    return name;
  }

  /**
   * On the upload route, before the failure handler answers: a refused upload (too large,
   * unreadable, no files, an empty file) goes to the audit log with who sent it. An upload over the
   * size limit is refused before authentication runs, so its sender is identified from its
   * credentials here. Refusals the registry makes it logs itself; a 401 or 403 is about the caller,
   * not the upload, and requests without valid credentials are not logged (anyone could fill the
   * log).
   */
  void uploadRefused(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = failure instanceof ProblemException p ? p.problem().status() : ctx.statusCode();
    if (failure instanceof io.nextbest.engine.registry.RegistryException
        || status == 401
        || status == 403) {
      ctx.next();
      return;
    }
    String detail =
        failure instanceof ProblemException p
            ? p.problem().detail()
            : status == 413
                ? "the upload is larger than the upload limit"
                : String.valueOf(failure);
    io.vertx.core.Future<String> actor =
        ctx.user() != null
            ? io.vertx.core.Future.succeededFuture(Security.actor(ctx))
            : security.identify(ctx).map(u -> u.principal().getString("sub", "unknown"));
    actor
        .compose(
            who ->
                ctx.vertx()
                    .executeBlocking(
                        () -> {
                          registry.record(who, "upload-refused", status + ": " + detail);
                          return null;
                        },
                        false))
        .onComplete(
            done -> {
              if (done.failed()
                  && !(done.cause() instanceof io.vertx.ext.web.handler.HttpException)) {
                org.slf4j.LoggerFactory.getLogger(AnalystHandlers.class)
                    .warn("a refused upload could not be audited: {}", done.cause().getMessage());
              }
              ctx.next();
            });
  }

  /**
   * The {@code version} path parameter as a sequence number (see {@link #version(RuleSetRegistry,
   * String, String)}).
   */
  int sequence(RoutingContext ctx) {
    return version(registry, ctx.pathParam("version"), "version");
  }

  /**
   * A version id as a sequence number: the number itself ({@code 3}) or the label every decision
   * reports ({@code v3-3f9a2c1b07de}), which must name that version's content. The contract has
   * checked the shape; anything else is still refused here with 400, never a 500.
   */
  static int version(RuleSetRegistry registry, String id, String field) {
    java.util.regex.Matcher m = VERSION_ID.matcher(id == null ? "" : id);
    if (!m.matches()) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.INVALID_TYPE,
              new FieldError(
                  field,
                  "must be a version number (3) or label (v3-3f9a2c1b07de), was \""
                      + clip(id)
                      + "\"")));
    }
    int sequence = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    if (m.group(3) != null && !registry.version(sequence).label().equals(id)) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.UNKNOWN_VERSION,
              "no rule-set version labelled "
                  + id
                  + "; version "
                  + sequence
                  + " is "
                  + registry.version(sequence).label()));
    }
    return sequence;
  }

  /** A version number, or a label {@code v<number>-<12 hex digits of its content hash>}. */
  static final java.util.regex.Pattern VERSION_ID =
      java.util.regex.Pattern.compile("^(?:([1-9][0-9]{0,8})|v([1-9][0-9]{0,8})-([0-9a-f]{12}))$");

  private Integer versionOrNull(String text, String field) {
    return text == null || text.isBlank() ? null : version(registry, text.strip(), field);
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** A query or form value the contract has checked is a whole number, or null when absent. */
  private static Integer integer(String text) {
    return text == null || text.isBlank() ? null : Integer.valueOf(text.strip());
  }

  static ProblemException invalid(String field, String message) {
    return new ProblemException(
        Problem.of(Problem.Kind.INVALID_INPUT, new FieldError(field, message)));
  }
}
