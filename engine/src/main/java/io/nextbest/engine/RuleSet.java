package io.nextbest.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.model.CatalogueAction;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One compiled, immutable rule-set version: the DRL knowledge base, the DMN runtime, the action
 * catalogue, the index model, the arbitration settings and the learning policy. Compiled once;
 * every decision on this version shares it; versions with the same DRL share one knowledge base.
 */
public final class RuleSet {
  private final RuleSetSource source;
  private final String version;
  private final DrlKnowledge drl;
  private final DmnPolicies dmn;
  private final List<CatalogueAction> catalogue;
  private final IndexModel indexModel;
  private final Arbitration arbitration;
  private final LearningPolicy learning;
  private final List<RuleSetMessage> warnings;
  private final Duration compileTime;

  private RuleSet(
      RuleSetSource source,
      String version,
      DrlKnowledge drl,
      DmnPolicies dmn,
      List<CatalogueAction> catalogue,
      IndexModel indexModel,
      Arbitration arbitration,
      LearningPolicy learning,
      List<RuleSetMessage> warnings,
      Duration compileTime) {
    this.source = source;
    this.version = version;
    this.drl = drl;
    this.dmn = dmn;
    this.catalogue = catalogue;
    this.indexModel = indexModel;
    this.arbitration = arbitration;
    this.learning = learning;
    this.warnings = List.copyOf(warnings);
    this.compileTime = compileTime;
  }

  /** Compiles with DMN results memoised (the default). */
  public static RuleSet compile(RuleSetSource source) {
    return compile(source, source.name() + "@" + source.contentHash().substring(0, 12), true);
  }

  /**
   * Parses the data files, compiles the DRL and the DMN models and validates them, or throws {@link
   * RuleSetException} with every message.
   *
   * @param version the label every decision on this rule set reports
   * @param memoiseDmn whether DMN results are cached per input (they are pure functions of them)
   */
  public static RuleSet compile(RuleSetSource source, String version, boolean memoiseDmn) {
    long t0 = System.nanoTime();
    List<RuleSetMessage> warnings = new ArrayList<>();
    List<CatalogueAction> catalogue = readCatalogue(source);
    IndexModel indexModel = read(source, "indices.json", new TypeReference<>() {});
    Arbitration arbitration = read(source, "arbitration.json", new TypeReference<>() {});
    // Optional: versions stored before learning was declared keep learning the posterior mean.
    LearningPolicy learning =
        source.has("learning.json")
            ? read(source, "learning.json", new TypeReference<>() {})
            : LearningPolicy.DEFAULT;
    DmnPolicies dmn = DmnPolicies.compile(source, warnings, memoiseDmn);
    DrlKnowledge drl = DrlKnowledge.compile(source, warnings);
    return new RuleSet(
        source,
        version,
        drl,
        dmn,
        catalogue,
        indexModel,
        arbitration,
        learning,
        warnings,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static List<CatalogueAction> readCatalogue(RuleSetSource source) {
    List<CatalogueAction> actions = read(source, "catalogue.json", new TypeReference<>() {});
    Set<String> ids = new HashSet<>();
    for (CatalogueAction a : actions) {
      if (!ids.add(a.id())) {
        throw new RuleSetException(
            "catalogue is invalid",
            List.of(
                new RuleSetMessage(
                    "ERROR", "catalogue.json", null, a.id(), "duplicate action id " + a.id())));
      }
    }
    if (actions.isEmpty()) {
      throw new RuleSetException(
          "catalogue is invalid",
          List.of(
              new RuleSetMessage(
                  "ERROR", "catalogue.json", null, null, "the catalogue has no actions")));
    }
    return List.copyOf(actions);
  }

  private static <T> T read(RuleSetSource source, String path, TypeReference<T> type) {
    if (!source.has(path)) {
      throw new RuleSetException(
          "rule set is incomplete",
          List.of(new RuleSetMessage("ERROR", path, null, null, "missing file")));
    }
    try {
      return Json.mapper().readValue(source.bytes(path), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Integer line = e.getLocation() == null ? null : e.getLocation().getLineNr();
      String msg = e.getOriginalMessage();
      if (e.getCause() instanceof IllegalArgumentException iae) {
        msg = iae.getMessage();
      }
      throw new RuleSetException(
          "rule set file does not parse",
          List.of(new RuleSetMessage("ERROR", path, line, null, msg)));
    } catch (IOException e) {
      throw new RuleSetException(
          "rule set file does not read",
          List.of(new RuleSetMessage("ERROR", path, null, null, e.getMessage())));
    }
  }

  /** The label every decision on this rule set reports, e.g. {@code bundled@3f9a2c1b07de}. */
  public String version() {
    return version;
  }

  public RuleSetSource source() {
    return source;
  }

  public List<CatalogueAction> catalogue() {
    return catalogue;
  }

  /** Warnings from the DRL compiler and the DMN validator; errors prevent compilation. */
  public List<RuleSetMessage> warnings() {
    return warnings;
  }

  public Duration compileTime() {
    return compileTime;
  }

  public int ruleCount() {
    return drl.ruleCount();
  }

  /** The DRL rules with their guidance ids. */
  public List<RuleInfo> rules() {
    return drl.rules();
  }

  DrlKnowledge drl() {
    return drl;
  }

  DmnPolicies dmn() {
    return dmn;
  }

  IndexModel indexModel() {
    return indexModel;
  }

  /** Which ended interactions count as caused by a problem, not chosen (indices.json). */
  public ProblemContacts problemContacts() {
    return indexModel.problemContacts();
  }

  Arbitration arbitration() {
    return arbitration;
  }

  /** How this version learns from outcomes and how much it explores ({@code learning.json}). */
  public LearningPolicy learning() {
    return learning;
  }
}
