package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.AuditEntry;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SemanticDiff;
import io.nextbest.engine.registry.VersionInfo;
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
import java.util.Iterator;
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

  AnalystHandlers(RuleSetRegistry registry) {
    this.registry = registry;
  }

  /** A version as listed: its record, its label and whether it is the one deciding now. */
  record VersionView(int sequence, String label, String hash, String author, java.time.Instant createdAt, String comment, Integer basedOn, String origin, boolean active) {
    static VersionView of(VersionInfo v, int active) {
      return new VersionView(v.sequence(), v.label(), v.hash(), v.author(), v.createdAt(), v.comment(), v.basedOn(), v.origin(), v.sequence() == active);
    }
  }

  record Versions(int active, List<VersionView> versions) {}

  record VersionDetail(VersionView version, List<String> files) {}

  record Validation(int version, boolean compiles, boolean valid, long compileMillis, List<RuleSetMessage> messages) {}

  record TestRun(int version, boolean passed, int total, long failed, long millis, List<ScenarioResult> scenarios) {}

  record Activation(int version, String label, String action, Validation validation, TestRun tests) {}

  void list(RoutingContext ctx) {
    int active = registry.activeSequence();
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new Versions(active, registry.versions().stream().map(v -> VersionView.of(v, active)).toList()));
  }

  void version(RoutingContext ctx) {
    int v = version(ctx, "version");
    RuleSetSource source = registry.source(v);
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new VersionDetail(VersionView.of(registry.version(v), registry.activeSequence()), List.copyOf(source.paths())));
  }

  void file(RoutingContext ctx) {
    int v = version(ctx, "version");
    String path = ctx.pathParam("*");
    RuleSetSource source = registry.source(v);
    if (path == null || !source.has(path)) {
      throw new ProblemException(Problem.of(Problem.Kind.NOT_FOUND, "version " + v + " has no file " + path + "; it has " + source.paths()));
    }
    String type = path.endsWith(".dmn") ? "application/xml" : path.endsWith(".json") ? ApiVerticle.JSON : "text/plain; charset=utf-8";
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader("Content-Disposition", "attachment; filename=\"" + path.substring(path.lastIndexOf('/') + 1) + "\"")
        .end(Buffer.buffer(source.bytes(path)));
  }

  /** Every DMN model of a version in one zip, ready to open in the DMN editor. */
  void dmnZip(RoutingContext ctx) {
    int v = version(ctx, "version");
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
    String contentType = String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(java.util.Locale.ROOT);
    Map<String, byte[]> files = new LinkedHashMap<>();
    Integer basedOn = optionalInt(ctx.request().getParam("basedOn"), "basedOn");
    String comment = ctx.request().getParam("comment");
    if (contentType.startsWith("application/xml") || contentType.startsWith("text/xml")) {
      String path = ctx.request().getParam("path");
      if (path == null || path.isBlank()) {
        throw invalid("path", "is required for a raw XML upload, e.g. ?path=dmn/contact-policy.dmn");
      }
      files.put(path, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } else if (contentType.startsWith("multipart/form-data")) {
      for (FileUpload f : ctx.fileUploads()) {
        String name = f.name() != null && (f.name().startsWith("dmn/") || f.name().startsWith("scenarios/")) ? f.name() : byExtension(f.fileName());
        try {
          files.put(name, Files.readAllBytes(Path.of(f.uploadedFileName())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      basedOn = basedOn != null ? basedOn : optionalInt(ctx.request().getFormAttribute("basedOn"), "basedOn");
      comment = comment != null ? comment : ctx.request().getFormAttribute("comment");
    } else if (contentType.startsWith(ApiVerticle.JSON)) {
      JsonNode body;
      try {
        body = Json.mapper().readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      } catch (IOException e) {
        throw new ProblemException(Problems.unreadable(e));
      }
      if (body == null || !body.isObject() || !body.path("files").isObject()) {
        throw invalid("files", "must be an object mapping file paths to their text");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = body.get("files").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw invalid("files." + e.getKey(), "must be the file's text");
        }
        files.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8));
      }
      if (body.has("basedOn")) {
        if (!body.get("basedOn").canConvertToInt() || !body.get("basedOn").isIntegralNumber()) {
          throw invalid("basedOn", "must be a version number");
        }
        basedOn = body.get("basedOn").asInt();
      }
      if (body.hasNonNull("comment")) {
        comment = body.get("comment").asText();
      }
    } else {
      throw new ProblemException(Problems.unsupportedMediaType(contentType));
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

  void validate(RoutingContext ctx) {
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, validation(registry.gate(version(ctx, "version"))));
  }

  void test(RoutingContext ctx) {
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, tests(registry.gate(version(ctx, "version"))));
  }

  void activate(RoutingContext ctx) {
    int v = version(ctx, "version");
    GateReport gate = registry.activate(v, Security.actor(ctx));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new Activation(v, registry.version(v).label(), "activate", validation(gate), tests(gate)));
  }

  void rollback(RoutingContext ctx) {
    int v = version(ctx, "version");
    if (v >= registry.activeSequence()) {
      throw invalid("version", "a rollback goes to an earlier version than the active v" + registry.activeSequence() + "; use activate for later ones");
    }
    GateReport gate = registry.rollback(v, Security.actor(ctx));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new Activation(v, registry.version(v).label(), "rollback", validation(gate), tests(gate)));
  }

  void diff(RoutingContext ctx) {
    Integer from = optionalInt(ctx.request().getParam("from"), "from");
    Integer to = optionalInt(ctx.request().getParam("to"), "to");
    if (from == null || to == null) {
      throw invalid(from == null ? "from" : "to", "is required: /v1/rulesets/diff?from=1&to=2");
    }
    SemanticDiff.Result diff = registry.diff(from, to);
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, diff);
  }

  void audit(RoutingContext ctx) {
    Integer limit = optionalInt(ctx.request().getParam("limit"), "limit");
    int n = limit == null ? 100 : limit;
    if (n < 1 || n > 1000) {
      throw invalid("limit", "must be between 1 and 1000");
    }
    List<AuditEntry> entries = registry.audit(n);
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, entries);
  }

  private static Validation validation(GateReport g) {
    boolean valid = g.compiles() && g.messages().stream().noneMatch(RuleSetMessage::error);
    return new Validation(g.version(), g.compiles(), valid, g.compileTime().toMillis(), g.messages());
  }

  private static TestRun tests(GateReport g) {
    List<ScenarioResult> scenarios = new ArrayList<>(g.scenarios());
    return new TestRun(g.version(), g.scenariosPass(), scenarios.size(), g.failedScenarios(), g.scenarioTime().toMillis(), scenarios);
  }

  private static String byExtension(String fileName) {
    String name = fileName == null ? "" : Path.of(fileName).getFileName().toString();
    if (name.endsWith(".dmn")) {
      return "dmn/" + name;
    }
    if (name.endsWith(".json")) {
      return "scenarios/" + name;
    }
    throw invalid(name, "is neither a .dmn model nor a .json scenario file");
  }

  static int version(RoutingContext ctx, String param) {
    Integer v = optionalInt(ctx.pathParam(param), param);
    if (v == null || v < 1) {
      throw invalid(param, "must be a version number (1, 2, ...)");
    }
    return v;
  }

  private static Integer optionalInt(String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw invalid(field, "must be a whole number, was '" + text + "'");
    }
  }

  static ProblemException invalid(String field, String message) {
    return new ProblemException(Problem.of(Problem.Kind.INVALID_INPUT, new FieldError(field, message)));
  }
}
