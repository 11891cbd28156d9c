package io.nextbest.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Segment;
import io.nextbest.engine.model.Severity;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidatorFactory;
import org.kie.kogito.dmn.DMNKogito;

/**
 * The analyst-owned DMN models of one rule-set version (Kogito DMN runtime): quadrant
 * classification (G5), quadrant strategy (G6, G16), contact policy (G9) and the gap policy's
 * windows and thresholds (G3, G4, G15). The decisions are pure functions of a few inputs, so their
 * results are memoised per version: the strategy table for each quadrant once at compile time, the
 * other two in bounded caches keyed by the inputs at the precision the engine rounds indices to
 * (0.1).
 */
final class DmnPolicies {
  static final String CLASSIFICATION = "Quadrant Classification";
  static final String STRATEGY = "Quadrant Strategy";
  static final String CONTACT = "Contact Policy";
  static final String GAPS = "Gap Policy";

  /** Outreach limits from the contact policy table. */
  record ContactLimits(int max7Days, int max30Days) {}

  private record SegmentKey(long experience, long engagement) {}

  private record LimitsKey(Quadrant quadrant, long experience) {}

  private final DMNRuntime runtime;
  private final Map<String, DMNModel> models;
  private final boolean memoise;
  private final Map<Quadrant, Map<ActionFamily, Double>> strategy = new EnumMap<>(Quadrant.class);
  private final Cache<SegmentKey, Segment> segments;
  private final Cache<LimitsKey, ContactLimits> limits;
  private GapPolicy gapPolicy;

  /**
   * What the memo keys an index by: the interval it falls in among the numbers the tables compare
   * it with, so every value of one level shares an entry; null keys by value (tenths).
   */
  private IndexBreakpoints experienceLevels;

  private IndexBreakpoints engagementLevels;

  private DmnPolicies(DMNRuntime runtime, boolean memoise) {
    this.runtime = runtime;
    runtime.addListener(MatchedRows.LISTENER);
    Map<String, DMNModel> byName = new java.util.HashMap<>();
    for (DMNModel m : runtime.getModels()) {
      byName.put(m.getName(), m);
    }
    this.models = Collections.unmodifiableMap(byName);
    this.memoise = memoise;
    this.segments = Caffeine.newBuilder().maximumSize(200_000).build();
    this.limits = Caffeine.newBuilder().maximumSize(10_000).build();
  }

  /**
   * Validates every {@code dmn/*.dmn} (schema, model, compilation, decision-table analysis), builds
   * one runtime, checks the three NBA models are present and that the strategy table answers every
   * quadrant.
   */
  static DmnPolicies compile(RuleSetSource source, List<RuleSetMessage> warnings, boolean memoise) {
    List<String> paths = source.list("dmn", ".dmn");
    List<RuleSetMessage> errors = new ArrayList<>(validate(source, paths, warnings));
    if (!errors.isEmpty()) {
      throw new RuleSetException("DMN does not validate", errors);
    }
    List<java.io.Reader> readers = new ArrayList<>();
    for (String p : paths) {
      readers.add(new StringReader(source.text(p)));
    }
    DMNRuntime runtime =
        DMNKogito.createGenericDMNRuntime(
            Collections.emptySet(), true, readers.toArray(java.io.Reader[]::new));
    for (DMNModel m : runtime.getModels()) {
      for (DMNMessage msg : m.getMessages(DMNMessage.Severity.ERROR)) {
        errors.add(message(fileOf(source, paths, m), msg));
      }
    }
    DmnPolicies policies = new DmnPolicies(runtime, memoise);
    for (String required : List.of(CLASSIFICATION, STRATEGY, CONTACT, GAPS)) {
      if (!policies.models.containsKey(required)) {
        errors.add(
            new RuleSetMessage(
                "ERROR",
                "dmn/",
                null,
                required,
                "the rule set needs a DMN model named '" + required + "'"));
      }
    }
    if (!errors.isEmpty()) {
      throw new RuleSetException("DMN models are incomplete", errors);
    }
    for (Quadrant q : Quadrant.values()) {
      policies.strategy.put(q, policies.evaluateStrategy(q));
    }
    List<org.w3c.dom.Document> docs = new ArrayList<>();
    for (String p : paths) {
      docs.add(DmnXml.parse(source.bytes(p)));
    }
    policies.experienceLevels = IndexBreakpoints.of(docs, "Experience Index");
    policies.engagementLevels = IndexBreakpoints.of(docs, "Engagement Index");
    try {
      policies.gapPolicy = policies.evaluateGapPolicy();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RuleSetException(
          "DMN models are incomplete",
          List.of(
              new RuleSetMessage(
                  "ERROR",
                  fileOf(source, paths, policies.models.get(GAPS)),
                  null,
                  GAPS,
                  e.getMessage())));
    }
    return policies;
  }

  /**
   * Screens each file ({@link DmnScreen}) and runs the DMN validator on those that pass; returns
   * the errors and adds warnings to {@code warnings}.
   */
  static List<RuleSetMessage> validate(
      RuleSetSource source, List<String> paths, List<RuleSetMessage> warnings) {
    DMNValidator validator = DMNValidatorFactory.newValidator();
    List<RuleSetMessage> errors = new ArrayList<>();
    try {
      for (String path : paths) {
        // The DMN library's own parsers never see a file that is not plain UTF-8 XML or that
        // reaches host code.
        DmnScreen.Findings screened = DmnScreen.screen(path, source.bytes(path));
        if (!screened.clean()) {
          errors.addAll(screened.all());
          continue;
        }
        List<DMNMessage> messages =
            validator.validate(
                new StringReader(source.text(path)),
                DMNValidator.Validation.VALIDATE_SCHEMA,
                DMNValidator.Validation.VALIDATE_MODEL,
                DMNValidator.Validation.VALIDATE_COMPILATION,
                DMNValidator.Validation.ANALYZE_DECISION_TABLE);
        for (DMNMessage m : messages) {
          RuleSetMessage msg = message(path, m);
          if (m.getSeverity() == DMNMessage.Severity.ERROR) {
            errors.add(msg);
          } else if (m.getSeverity() == DMNMessage.Severity.WARN) {
            warnings.add(msg);
          }
        }
        errors.addAll(DmnTypeCheck.check(path, source.text(path)));
      }
    } finally {
      validator.dispose();
    }
    return errors;
  }

  private static String fileOf(RuleSetSource source, List<String> paths, DMNModel model) {
    for (String p : paths) {
      if (source.text(p).contains("name=\"" + model.getName() + "\"")) {
        return p;
      }
    }
    return "dmn/";
  }

  static RuleSetMessage message(String file, DMNMessage m) {
    String level =
        switch (m.getSeverity()) {
          case ERROR -> "ERROR";
          case WARN -> "WARNING";
          default -> "INFO";
        };
    Integer line = m.getLine() > 0 ? m.getLine() : null;
    return new RuleSetMessage(level, file, line, m.getSourceId(), m.getText());
  }

  Segment segment(double experience, double engagement) {
    if (!memoise) {
      return evaluateSegment(experience, engagement);
    }
    SegmentKey key =
        new SegmentKey(key(experienceLevels, experience), key(engagementLevels, engagement));
    return segments.get(key, k -> evaluateSegment(experience, engagement));
  }

  /** The memo key of an index value: its level when the tables allow, else its tenths. */
  private static long key(IndexBreakpoints levels, double value) {
    return levels == null ? Math.round(value * 10) : levels.level(value);
  }

  /** Whether the memo keys both indices by level (for tests and the benchmarks' report). */
  boolean keysByLevel() {
    return experienceLevels != null && engagementLevels != null;
  }

  Map<ActionFamily, Double> familyWeights(Quadrant quadrant) {
    return memoise ? strategy.get(quadrant) : evaluateStrategy(quadrant);
  }

  ContactLimits limits(Quadrant quadrant, double experience) {
    if (!memoise) {
      return evaluateLimits(quadrant, experience);
    }
    return limits.get(
        new LimitsKey(quadrant, key(experienceLevels, experience)),
        k -> evaluateLimits(quadrant, experience));
  }

  /**
   * The decision-table rows the three policies match for one decision's indices, evaluated afresh
   * (never from the memo) exactly as {@link #segment}, {@link #familyWeights} and {@link #limits}
   * do.
   */
  List<DmnEvaluator.TableMatch> trace(double experience, double engagement) {
    MatchedRows.Collected<Segment> run =
        MatchedRows.collect(
            () -> {
              Segment s = evaluateSegment(experience, engagement);
              evaluateStrategy(s.quadrant());
              evaluateLimits(s.quadrant(), experience);
              return s;
            });
    return MatchedRows.resolve(models.values(), run.tables());
  }

  Segment evaluateSegment(double experience, double engagement) {
    DMNContext ctx = runtime.newContext();
    ctx.set("Experience Index", BigDecimal.valueOf(experience));
    ctx.set("Engagement Index", BigDecimal.valueOf(engagement));
    DMNResult result = evaluate(CLASSIFICATION, ctx);
    Quadrant q = Quadrant.valueOf(string(result, "Quadrant"));
    return new Segment(
        q,
        q.label(),
        Level.valueOf(string(result, "Experience Level")),
        Level.valueOf(string(result, "Engagement Level")));
  }

  private Map<ActionFamily, Double> evaluateStrategy(Quadrant quadrant) {
    DMNContext ctx = runtime.newContext();
    ctx.set("Quadrant", quadrant.name());
    DMNResult result = evaluate(STRATEGY, ctx);
    Object rows = result.getDecisionResultByName("Family Weights").getResult();
    Map<ActionFamily, Double> weights = new EnumMap<>(ActionFamily.class);
    if (rows instanceof List<?> list) {
      for (Object row : list) {
        if (row instanceof Map<?, ?> m
            && m.get("family") != null
            && m.get("weight") instanceof Number n) {
          weights.merge(
              ActionFamily.valueOf(m.get("family").toString()), n.doubleValue(), Math::max);
        }
      }
    }
    return Collections.unmodifiableMap(weights);
  }

  /** The windows and thresholds of gating, escalation and trends; a constant of the version. */
  GapPolicy gapPolicy() {
    return gapPolicy;
  }

  private GapPolicy evaluateGapPolicy() {
    DMNResult result = evaluate(GAPS, runtime.newContext());
    Object out = result.getDecisionResultByName(GAPS).getResult();
    if (!(out instanceof Map<?, ?> m)) {
      throw new IllegalStateException("Gap Policy gave no settings: " + out);
    }
    return new GapPolicy(
        whole(m, "recentFailureDays"),
        whole(m, "compoundingWindowDays"),
        whole(m, "compoundingCount"),
        severities(m, "gapSeverities"),
        severities(m, "negativeSeverities"),
        whole(m, "lowCsat"),
        whole(m, "highEffort"),
        whole(m, "highEffortDays"),
        whole(m, "detractorMax"),
        whole(m, "detractorDays"),
        whole(m, "trendWindowDays"),
        whole(m, "trendMinPoints"),
        number(m, "csatFallingDelta").doubleValue(),
        number(m, "effortRisingDelta").doubleValue());
  }

  private static Number number(Map<?, ?> m, String key) {
    if (m.get(key) instanceof Number n) {
      return n;
    }
    throw new IllegalStateException("Gap Policy needs a number '" + key + "', got " + m.get(key));
  }

  private static int whole(Map<?, ?> m, String key) {
    Number n = number(m, key);
    if (n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalStateException("Gap Policy '" + key + "' must be a whole number, got " + n);
    }
    return n.intValue();
  }

  private static java.util.Set<Severity> severities(Map<?, ?> m, String key) {
    if (!(m.get(key) instanceof java.util.Collection<?> c)) {
      throw new IllegalStateException(
          "Gap Policy needs a list of severities '" + key + "', got " + m.get(key));
    }
    java.util.Set<Severity> out = java.util.EnumSet.noneOf(Severity.class);
    for (Object o : c) {
      try {
        out.add(Severity.valueOf(String.valueOf(o)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "Gap Policy '"
                + key
                + "': unknown severity "
                + o
                + ", known: "
                + java.util.Arrays.toString(Severity.values()));
      }
    }
    return out;
  }

  ContactLimits evaluateLimits(Quadrant quadrant, double experience) {
    DMNContext ctx = runtime.newContext();
    ctx.set("Quadrant", quadrant.name());
    ctx.set("Experience Index", BigDecimal.valueOf(experience));
    DMNResult result = evaluate(CONTACT, ctx);
    Object out = result.getDecisionResultByName("Contact Limits").getResult();
    if (out instanceof Map<?, ?> m
        && m.get("max7Days") instanceof Number a
        && m.get("max30Days") instanceof Number b) {
      return new ContactLimits(a.intValue(), b.intValue());
    }
    throw new IllegalStateException(
        "Contact Policy gave no limits for "
            + quadrant
            + " at experience "
            + experience
            + ": "
            + out);
  }

  private DMNResult evaluate(String modelName, DMNContext ctx) {
    DMNModel model = models.get(modelName);
    DMNResult result = runtime.evaluateAll(model, ctx);
    if (result.hasErrors()) {
      throw new IllegalStateException(
          modelName + " failed: " + result.getMessages(DMNMessage.Severity.ERROR));
    }
    return result;
  }

  private static String string(DMNResult result, String decision) {
    DMNDecisionResult r = result.getDecisionResultByName(decision);
    if (r == null || r.getResult() == null) {
      throw new IllegalStateException("decision '" + decision + "' gave no result");
    }
    return r.getResult().toString();
  }

  DMNRuntime runtime() {
    return runtime;
  }

  Map<String, DMNModel> models() {
    return models;
  }
}
