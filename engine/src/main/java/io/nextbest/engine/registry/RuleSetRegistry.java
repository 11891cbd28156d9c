package io.nextbest.engine.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.DmnScreen;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetMessage;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.scenario.Coverage;
import io.nextbest.engine.scenario.ScenarioResult;
import io.nextbest.engine.scenario.Scenarios;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Analyst-owned rule-set versions: immutable, content-hashed and numbered; uploaded as changed DMN
 * models (and scenarios) on top of a base version; validated, tested against every scenario they
 * carry, and activated or rolled back atomically — only when they compile, validate and pass. DRL
 * is code and never changes through here. Thread-safe; activation is serialised.
 */
public final class RuleSetRegistry {
  /** What an analyst may upload: DMN models and scenario files, nothing that runs Java. */
  private static final Pattern UPLOADABLE =
      Pattern.compile("^(dmn/[A-Za-z0-9._ -]+\\.dmn|scenarios/[A-Za-z0-9._ -]+\\.json)$");

  private final RegistryStore store;
  private final Cache<Integer, Compiled> compiled = Caffeine.newBuilder().maximumSize(8).build();
  private final List<Consumer<RuleSet>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<RuleSet>> preparers = new CopyOnWriteArrayList<>();
  private final Object activation = new Object();
  private final java.util.concurrent.atomic.AtomicBoolean adopting =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile RuleSet active;
  private volatile int activeSequence;

  private record Compiled(RuleSet ruleSet, RuleSetException error, List<RuleSetMessage> messages) {}

  private RuleSetRegistry(RegistryStore store) {
    this.store = store;
  }

  /**
   * Opens the registry. On first start the bundled rule set becomes version 1 and is activated. On
   * later starts a bundled rule set never seen before (a new build) is registered and activated if
   * it passes the gate; otherwise the stored active version is compiled and made active again.
   */
  public static RuleSetRegistry open(RegistryStore store, RuleSetSource bundled) {
    RuleSetRegistry r = new RuleSetRegistry(store);
    boolean fresh = store.byHash(bundled.contentHash()).isEmpty();
    VersionInfo build =
        store.add(bundled, "build", "rule set shipped with the build", null, "build");
    OptionalInt current = store.active();
    int target = fresh || current.isEmpty() ? build.sequence() : current.getAsInt();
    GateReport gate = r.gate(target);
    if (!gate.activatable()) {
      if (target == build.sequence() || current.isEmpty()) {
        throw new RuleSetException(
            "the rule set to start with does not pass its gate", gate.messages());
      }
      store.audit(
          "system",
          "start-fallback",
          build.sequence(),
          "stored active version " + target + " does not pass; starting on the build's version");
      target = build.sequence();
    }
    r.active = r.compile(target).ruleSet();
    r.activeSequence = target;
    store.setActive(target);
    store.audit(
        "system",
        fresh ? "activate-build" : "start",
        target,
        fresh ? "new build rule set activated" : "restarted on the active version");
    return r;
  }

  /** Called with every rule set that becomes active (wire {@link DecisionEngine#activate} here). */
  public void onActivate(Consumer<RuleSet> listener) {
    listeners.add(listener);
  }

  /**
   * Called with every rule set about to become active, before anything switches to it, on the
   * activating thread and inside the (serialised) activation: the place to warm it up, so the first
   * decisions on it do not pay for code never run before. The activation waits for it; what it
   * throws is ignored.
   */
  public void beforeActivate(Consumer<RuleSet> preparer) {
    preparers.add(preparer);
  }

  private void prepare(RuleSet next) {
    if (next == active) {
      return;
    }
    for (Consumer<RuleSet> p : preparers) {
      try {
        p.accept(next);
      } catch (RuntimeException e) {
        // Preparing is an optimisation: it never stops an activation that passed its gate.
      }
    }
  }

  public RuleSet active() {
    return active;
  }

  public int activeSequence() {
    return activeSequence;
  }

  public List<VersionInfo> versions() {
    return store.versions();
  }

  public VersionInfo version(int sequence) {
    return store.version(sequence).orElseThrow(() -> notFound(sequence));
  }

  public RuleSetSource source(int sequence) {
    version(sequence);
    return store.source(sequence);
  }

  /**
   * Stores changed DMN models and scenarios on top of {@code basedOn} (the active version when
   * null) as a new candidate version; uploading what already exists returns that version.
   */
  public VersionInfo upload(
      Map<String, byte[]> files, Integer basedOn, String author, String comment) {
    try {
      return store(files, basedOn, author, comment);
    } catch (RegistryException e) {
      // Every refusal is in the audit log, not only the refused activations.
      store.audit(author, "upload-refused", null, e.getMessage());
      throw e;
    }
  }

  /**
   * Records something done outside the registry in its audit log (refused uploads the HTTP layer
   * turned away, data-protection requests), so {@code GET /v1/audit} lists it with who did it.
   */
  public void record(String actor, String action, String detail) {
    store.audit(actor, action, null, detail);
  }

  private VersionInfo store(
      Map<String, byte[]> files, Integer basedOn, String author, String comment) {
    if (files.isEmpty()) {
      throw new RegistryException(
          RegistryException.Reason.INVALID_UPLOAD, "the upload has no files", null);
    }
    for (String path : files.keySet()) {
      if (!UPLOADABLE.matcher(path).matches()) {
        throw new RegistryException(
            RegistryException.Reason.FORBIDDEN_FILE,
            "'"
                + path
                + "' cannot be uploaded: analysts change dmn/*.dmn models and scenarios/*.json; DRL and data files change through the repository and a build",
            null);
      }
    }
    screen(files);
    int base = basedOn == null ? activeSequence : basedOn;
    RuleSetSource source = source(base).with("upload", files);
    VersionInfo v = store.add(source, author, comment, base, "upload");
    store.audit(
        author,
        "upload",
        v.sequence(),
        "based on v"
            + base
            + ": "
            + String.join(", ", files.keySet())
            + (comment == null ? "" : " — " + comment));
    return v;
  }

  /**
   * Refuses DMN that is not plain UTF-8 XML (422) or that reaches host code (403, like DRL): such a
   * file is never stored, so no later read of it can fetch, expand or run anything.
   */
  private static void screen(Map<String, byte[]> files) {
    List<RuleSetMessage> unreadable = new ArrayList<>();
    List<RuleSetMessage> code = new ArrayList<>();
    files.forEach(
        (path, bytes) -> {
          if (path.endsWith(".dmn")) {
            DmnScreen.Findings f = DmnScreen.screen(path, bytes);
            unreadable.addAll(f.unreadable());
            code.addAll(f.hostCode());
          }
        });
    if (!code.isEmpty()) {
      throw new RegistryException(
          RegistryException.Reason.FORBIDDEN_FILE,
          code.get(0).text()
              + (code.size() > 1 ? " (and " + (code.size() - 1) + " more)" : "")
              + "; DMN that calls Java is code and changes through the repository and a build",
          null,
          code);
    }
    if (!unreadable.isEmpty()) {
      throw new RegistryException(
          RegistryException.Reason.INVALID_UPLOAD, unreadable.get(0).text(), null, unreadable);
    }
  }

  /** Registers a whole rule-set directory (development mode's reload on save). */
  public VersionInfo register(RuleSetSource source, String author, String comment, String origin) {
    VersionInfo v = store.add(source, author, comment, activeSequence, origin);
    store.audit(author, "register", v.sequence(), comment);
    return v;
  }

  /** Compiles (once per version) and runs the version's scenarios; never activates. */
  public GateReport gate(int sequence) {
    version(sequence);
    long t0 = System.nanoTime();
    Compiled c = compile(sequence);
    Duration compileTime =
        c.ruleSet() == null ? Duration.ofNanos(System.nanoTime() - t0) : c.ruleSet().compileTime();
    if (c.ruleSet() == null) {
      return new GateReport(sequence, false, c.messages(), List.of(), compileTime, Duration.ZERO);
    }
    long t1 = System.nanoTime();
    List<ScenarioResult> results;
    try {
      // Scenarios run with catalogue priors, so a gate result does not depend on what was learned.
      DecisionEngine probe = DecisionEngine.builder().ruleSet(c.ruleSet()).build();
      results = Scenarios.run(probe, c.ruleSet(), Scenarios.load(c.ruleSet().source()));
    } catch (RuleSetException e) {
      List<RuleSetMessage> messages = new ArrayList<>(c.messages());
      messages.addAll(e.messages());
      return new GateReport(sequence, false, messages, List.of(), compileTime, Duration.ZERO);
    }
    return new GateReport(
        sequence,
        true,
        c.messages(),
        results,
        compileTime,
        Duration.ofNanos(System.nanoTime() - t1));
  }

  /**
   * Makes {@code sequence} active if it passes its gate; decisions in flight finish on the old one.
   */
  public GateReport activate(int sequence, String actor) {
    return switchTo(sequence, actor, "activate", false);
  }

  /**
   * As {@link #activate(int, String)}; with {@code changedRowsCovered}, also refused while a
   * decision-table row added or changed against the active version is selected by no scenario of
   * the version (the analyst's opt-in rule "every changed row must be covered").
   */
  public GateReport activate(int sequence, String actor, boolean changedRowsCovered) {
    return switchTo(sequence, actor, "activate", changedRowsCovered);
  }

  /** Returns to an earlier version, through the same gate. */
  public GateReport rollback(int sequence, String actor) {
    return switchTo(sequence, actor, "rollback", false);
  }

  /** Which rows of the version's decision tables its own scenarios select, and which none does. */
  public Coverage coverage(int sequence) {
    RuleSet rs = ruleSet(sequence);
    return Coverage.of(rs, Scenarios.load(rs.source()));
  }

  /**
   * What version {@code sequence} would decide for {@code context} next to the active version, what
   * differs and the rows that caused it.
   */
  public DecisionPreview preview(int sequence, io.nextbest.engine.model.CustomerContext context) {
    int current = activeSequence;
    RuleSet now = ruleSet(current);
    RuleSet candidate = ruleSet(sequence);
    return DecisionPreview.of(
        current,
        version(current).label(),
        now,
        sequence,
        version(sequence).label(),
        candidate,
        context,
        diff(current, sequence));
  }

  /**
   * The rows added or changed from the active version to {@code sequence} that no scenario of it
   * selects.
   */
  public List<Change> uncoveredChanges(int sequence) {
    Coverage coverage = coverage(sequence);
    List<Change> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Change c : diff(activeSequence, sequence).changes()) {
      boolean rowChange =
          c.rowId() != null
              && !"ROW_REMOVED".equals(c.kind())
              && !"ANNOTATION_CHANGED".equals(c.kind());
      if (rowChange && !coverage.covers(c.rowId()) && seen.add(c.rowId())) {
        out.add(c);
      }
    }
    return out;
  }

  private GateReport switchTo(
      int sequence, String actor, String action, boolean changedRowsCovered) {
    synchronized (activation) {
      GateReport gate = gate(sequence);
      if (!gate.activatable()) {
        store.audit(actor, action + "-refused", sequence, refusal(gate));
        throw new RegistryException(
            RegistryException.Reason.GATE_FAILED,
            "version " + sequence + " cannot be activated: " + refusal(gate),
            gate);
      }
      if (changedRowsCovered) {
        List<Change> uncovered = uncoveredChanges(sequence);
        if (!uncovered.isEmpty()) {
          String rows =
              String.join(
                  "; ", uncovered.stream().map(c -> c.location() + ", " + c.row()).toList());
          String why = uncovered.size() + " changed row(s) no scenario covers: " + rows;
          store.audit(actor, action + "-refused", sequence, why);
          throw new RegistryException(
              RegistryException.Reason.GATE_FAILED,
              "version " + sequence + " cannot be activated: " + why,
              gate);
        }
      }
      RuleSet next = compile(sequence).ruleSet();
      prepare(next);
      int previous = activeSequence;
      store.setActive(sequence);
      active = next;
      activeSequence = sequence;
      for (Consumer<RuleSet> l : listeners) {
        l.accept(next);
      }
      store.audit(actor, action, sequence, "from v" + previous + " to v" + sequence);
      return gate;
    }
  }

  /**
   * Adopts the active version recorded in the store when another node activated it (a shared Redis
   * store): compiles it (it passed its gate where it was activated) and swaps it in, telling the
   * listeners. Writes nothing. Call it periodically; the period bounds how long nodes disagree.
   *
   * @return whether the active version changed
   */
  public boolean follow() {
    OptionalInt stored = store.active();
    if (stored.isEmpty() || stored.getAsInt() == activeSequence) {
      return false;
    }
    // One adoption at a time: while one compiles and warms the version, the periodic calls after it
    // return at once rather than each holding a worker thread on the lock.
    if (!adopting.compareAndSet(false, true)) {
      return false;
    }
    try {
      return adopt(stored.getAsInt());
    } finally {
      adopting.set(false);
    }
  }

  private boolean adopt(int stored) {
    synchronized (activation) {
      int sequence = stored;
      if (sequence == activeSequence) {
        return false;
      }
      Compiled c = compile(sequence);
      if (c.ruleSet() == null) {
        return false;
      }
      prepare(c.ruleSet());
      active = c.ruleSet();
      activeSequence = sequence;
      for (Consumer<RuleSet> l : listeners) {
        l.accept(c.ruleSet());
      }
      return true;
    }
  }

  private static String refusal(GateReport gate) {
    if (!gate.compiles()) {
      return "it does not compile ("
          + gate.messages().stream().filter(RuleSetMessage::error).count()
          + " errors)";
    }
    if (gate.messages().stream().anyMatch(RuleSetMessage::error)) {
      return "it has validation errors";
    }
    return gate.failedScenarios() + " of " + gate.scenarios().size() + " scenarios fail";
  }

  public SemanticDiff.Result diff(int from, int to) {
    return SemanticDiff.between(from, source(from), to, source(to));
  }

  public List<AuditEntry> audit(int limit) {
    return store.audit(limit);
  }

  /** The compiled rule set of a version, for evaluating its models directly. */
  public RuleSet ruleSet(int sequence) {
    Compiled c = compile(sequence);
    if (c.ruleSet() == null) {
      throw c.error();
    }
    return c.ruleSet();
  }

  private Compiled compile(int sequence) {
    if (sequence == activeSequence && active != null) {
      return new Compiled(active, null, active.warnings());
    }
    return compiled.get(
        sequence,
        seq -> {
          VersionInfo v = version(seq);
          try {
            RuleSet rs = RuleSet.compile(store.source(seq), v.label(), true);
            return new Compiled(rs, null, rs.warnings());
          } catch (RuleSetException e) {
            return new Compiled(null, e, e.messages());
          }
        });
  }

  private static RegistryException notFound(int sequence) {
    return new RegistryException(
        RegistryException.Reason.NOT_FOUND, "no rule-set version " + sequence, null);
  }
}
