package io.nextbest.engine;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.kogito.dmn.DMNKogito;

/**
 * One DMN model compiled on its own, outside any rule set (the model library): its own runtime, so
 * evaluating it never touches what customer decisions use.
 *
 * <p>What the DMN runtime cannot compile is always refused. The DMN validator's findings (schema,
 * model rules such as output value lists for PRIORITY tables, decision-table analysis, the cell
 * type check) are reported as warnings — the runtime evaluates such models correctly — unless
 * {@code strict} is asked, when the validator's errors refuse the model as they refuse a rule-set
 * version.
 */
public final class StandaloneModel {
  private final DMNRuntime runtime;
  private final DMNModel model;
  private final List<RuleSetMessage> warnings;

  private StandaloneModel(DMNRuntime runtime, DMNModel model, List<RuleSetMessage> warnings) {
    this.runtime = runtime;
    this.model = model;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Validates and compiles one DMN file.
   *
   * @param file the name messages are reported against
   * @throws RuleSetException with every error (with file, line and element where known)
   */
  public static StandaloneModel compile(String file, byte[] xml, boolean strict) {
    String path =
        "dmn/" + file.replaceAll("[^A-Za-z0-9._ -]", "_") + (file.endsWith(".dmn") ? "" : ".dmn");
    String root;
    try {
      root = DmnXml.parse(xml).getDocumentElement().getLocalName();
    } catch (IllegalArgumentException e) {
      throw new RuleSetException(
          "the file is not a DMN model",
          List.of(new RuleSetMessage("ERROR", path, null, null, e.getMessage())));
    }
    if (!"definitions".equals(root)) {
      throw new RuleSetException(
          "the file is not a DMN model",
          List.of(
              new RuleSetMessage(
                  "ERROR",
                  path,
                  1,
                  root,
                  "a DMN file's root element is <definitions>, this one's is <" + root + ">")));
    }
    RuleSetSource source = RuleSetSource.of("library", Map.of(path, xml));
    List<RuleSetMessage> warnings = new ArrayList<>();
    List<RuleSetMessage> validation = DmnPolicies.validate(source, List.of(path), warnings);
    if (strict && !validation.isEmpty()) {
      throw new RuleSetException("the DMN model does not pass strict validation", validation);
    }
    for (RuleSetMessage e : validation) {
      warnings.add(
          new RuleSetMessage(
              "WARNING", e.file(), e.line(), e.element(), "strict validation: " + e.text()));
    }
    DMNRuntime runtime;
    try {
      runtime =
          DMNKogito.createGenericDMNRuntime(
              Collections.emptySet(),
              true,
              new StringReader(new String(xml, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      throw new RuleSetException(
          "the DMN model does not compile",
          List.of(new RuleSetMessage("ERROR", path, null, null, String.valueOf(e.getMessage()))));
    }
    if (runtime.getModels().size() != 1) {
      throw new RuleSetException(
          "the DMN model does not compile",
          List.of(
              new RuleSetMessage(
                  "ERROR",
                  path,
                  null,
                  null,
                  "the file holds "
                      + runtime.getModels().size()
                      + " DMN models; the library takes one per upload")));
    }
    DMNModel model = runtime.getModels().get(0);
    List<RuleSetMessage> errors = new ArrayList<>();
    for (DMNMessage m : model.getMessages(DMNMessage.Severity.ERROR)) {
      errors.add(DmnPolicies.message(path, m));
    }
    if (model.getName() == null || model.getName().isBlank()) {
      errors.add(
          new RuleSetMessage(
              "ERROR", path, null, null, "the model has no name (definitions/@name)"));
    }
    if (!errors.isEmpty()) {
      throw new RuleSetException("the DMN model does not compile", errors);
    }
    runtime.addListener(MatchedRows.LISTENER);
    return new StandaloneModel(runtime, model, warnings);
  }

  /** The model's name ({@code definitions/@name}), which the library files it under. */
  public String name() {
    return model.getName();
  }

  public String namespace() {
    return model.getNamespace();
  }

  /** What validation found that does not stop the model (everything, unless strict). */
  public List<RuleSetMessage> warnings() {
    return warnings;
  }

  DMNRuntime runtime() {
    return runtime;
  }

  DMNModel model() {
    return model;
  }
}
