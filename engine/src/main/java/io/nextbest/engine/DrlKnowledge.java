package io.nextbest.engine;

import io.nextbest.engine.facts.Plan;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.Indices;
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

  /**
   * What the rules concluded, by the customer-level facts they concluded it from; null when the
   * rules may depend on anything else ({@link #REMEMBERS_NOT}), so each decision fires them.
   */
  private final com.github.benmanes.caffeine.cache.Cache<Situation, Conclusions> situations;

  /**
   * The memo's key: the facts, with their hash worked out once (the profile's lists are most of
   * it), not once for the look-up and again for remembering a new situation.
   */
  private static final class Situation {
    private final Object[] facts;
    private final int hash;

    Situation(Object[] facts) {
      this.facts = facts;
      this.hash = java.util.Arrays.hashCode(facts);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Situation s && s.hash == hash && java.util.Arrays.equals(s.facts, facts);
    }
  }

  /**
   * DRL that may conclude from anything but its facts: globals, the clock, randomness, or the
   * candidates themselves. Such a rule base is never remembered.
   */
  private static final java.util.regex.Pattern REMEMBERS_NOT =
      java.util.regex.Pattern.compile(
          "(?m)^\\s*global\\s|\\bnow\\s*\\(|\\bSystem\\s*\\.|\\bMath\\s*\\.\\s*random|\\bRandom\\b|"
              + "\\bCandidate\\s*\\(|\\bdrools\\s*\\.\\s*get");

  /** DRL that names whose or when a decision is, which the memo's key then keeps. */
  private static final java.util.regex.Pattern NAMES_IDENTITY =
      java.util.regex.Pattern.compile("\\b(customerId|asOf)\\b");

  /**
   * DRL that reaches into an index's components (their scores and evidence sentences), which the
   * memo's key then keeps; without it the key holds the indices' values, coverage and flags only.
   */
  private static final java.util.regex.Pattern NAMES_COMPONENTS =
      java.util.regex.Pattern.compile("\\b(components|getComponents)\\b");

  /**
   * Whether the rules name the customer's id or the decision's instant: if not, the memo keys
   * {@link io.nextbest.engine.facts.Signals} by {@link
   * io.nextbest.engine.facts.Signals#situation()}.
   */
  private final boolean namesIdentity;

  /**
   * Whether the rules name the indices' components: if not, the memo keys {@link Indices} by {@link
   * Indices#situation()}.
   */
  private final boolean namesComponents;

  /**
   * Bound on what the memo holds, in facts and the history elements inside them (a profile with 40
   * scores weighs 41): a few tens of megabytes at most.
   */
  static final long SITUATION_WEIGHT = 200_000;

  /**
   * The rules' conclusions about one situation: the gaps they opened, their effects (a frozen
   * {@link Plan}, shared by every decision on this situation), and the rules that fired, in order.
   */
  record Conclusions(List<CriticalGap> gaps, Plan plan, List<String> fired) {}

  private DrlKnowledge(
      KieContainer container,
      int poolSize,
      List<RuleSetMessage> warnings,
      boolean matchesCandidates,
      boolean remembers,
      boolean namesIdentity,
      boolean namesComponents) {
    this.namesIdentity = namesIdentity;
    this.namesComponents = namesComponents;
    this.situations =
        remembers
            ? com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .maximumWeight(SITUATION_WEIGHT)
                .weigher((Situation s, Conclusions c) -> weight(s.facts))
                .recordStats()
                .build()
            : null;
    this.matchesCandidates = matchesCandidates;
    this.warnings = List.copyOf(warnings);
    this.kieBase = container.getKieBase();
    this.pool = container.newKieSessionsPool(poolSize);
    this.ruleCount = kieBase.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();
    for (var pkg : kieBase.getKiePackages()) {
      pkg.getRules().forEach(io.nextbest.engine.facts.RuleRef::attach);
    }
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
    boolean remembers = true;
    boolean namesIdentity = false;
    boolean namesComponents = false;
    for (String path : drls) {
      String text = source.text(path);
      matchesCandidates |= CANDIDATE_PATTERN.matcher(text).find();
      remembers &= !REMEMBERS_NOT.matcher(text).find();
      namesIdentity |= NAMES_IDENTITY.matcher(text).find();
      namesComponents |= NAMES_COMPONENTS.matcher(text).find();
    }
    return new DrlKnowledge(
        container,
        Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
        warnings,
        matchesCandidates,
        remembers,
        namesIdentity,
        namesComponents);
  }

  /**
   * What the rules conclude from {@code facts} (the customer-level facts, in the engine's order):
   * remembered from an earlier decision on equal facts when {@code remember} is set and this rule
   * base concludes from its facts alone, else fired in a pooled session (and remembered). {@code
   * fired}, when not null, hears every rule that fired for these facts, remembered or not.
   */
  Conclusions conclude(
      List<Object> facts, boolean remember, java.util.function.Consumer<String> fired) {
    boolean memo = remember && situations != null;
    Situation key = memo ? key(facts) : null;
    Conclusions known = memo ? situations.getIfPresent(key) : null;
    if (known == null) {
      Plan plan = new Plan();
      List<Object> all = new ArrayList<>(facts.size() + 1);
      all.addAll(facts);
      all.add(plan);
      List<String> names = new ArrayList<>();
      List<CriticalGap> gaps =
          fire(
              all,
              new org.kie.api.event.rule.DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(org.kie.api.event.rule.AfterMatchFiredEvent event) {
                  names.add(event.getMatch().getRule().getName());
                }
              });
      known = new Conclusions(List.copyOf(gaps), plan.frozen(), List.copyOf(names));
      if (memo) {
        situations.put(key, known);
      }
    }
    if (fired != null) {
      known.fired().forEach(fired);
    }
    return known;
  }

  /** Situations found remembered, and fired anew, since the knowledge base was built. */
  long[] situationCounts() {
    if (situations == null) {
      return new long[] {0, 0};
    }
    var stats = situations.stats();
    return new long[] {stats.hitCount(), stats.missCount()};
  }

  private Situation key(List<Object> facts) {
    Object[] key = facts.toArray();
    for (int i = 0; i < key.length; i++) {
      if (!namesIdentity && key[i] instanceof io.nextbest.engine.facts.Signals s) {
        key[i] = s.situation();
      } else if (!namesComponents && key[i] instanceof Indices ind) {
        // The components' sentences were most of the key's hashing and comparing.
        key[i] = ind.situation();
      }
    }
    return new Situation(key);
  }

  private static int weight(Object[] facts) {
    int w = facts.length;
    for (Object f : facts) {
      if (f instanceof io.nextbest.engine.model.CustomerProfile p) {
        w +=
            p.csat().size()
                + p.ces().size()
                + p.complaints().size()
                + p.failedInteractions().size()
                + p.channels().size()
                + p.products().size()
                + p.outreach().size()
                + p.consent().size();
      } else if (f instanceof io.nextbest.engine.facts.Signals s) {
        w += s.negativeEvidence().size();
      }
    }
    return w;
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
