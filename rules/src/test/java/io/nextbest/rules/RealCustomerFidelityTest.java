package io.nextbest.rules;

import static io.nextbest.rules.Given.customer;
import static io.nextbest.rules.Given.satisfiedQuietCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.learning.BetaPropensities;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Component;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Index;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Routing;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messy, incomplete customers as real data delivers them (issue 10): missing surveys, complaint
 * histories, problem calls, failures spread over weeks, a customer who escalated from a failed
 * chat. Each test states what the guidance asks of the decision for that customer.
 */
class RealCustomerFidelityTest {

  static Decision decide(Given given) {
    return BundledRuleSet.ENGINE.decide(given.context());
  }

  static Component component(Index index, String name) {
    return index.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  static List<String> top5(Decision d) {
    return d.actions().stream().limit(5).map(RecommendedAction::actionId).toList();
  }

  @Nested
  class UnknownIsNotPerfect {
    @Test
    void csatAndNpsOnly_isNotHighExperience_andSaysHowLittleIsKnown() {
      Decision d = decide(customer("sparse").csat(3, 20).nps(6, 40));
      Index exp = d.indices().experience();
      assertThat(exp.value())
          .as("CSAT 3/5 and NPS 6/10 are middling; absent complaints and effort add nothing")
          .isLessThan(60);
      assertThat(d.segment().experienceLevel()).isEqualTo(Level.LOW);
      assertThat(exp.coverage()).isGreaterThan(0).isLessThan(1);
      assertThat(component(exp, "effort").observed()).isFalse();
      assertThat(component(exp, "effort").score())
          .as("no effort answer carries no weight")
          .isNull();
      assertThat(component(exp, "complaints").contribution()).isZero();
      assertThat(component(exp, "failures").contribution()).isZero();
    }

    @Test
    void nothingKnown_scoresThePrior_withZeroCoverage() {
      Decision d = decide(customer("blank"));
      assertThat(d.indices().experience().value()).isEqualTo(50.0);
      assertThat(d.indices().experience().coverage()).isZero();
      assertThat(d.indices().engagement().coverage()).isZero();
      assertThat(d.indices().hasFlag("SATISFIED_BUT_UNATTACHED"))
          .as("a prior is not satisfaction")
          .isFalse();
    }
  }

  @Nested
  class ComplaintHistory {
    @Test
    void moreComplaints_alwaysLowerExperience_evenWhenResolved() {
      double one =
          decide(customer("k1").csat(4, 10).openComplaint("K1", Severity.MEDIUM, null, 5))
              .indices()
              .experience()
              .value();
      double plusResolved =
          decide(
                  customer("k2")
                      .csat(4, 10)
                      .openComplaint("K1", Severity.MEDIUM, null, 5)
                      .resolvedComplaint("K2", Severity.MEDIUM, 150, 140)
                      .resolvedComplaint("K3", Severity.MEDIUM, 100, 90)
                      .resolvedComplaint("K4", Severity.MEDIUM, 60, 50))
              .indices()
              .experience()
              .value();
      assertThat(plusResolved).isLessThan(one);
    }

    @Test
    void fourOpenMediumComplaints_weighMoreThanOne() {
      double one =
          decide(customer("m1").csat(4, 10).openComplaint("K1", Severity.MEDIUM, null, 5))
              .indices()
              .experience()
              .value();
      double four =
          decide(
                  customer("m4")
                      .csat(4, 10)
                      .openComplaint("K1", Severity.MEDIUM, null, 5)
                      .openComplaint("K2", Severity.MEDIUM, null, 6)
                      .openComplaint("K3", Severity.MEDIUM, null, 7)
                      .openComplaint("K4", Severity.MEDIUM, null, 8))
              .indices()
              .experience()
              .value();
      assertThat(four).isLessThan(one);
    }

    @Test
    void severityAndRecency_setTheWeight() {
      double medium =
          decide(customer("s1").csat(4, 10).openComplaint("K1", Severity.MEDIUM, null, 5))
              .indices()
              .experience()
              .value();
      double critical =
          decide(customer("s2").csat(4, 10).openComplaint("K1", Severity.CRITICAL, null, 5))
              .indices()
              .experience()
              .value();
      double justResolved =
          decide(customer("s3").csat(4, 10).resolvedComplaint("K1", Severity.MEDIUM, 12, 2))
              .indices()
              .experience()
              .value();
      double longResolved =
          decide(customer("s4").csat(4, 10).resolvedComplaint("K1", Severity.MEDIUM, 310, 300))
              .indices()
              .experience()
              .value();
      double none = decide(customer("s5").csat(4, 10)).indices().experience().value();
      assertThat(critical).isLessThan(medium);
      assertThat(medium).as("open weighs more than resolved").isLessThan(justResolved);
      assertThat(justResolved).as("a resolution fades with time").isLessThan(longResolved);
      assertThat(longResolved).isLessThan(none);
    }
  }

  @Nested
  class EngagementIsChosenActivity {
    @Test
    void faultCalls_doNotRaiseEngagement() {
      Given quiet =
          customer("q").csat(4, 10).holds("BROADBAND", 400).usesChannel(Channel.PHONE, 0, 120);
      Given calling =
          customer("c").csat(4, 10).holds("BROADBAND", 400).contacted(Channel.PHONE, 6, 6, 2);
      Index engagement = decide(calling).indices().engagement();
      assertThat(engagement.value())
          .as("six fault calls are no more engagement than no calls")
          .isEqualTo(decide(quiet).indices().engagement().value());
      assertThat(component(engagement, "frequency").evidence())
          .contains("6 problem contacts not counted");
    }

    @Test
    void eventFedFaultCalls_thatEndedResolved_doNotRaiseEngagement(@TempDir Path dir) {
      java.time.Clock clock = java.time.Clock.fixed(Given.NOW, java.time.ZoneOffset.UTC);
      DecisionEngine engine =
          DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).clock(clock).build();
      try (Sqlite db = Sqlite.open(dir);
          CustomerService customers =
              CustomerService.builder()
                  .store(new SqliteCustomerStore(db), false)
                  .engine(engine)
                  .propensities(BetaPropensities.withPriorStrength(20))
                  .build()) {
        List<CustomerService.Incoming> events = new java.util.ArrayList<>();
        for (String who : List.of("fixed", "quiet")) {
          events.add(
              incoming(
                  events.size(),
                  new CustomerEvent.Purchase(
                      who + "-p",
                      who,
                      Given.NOW.minus(java.time.Duration.ofDays(400)),
                      "BROADBAND",
                      40.0)));
        }
        // The quiet one last called four months ago, so both are known to use the phone.
        events.add(
            incoming(
                events.size(),
                new CustomerEvent.InteractionEnded(
                    "quiet-e",
                    "quiet",
                    Given.NOW.minus(java.time.Duration.ofDays(120)),
                    Channel.PHONE,
                    "plan question",
                    CustomerEvent.Outcome.RESOLVED,
                    null)));
        for (int i = 0; i < 6; i++) {
          java.time.Instant at = Given.NOW.minus(java.time.Duration.ofDays(5 + 10 * i));
          events.add(
              incoming(
                  events.size(),
                  new CustomerEvent.InteractionStarted(
                      "fixed-s" + i, "fixed", at, Channel.PHONE, "router fault")));
          events.add(
              incoming(
                  events.size(),
                  new CustomerEvent.InteractionEnded(
                      "fixed-e" + i,
                      "fixed",
                      at.plusSeconds(600),
                      Channel.PHONE,
                      null,
                      CustomerEvent.Outcome.RESOLVED,
                      "BROADBAND")));
        }
        assertThat(customers.ingest(events))
            .allSatisfy(
                r ->
                    assertThat(r.status())
                        .isEqualTo(io.nextbest.engine.customers.EventResult.Status.STORED));
        Index fixed =
            customers
                .decide(new CustomerContext("fixed", null, null, null, null), Set.of())
                .indices()
                .engagement();
        Index quiet =
            customers
                .decide(new CustomerContext("quiet", null, null, null, null), Set.of())
                .indices()
                .engagement();
        assertThat(component(fixed, "frequency").evidence())
            .as("six fault calls, each fixed, are still calls the customer did not choose")
            .contains("6 problem contacts not counted");
        assertThat(fixed.value()).isEqualTo(quiet.value());
      }
    }

    private static CustomerService.Incoming incoming(int i, CustomerEvent e) {
      return new CustomerService.Incoming(i, "[" + i + "]", e);
    }

    @Test
    void unrecordedActivity_carriesNoWeight_butCoverageSaysSo() {
      Index oneProduct = decide(customer("p1").holds("BROADBAND", 400)).indices().engagement();
      assertThat(component(oneProduct, "community").score()).isNull();
      assertThat(oneProduct.coverage()).isEqualTo(0.2);
      assertThat(oneProduct.value()).isEqualTo(component(oneProduct, "depth").score());
    }

    @Test
    void failedContacts_countAsProblems_evenWhenTheChannelUsageDoesNotSaySo() {
      Given failing =
          customer("f")
              .holds("BROADBAND", 400)
              .usesChannel(Channel.CHAT, 2, 3)
              .failed(Channel.CHAT, null, 3)
              .failed(Channel.CHAT, null, 5);
      assertThat(component(decide(failing).indices().engagement(), "frequency").score()).isZero();
    }

    @Test
    void appUse_andPositiveContacts_doCount() {
      Given quiet = customer("q2").holds("BROADBAND", 400);
      Given active =
          customer("a2")
              .holds("BROADBAND", 400)
              .usesChannel(Channel.APP, 6, 1)
              .contacted(Channel.PHONE, 3, 1, 4);
      assertThat(decide(active).indices().engagement().value())
          .isGreaterThan(decide(quiet).indices().engagement().value());
    }
  }

  @Nested
  class CompoundingNegatives {
    static Given threeFailuresOver45Days(String id) {
      return customer(id)
          .failed(Channel.APP, null, 2)
          .failed(Channel.APP, null, 20)
          .failed(Channel.WEB, null, 45)
          .holds("BROADBAND", 900)
          .loyaltyMember(1200)
          .consents(Channel.EMAIL, Channel.SMS, Channel.APP, Channel.PHONE);
    }

    @Test
    void failuresSpreadOver45Days_compound_withTheBundledWindow() {
      Decision d = decide(threeFailuresOver45Days("w45"));
      assertThat(d.indices().hasFlag("COMPOUNDING_NEGATIVES")).isTrue();
      assertThat(d.criticalGaps()).extracting(g -> g.kind()).contains("COMPOUNDING_NEGATIVES");
    }

    @Test
    void withoutALiveConversation_aSpecialistCallsBack_andGrowthWaits() {
      Decision d = decide(threeFailuresOver45Days("cb"));
      RecommendedAction top = d.top().orElseThrow();
      assertThat(top.actionId()).isEqualTo("repair-specialist-callback");
      assertThat(top.routing()).isEqualTo(Routing.SPECIALIST);
      assertThat(d.actions())
          .extracting(a -> a.family().engagement())
          .as("no engagement or growth offer is ranked")
          .containsOnly(false);
    }

    @Test
    void theOldThirtyDayWindow_isOneAnalystSetting() {
      RuleSetSource bundled = RuleSetSource.bundled();
      String dmn = bundled.text("dmn/gap-policy.dmn");
      String thirty =
          dmn.replaceFirst("(name=\"compoundingWindowDays\"[\\s\\S]*?<text>)60(</text>)", "$130$2");
      assertThat(thirty).isNotEqualTo(dmn);
      RuleSet old =
          RuleSet.compile(
              bundled.with(
                  "thirty-day-window",
                  Map.of("dmn/gap-policy.dmn", thirty.getBytes(StandardCharsets.UTF_8))));
      Decision d =
          DecisionEngine.builder()
              .ruleSet(old)
              .build()
              .decide(threeFailuresOver45Days("w30").context());
      assertThat(d.indices().hasFlag("COMPOUNDING_NEGATIVES")).isFalse();
      assertThat(d.indices().hasFlag("NEGATIVES_ACCUMULATING")).isTrue();
    }
  }

  @Nested
  class ChannelThatJustFailed {
    @Test
    void escalatedFromAFailedChat_isOfferedToMoveOffChat() {
      Decision d =
          decide(
              customer("chat")
                  .csat(2, 0)
                  .failed(Channel.CHAT, null, 0)
                  .holds("BROADBAND", 500)
                  .onTheLine(Channel.CHAT, "chat did not work", Sentiment.NEGATIVE));
      RecommendedAction resolve = GuidanceRulesTest.recommended(d, "repair-resolve-now");
      assertThat(resolve.channel()).isNotEqualTo(Channel.CHAT);
      assertThat(d.actions())
          .filteredOn(a -> !a.outbound())
          .extracting(RecommendedAction::channel)
          .doesNotContain(Channel.CHAT);
    }
  }

  @Nested
  class Trends {
    @Test
    void threeAnswers_areNotYetATrend() {
      Decision d = decide(customer("t3").csat(5, 60).csat(5, 30).csat(4, 2));
      assertThat(d.indices().hasFlag("FALLING_CSAT")).isFalse();
    }

    @Test
    void fourAnswersWithADrop_areAFallingTrend() {
      Decision d = decide(customer("t4").csat(5, 90).csat(5, 60).csat(5, 30).csat(3, 2));
      assertThat(d.indices().hasFlag("FALLING_CSAT")).isTrue();
    }
  }

  @Nested
  class NoPriceOnlyPushes {
    @Test
    void forAOneHitWonder() {
      Decision d = decide(satisfiedQuietCustomer("q2"));
      assertThat(d.segment().quadrant()).isEqualTo(Quadrant.Q2);
      assertThat(top5(d)).doesNotContain("value-price-discount");
      assertThat(GuidanceRulesTest.suppressors(d, "value-price-discount"))
          .contains("NoPriceOnlyPushesForOneHitWonder");
    }

    @Test
    void whileSatisfactionSlides() {
      Decision d =
          decide(
              customer("slide")
                  .csat(5, 90)
                  .csat(5, 60)
                  .csat(4, 30)
                  .csat(3, 2)
                  .holds("BROADBAND", 800)
                  .usesChannel(Channel.APP, 10, 1)
                  .loyaltyMember(3000)
                  .consents(Channel.EMAIL, Channel.SMS));
      assertThat(d.indices().hasFlag("FALLING_CSAT")).isTrue();
      assertThat(top5(d)).doesNotContain("value-price-discount");
      assertThat(GuidanceRulesTest.suppressors(d, "value-price-discount"))
          .contains("NoPriceOnlyPushWhileSatisfactionSlides");
    }
  }
}
