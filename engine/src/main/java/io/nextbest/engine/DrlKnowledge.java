package io.nextbest.engine;

import io.nextbest.engine.model.CriticalGap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieContainerSessionsPool;
import org.kie.api.runtime.KieSession;

/**
 * The DRL of one rule-set version, compiled once with the classic compiler (it reports every error
 * with its line) into a KieBase, and a pool of sessions so a decision never builds one.
 */
final class DrlKnowledge {
  private static final AtomicLong BUILDS = new AtomicLong();

  /**
   * Knowledge bases by the hash of their DRL: analysts' uploads change DMN only, so most versions
   * share one compiled KieBase. Weak values let an unused one go.
   */
  private static final com.github.benmanes.caffeine.cache.Cache<String, DrlKnowledge> SHARED =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakValues().build();

  private static final java.util.regex.Pattern CANDIDATE_PATTERN =
      java.util.regex.Pattern.compile("\\bCandidate\\s*\\(");

  static final String PACKAGE_PATH = "src/main/resources/io/nextbest/rules/";

  private final KieBase kieBase;
  private final KieContainerSessionsPool pool;
  private final int ruleCount;

  /**
   * Whether any rule matches {@link io.nextbest.engine.facts.Candidate} facts (rule sets written
   * before customer-level rules): only then are candidates inserted.
   */
  private final boolean matchesCandidates;

  private final List<RuleSetMessage> warnings;

  private DrlKnowledge(
      KieContainer container,
      int poolSize,
      List<RuleSetMessage> warnings,
      boolean matchesCandidates) {
    this.matchesCandidates = matchesCandidates;
    this.warnings = List.copyOf(warnings);
    this.kieBase = container.getKieBase();
    this.pool = container.newKieSessionsPool(poolSize);
    this.ruleCount = kieBase.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();
  }

  /** Compiles every {@code drl/*.drl} of the source, or throws with every error and its line. */
  static DrlKnowledge compile(RuleSetSource source, List<RuleSetMessage> warnings) {
    List<String> drls = source.list("drl", ".drl");
    if (drls.isEmpty()) {
      throw new RuleSetException("rule set has no drl/*.drl files", List.of());
    }
    String key = drlHash(source, drls);
    DrlKnowledge shared = SHARED.getIfPresent(key);
    if (shared == null) {
      shared = build(source, drls);
      SHARED.put(key, shared);
    }
    warnings.addAll(shared.warnings);
    return shared;
  }

  private static String drlHash(RuleSetSource source, List<String> drls) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (String p : drls) {
        md.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(source.bytes(p));
        md.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DrlKnowledge build(RuleSetSource source, List<String> drls) {
    List<RuleSetMessage> warnings = new ArrayList<>();
    KieServices ks = KieServices.Factory.get();
    // Each build gets its own release id and leaves the repository afterwards, or hot swaps leak.
    ReleaseId releaseId =
        ks.newReleaseId(
            "io.nextbest.ruleset",
            "rs-" + source.contentHash().substring(0, 12) + "-" + BUILDS.incrementAndGet(),
            "1.0.0");
    KieFileSystem kfs = ks.newKieFileSystem();
    kfs.generateAndWritePomXML(releaseId);
    for (String path : drls) {
      kfs.write(PACKAGE_PATH + path.substring("drl/".length()), source.bytes(path));
    }
    KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
    List<RuleSetMessage> errors = new ArrayList<>();
    for (Message m : builder.getResults().getMessages()) {
      String file =
          m.getPath() == null
              ? null
              : "drl/" + m.getPath().substring(m.getPath().lastIndexOf('/') + 1);
      RuleSetMessage msg =
          new RuleSetMessage(
              m.getLevel().name(),
              file,
              m.getLine() > 0 ? m.getLine() : null,
              null,
              m.getText().strip());
      if (m.getLevel() == Message.Level.ERROR) {
        errors.add(msg);
      } else if (m.getLevel() == Message.Level.WARNING) {
        warnings.add(msg);
      }
    }
    if (!errors.isEmpty()) {
      ks.getRepository().removeKieModule(releaseId);
      throw new RuleSetException("DRL does not compile", errors);
    }
    KieContainer container = ks.newKieContainer(releaseId);
    ks.getRepository().removeKieModule(releaseId);
    boolean matchesCandidates = false;
    for (String path : drls) {
      matchesCandidates |= CANDIDATE_PATTERN.matcher(source.text(path)).find();
    }
    return new DrlKnowledge(
        container,
        Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
        warnings,
        matchesCandidates);
  }

  /**
   * Inserts the facts, fires every rule, and returns the critical gaps the rules found; {@code
   * listener}, when not null, hears every firing of this call only (pooled sessions are shared).
   */
  List<CriticalGap> fire(Collection<?> facts, AgendaEventListener listener) {
    KieSession session = pool.newKieSession();
    if (listener != null) {
      session.addEventListener(listener);
    }
    try {
      for (Object fact : facts) {
        session.insert(fact);
      }
      session.fireAllRules();
      List<CriticalGap> gaps = new ArrayList<>(2);
      for (Object o : session.getObjects(o -> o instanceof CriticalGap)) {
        gaps.add((CriticalGap) o);
      }
      return gaps;
    } finally {
      if (listener != null) {
        session.removeEventListener(listener);
      }
      session.dispose();
    }
  }

  boolean matchesCandidates() {
    return matchesCandidates;
  }

  int ruleCount() {
    return ruleCount;
  }

  /** Every rule with its guidance ids, sorted by name. */
  List<RuleInfo> rules() {
    List<RuleInfo> out = new ArrayList<>();
    for (var pkg : kieBase.getKiePackages()) {
      for (var rule : pkg.getRules()) {
        out.add(new RuleInfo(rule.getName(), io.nextbest.engine.facts.RuleRef.of(rule).guidance()));
      }
    }
    out.sort(java.util.Comparator.comparing(RuleInfo::name));
    return out;
  }

  KieBase kieBase() {
    return kieBase;
  }
}
