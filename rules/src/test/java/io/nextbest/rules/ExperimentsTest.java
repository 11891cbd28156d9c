package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.Feedback;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.experiments.Arms;
import io.nextbest.engine.experiments.Experiment;
import io.nextbest.engine.experiments.ExperimentException;
import io.nextbest.engine.experiments.ExperimentReport;
import io.nextbest.engine.experiments.Experiments;
import io.nextbest.engine.experiments.SqliteExperimentStore;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.ExperimentArm;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.SqliteRegistryStore;
import io.nextbest.engine.registry.VersionInfo;
import io.nextbest.engine.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control groups and live champion/challenger on the bundled rule set (G13). */
class ExperimentsTest {
  static RuleSetSource withLearning(String json) {
    return BundledRuleSet.SOURCE.with(
        "experiment", Map.of("learning.json", json.getBytes(StandardCharsets.UTF_8)));
  }

  static String holdout(String policy) {
    return BundledRuleSet.SOURCE
        .text("learning.json")
        .replace(
            "\"perCustomerCap\": 3",
            "\"perCustomerCap\": 3, \"holdout\": {\"id\": \"control-1\", \"share\": 0.2, \"policy\": \""
                + policy
                + "\", \"successEvents\": [\"PURCHASE\"], \"successWithinDays\": 30}");
  }

  @Test
  void aHeldOutCustomer_getsNoProactiveOutreach_andTheDecisionSaysSo() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .ruleSet(RuleSet.compile(withLearning(holdout("NO_OUTREACH"))))
            .build();
    int held = 0;
    int n = 600;
    for (int i = 0; i < n; i++) {
      String id = "hold-" + i;
      Decision d = engine.decide(Given.satisfiedQuietCustomer(id).context());
      boolean expected = Arms.inShare(id, "control-1", 0.2);
      assertThat(d.experiments())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.experimentId()).isEqualTo("control-1");
                assertThat(a.arm())
                    .isEqualTo(expected ? ExperimentArm.HOLDOUT : ExperimentArm.TREATED);
              });
      if (expected) {
        held++;
        assertThat(d.actions()).noneMatch(RecommendedAction::outbound);
        assertThat(d.suppressed())
            .anySatisfy(
                s ->
                    assertThat(s.by())
                        .anySatisfy(by -> assertThat(by.rule()).isEqualTo("HoldoutControlGroup")));
      }
    }
    double sd = Math.sqrt(n * 0.2 * 0.8);
    assertThat((double) held).isBetween(n * 0.2 - 4 * sd, n * 0.2 + 4 * sd);
  }

  @Test
  void aBaselineHoldout_ranksOnCatalogPriors_whateverWasLearned() {
    BetaPropensities model = BetaPropensities.withPriorStrength(20);
    Map<OutcomeKey, Counts> counts = ExplorationTest.oneOutcomeEverywhere();
    model.replaceAll(counts);
    DecisionEngine engine =
        DecisionEngine.builder()
            .ruleSet(RuleSet.compile(withLearning(holdout("BASELINE"))))
            .propensities(model)
            .build();
    String heldId =
        java.util.stream.IntStream.range(0, 1000)
            .mapToObj(i -> "base-" + i)
            .filter(c -> Arms.inShare(c, "control-1", 0.2))
            .findFirst()
            .orElseThrow();
    Decision d = engine.decide(Given.satisfiedQuietCustomer(heldId).context());
    assertThat(d.heldOut()).isTrue();
    assertThat(d.actions())
        .allSatisfy(
            a -> assertThat(a.explanation().priority().propensity().source()).isEqualTo("prior"));
  }

  @Test
  void championChallenger_sticky_counted_reported_andPromotedThroughTheGate(@TempDir Path dir) {
    Clock clock = Clock.fixed(Given.NOW, ZoneOffset.UTC);
    try (Sqlite db = Sqlite.open(dir)) {
      RuleSetRegistry registry =
          RuleSetRegistry.open(
              new SqliteRegistryStore(db, Clock.systemUTC()), BundledRuleSet.SOURCE);
      RuleSetSource candidate =
          withLearning(
              BundledRuleSet.SOURCE
                  .text("learning.json")
                  .replace("\"EMAIL\": 0.0", "\"EMAIL\": 0.5"));
      VersionInfo v2 = registry.register(candidate, "ann", "explore email half as much", "test");
      BetaPropensities model = BetaPropensities.withPriorStrength(20);
      DecisionEngine engine =
          DecisionEngine.builder()
              .ruleSet(registry.active())
              .propensities(model)
              .clock(clock)
              .build();
      registry.onActivate(engine::activate);
      Experiments experiments = new Experiments(new SqliteExperimentStore(db), registry, clock);
      try (CustomerService customers =
          CustomerService.builder()
              .store(new SqliteCustomerStore(db), false)
              .engine(engine)
              .propensities(model)
              .experiments(experiments)
              .build()) {
        assertThatThrownBy(
                () ->
                    experiments.start(
                        new Experiments.Start("Bad Id", v2.sequence(), 1.5, List.of("NOPE"), 30),
                        "ann"))
            .isInstanceOfSatisfying(
                ExperimentException.class,
                e ->
                    assertThat(e.errors())
                        .extracting(f -> f.field())
                        .containsExactlyInAnyOrder("id", "share", "successEvents"));
        Experiment e =
            experiments.start(
                new Experiments.Start("growth-half", v2.sequence(), 0.3, List.of("PURCHASE"), 14),
                "ann");
        assertThat(e.status()).isEqualTo(Experiment.Status.RUNNING);
        assertThatThrownBy(
                () ->
                    experiments.start(
                        new Experiments.Start("another", v2.sequence(), 0.3, null, null), "ann"))
            .isInstanceOfSatisfying(
                ExperimentException.class,
                x -> assertThat(x.reason()).isEqualTo(ExperimentException.Reason.CONFLICT));

        int n = 300;
        String acceptedBy = null;
        Decision accepted = null;
        for (int i = 0; i < n; i++) {
          String id = "cc-" + i;
          CustomerContext ctx = Given.satisfiedQuietCustomer(id).context();
          Decision d =
              customers.decide(ctx, Set.of("csat", "ces", "products", "channels", "consent"));
          Decision again =
              customers.decide(ctx, Set.of("csat", "ces", "products", "channels", "consent"));
          String arm =
              Arms.inShare(id, "growth-half", 0.3)
                  ? ExperimentArm.CHALLENGER
                  : ExperimentArm.CHAMPION;
          assertThat(d.experiments()).singleElement().extracting(ExperimentArm::arm).isEqualTo(arm);
          assertThat(again.experiments())
              .as("sticky")
              .singleElement()
              .extracting(ExperimentArm::arm)
              .isEqualTo(arm);
          assertThat(d.ruleSetVersion())
              .isEqualTo(
                  arm.equals(ExperimentArm.CHALLENGER)
                      ? registry.version(v2.sequence()).label()
                      : registry.active().version());
          if (arm.equals(ExperimentArm.CHALLENGER) && accepted == null && !d.actions().isEmpty()) {
            accepted = d;
            acceptedBy = id;
          }
        }
        assertThat(accepted).isNotNull();
        customers.feedback(
            new Feedback(
                accepted.decisionId(),
                accepted.actions().get(0).actionId(),
                LedgerKind.ACCEPTED_BY_CUSTOMER,
                null,
                null,
                Given.NOW));
        String buyer =
            java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> "cc-" + i)
                .filter(c -> !Arms.inShare(c, "growth-half", 0.3))
                .findFirst()
                .orElseThrow();
        customers.ingest(
            List.of(
                new CustomerService.Incoming(
                    0,
                    "[0]",
                    new CustomerEvent.Purchase(
                        "buy-1", buyer, Given.NOW.plusSeconds(60), "MOBILE", 20.0))));
        customers.ingest(
            List.of(
                new CustomerService.Incoming(
                    0,
                    "[0]",
                    new CustomerEvent.Purchase(
                        "buy-2", acceptedBy, Given.NOW.plusSeconds(90), "MOBILE", 20.0))));

        ExperimentReport r = experiments.report("growth-half").orElseThrow();
        long inChallenger =
            java.util.stream.IntStream.range(0, n)
                .filter(i -> Arms.inShare("cc-" + i, "growth-half", 0.3))
                .count();
        assertThat(r.arms().get(1).customers()).isEqualTo(inChallenger);
        assertThat(r.arms().get(0).customers()).isEqualTo(n - inChallenger);
        assertThat(r.arms().get(1).decisions()).isEqualTo(2 * inChallenger);
        assertThat(r.arms().get(0).successes()).as("the purchase").isEqualTo(1);
        assertThat(r.arms().get(1).successes())
            .as("the accept; the same customer's purchase counts once")
            .isEqualTo(1);
        assertThat(r.uplift()).isNotNull();

        Experiment promoted = experiments.promote("growth-half", "ann");
        assertThat(promoted.status()).isEqualTo(Experiment.Status.PROMOTED);
        assertThat(registry.activeSequence()).isEqualTo(v2.sequence());
        assertThat(
                customers
                    .decide(Given.satisfiedQuietCustomer("after").context(), Set.of())
                    .experiments())
            .as("no experiment runs")
            .isNull();
        assertThatThrownBy(() -> experiments.stop("growth-half", "ann"))
            .isInstanceOfSatisfying(
                ExperimentException.class,
                x -> assertThat(x.reason()).isEqualTo(ExperimentException.Reason.CONFLICT));
      }
    }
  }

  /** A clock the test moves: exposures are stamped with it. */
  static final class MovingClock extends Clock {
    volatile java.time.Instant now;

    MovingClock(java.time.Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  /**
   * "No churn within 90 days": customers who joined 100 days ago and closed no product within 90
   * days succeeded; one who closed a product in time did not; those who joined 10 days ago are
   * pending, unless they closed one already. The events are dated in the past.
   */
  @Test
  void noChurnWithinNDays_succeedsOnceTheDaysAreOver_andIsPendingUntilThen(@TempDir Path dir) {
    java.time.Instant t0 = Given.NOW.minus(java.time.Duration.ofDays(100));
    MovingClock clock = new MovingClock(t0);
    try (Sqlite db = Sqlite.open(dir)) {
      RuleSetRegistry registry =
          RuleSetRegistry.open(
              new SqliteRegistryStore(db, Clock.systemUTC()), BundledRuleSet.SOURCE);
      VersionInfo v2 =
          registry.register(
              withLearning(
                  BundledRuleSet.SOURCE
                      .text("learning.json")
                      .replace("\"EMAIL\": 0.0", "\"EMAIL\": 0.5")),
              "ann",
              "explore email half as much",
              "test");
      DecisionEngine engine =
          DecisionEngine.builder()
              .ruleSet(registry.active())
              .propensities(BetaPropensities.withPriorStrength(20))
              .clock(Clock.fixed(Given.NOW, ZoneOffset.UTC))
              .build();
      Experiments experiments = new Experiments(new SqliteExperimentStore(db), registry, clock);
      try (CustomerService customers =
          CustomerService.builder()
              .store(new SqliteCustomerStore(db), false)
              .engine(engine)
              .propensities(BetaPropensities.withPriorStrength(20))
              .experiments(experiments)
              .build()) {
        assertThatThrownBy(
                () ->
                    experiments.start(
                        new Experiments.Start(
                            "keep-bad",
                            v2.sequence(),
                            0.5,
                            null,
                            null,
                            new Experiments.Without(List.of("CHURN"), 0)),
                        "ann"))
            .isInstanceOfSatisfying(
                ExperimentException.class,
                e ->
                    assertThat(e.errors())
                        .extracting(f -> f.field())
                        .containsExactly("successWithout.events"));
        Experiment e =
            experiments.start(
                new Experiments.Start(
                    "keep-90",
                    v2.sequence(),
                    0.5,
                    null,
                    null,
                    new Experiments.Without(List.of("PRODUCT_CLOSED"), 90)),
                "ann");
        assertThat(e.successWithout().events()).containsExactly("PRODUCT_CLOSED");
        Set<String> fields = Set.of("csat", "ces", "products", "channels", "consent");
        int old = 40;
        int recent = 10;
        for (int i = 0; i < old; i++) {
          customers.decide(Given.satisfiedQuietCustomer("old-" + i).context(), fields);
        }
        clock.now = Given.NOW.minus(java.time.Duration.ofDays(10));
        for (int i = 0; i < recent; i++) {
          customers.decide(Given.satisfiedQuietCustomer("new-" + i).context(), fields);
        }
        clock.now = Given.NOW;

        // Expected per arm: {customers, successes, pending}.
        Map<String, long[]> expected = new java.util.HashMap<>();
        List<CustomerService.Incoming> events = new java.util.ArrayList<>();
        for (int i = 0; i < old; i++) {
          String c = "old-" + i;
          long[] arm =
              expected.computeIfAbsent(
                  Arms.inShare(c, "keep-90", 0.5) ? "challenger" : "champion", k -> new long[3]);
          arm[0]++;
          java.time.Instant closed =
              switch (i % 4) {
                case 0 -> t0.plus(java.time.Duration.ofDays(50)); // in time: no success
                case 1 -> t0.plus(java.time.Duration.ofDays(95)); // after the 90 days
                case 2 -> t0.minus(java.time.Duration.ofDays(1)); // before joining
                default -> null;
              };
          if (i % 4 != 0) {
            arm[1]++;
          }
          if (closed != null) {
            events.add(
                new CustomerService.Incoming(
                    0, "[0]", new CustomerEvent.ProductClosed("pc-" + c, c, closed, "BROADBAND")));
          }
        }
        for (int i = 0; i < recent; i++) {
          String c = "new-" + i;
          long[] arm =
              expected.computeIfAbsent(
                  Arms.inShare(c, "keep-90", 0.5) ? "challenger" : "champion", k -> new long[3]);
          arm[0]++;
          if (i % 2 == 0) {
            // Closed five days ago: decided, not a success, though its days are not over.
            events.add(
                new CustomerService.Incoming(
                    0,
                    "[0]",
                    new CustomerEvent.ProductClosed(
                        "pc-" + c, c, Given.NOW.minus(java.time.Duration.ofDays(5)), "BROADBAND")));
          } else {
            arm[2]++;
          }
        }
        for (CustomerService.Incoming in : events) {
          customers.ingest(List.of(in));
        }

        ExperimentReport r = experiments.report("keep-90").orElseThrow();
        for (ExperimentReport.Arm a : r.arms()) {
          long[] x = expected.get(a.arm());
          assertThat(new long[] {a.customers(), a.successes(), a.pending()})
              .as(a.arm())
              .containsExactly(x);
          assertThat(a.rate())
              .isCloseTo(
                  (double) x[1] / (x[0] - x[2]), org.assertj.core.api.Assertions.within(1e-6));
        }
        // Eighty-five days on, the recent customers' ninety days are over.
        clock.now = Given.NOW.plus(java.time.Duration.ofDays(85));
        long pending = expected.values().stream().mapToLong(x -> x[2]).sum();
        assertThat(
                experiments.report("keep-90").orElseThrow().arms().stream()
                    .mapToLong(ExperimentReport.Arm::successes)
                    .sum())
            .as("the recent customers' days are over: those who closed nothing succeeded")
            .isEqualTo(expected.values().stream().mapToLong(x -> x[1]).sum() + pending);
      } finally {
        experiments.close();
      }
    }
  }

  @Test
  void aChallengerThatFailsItsGate_cannotStart(@TempDir Path dir) {
    try (Sqlite db = Sqlite.open(dir)) {
      RuleSetRegistry registry =
          RuleSetRegistry.open(
              new SqliteRegistryStore(db, Clock.systemUTC()), BundledRuleSet.SOURCE);
      String contact =
          BundledRuleSet.SOURCE
              .text("dmn/contact-policy.dmn")
              .replaceFirst("&lt; 30", "&lt; 30 +* 2");
      VersionInfo broken =
          registry.upload(
              Map.of("dmn/contact-policy.dmn", contact.getBytes(StandardCharsets.UTF_8)),
              null,
              "ann",
              "typo");
      Experiments experiments =
          new Experiments(new SqliteExperimentStore(db), registry, Clock.systemUTC());
      try {
        assertThatThrownBy(
                () ->
                    experiments.start(
                        new Experiments.Start("broken", broken.sequence(), 0.1, null, null), "ann"))
            .isInstanceOfSatisfying(
                ExperimentException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(ExperimentException.Reason.INVALID);
                  assertThat(e.errors())
                      .singleElement()
                      .satisfies(f -> assertThat(f.field()).isEqualTo("challenger"));
                });
        assertThatThrownBy(
                () ->
                    experiments.start(new Experiments.Start("unknown", 99, 0.1, null, null), "ann"))
            .isInstanceOf(ExperimentException.class);
      } finally {
        experiments.close();
      }
    }
  }
}
