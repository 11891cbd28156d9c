package io.nextbest.rules;

import static io.nextbest.rules.Given.champion;
import static io.nextbest.rules.Given.customer;
import static io.nextbest.rules.Given.satisfiedQuietCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CandidateOutcome;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complexity;
import io.nextbest.engine.model.Component;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Routing;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import io.nextbest.engine.model.Tone;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One nested class per guidance item (G1–G17), each test stating a behaviour the guidance demands
 * of the bundled rule set. rules/TRACEABILITY.md points at these.
 */
class GuidanceRulesTest {

  static Decision decide(Given given) {
    return BundledRuleSet.ENGINE.decide(given.context());
  }

  static RecommendedAction recommended(Decision d, String actionId) {
    CandidateOutcome o =
        d.outcomeOf(actionId)
            .orElseThrow(() -> new AssertionError(actionId + " is neither ranked nor suppressed"));
    assertThat(o)
        .as(actionId + " should be recommended, was " + o)
        .isInstanceOf(RecommendedAction.class);
    return (RecommendedAction) o;
  }

  static List<String> suppressors(Decision d, String actionId) {
    return d.outcomeOf(actionId)
        .filter(SuppressedAction.class::isInstance)
        .map(o -> ((SuppressedAction) o).by().stream().map(Suppression::rule).toList())
        .orElse(List.of());
  }

  static Suppression suppression(Decision d, String actionId, String rule) {
    SuppressedAction s =
        (SuppressedAction)
            d.outcomeOf(actionId)
                .filter(SuppressedAction.class::isInstance)
                .orElseThrow(
                    () ->
                        new AssertionError(
                            actionId + " is not suppressed: " + d.outcomeOf(actionId)));
    return s.by().stream()
        .filter(b -> b.rule().equals(rule))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(actionId + " not suppressed by " + rule + " but by " + s.by()));
  }

  static List<String> reasonRules(RecommendedAction a) {
    return a.explanation().reasons().stream().map(Reason::rule).toList();
  }

  @Nested
  class G1_TwoSeparateDimensions {
    @Test
    void experienceAndEngagement_areSeparateIndicesWithComponents() {
      Decision d = decide(champion("g1"));
      assertThat(d.indices().experience().components())
          .extracting(Component::name)
          .containsExactly("satisfaction", "effort", "recommendation", "complaints", "failures");
      assertThat(d.indices().engagement().components())
          .extracting(Component::name)
          .containsExactly(
              "frequency", "recency", "depth", "purchases", "loyalty", "community", "advocacy");
      double sum =
          d.indices().experience().components().stream().mapToDouble(Component::contribution).sum();
      assertThat(sum).isCloseTo(d.indices().experience().value(), within(0.5));
    }

    @Test
    void moreEngagement_doesNotChangeExperience() {
      Decision quiet = decide(satisfiedQuietCustomer("g1a"));
      Decision busy =
          decide(satisfiedQuietCustomer("g1b").loyaltyMember(5000).communityPosts(8).purchases(4));
      assertThat(busy.indices().experience().value())
          .isEqualTo(quiet.indices().experience().value());
      assertThat(busy.indices().engagement().value())
          .isGreaterThan(quiet.indices().engagement().value());
    }
  }

  @Nested
  class G2_SatisfactionIsNotEngagement {
    @Test
    void satisfiedButUnattached_isFlaggedAsRisk() {
      Decision d = decide(satisfiedQuietCustomer("g2"));
      assertThat(d.indices().hasFlag("SATISFIED_BUT_UNATTACHED")).isTrue();
      assertThat(reasonRules(recommended(d, "loyalty-invite")))
          .contains("StayPresentForTheSatisfiedButUnattached");
    }

    @Test
    void satisfiedAndEngaged_isNotFlagged() {
      assertThat(decide(champion("g2b")).indices().hasFlag("SATISFIED_BUT_UNATTACHED")).isFalse();
    }
  }

  @Nested
  class G3_FixCriticalGapsFirst {
    @Test
    void openComplaint_suppressesEveryEngagementAction_andRepairRanksFirst() {
      Decision d =
          decide(
              champion("g3")
                  .openComplaint("C-9", Severity.HIGH, "TV", 4)
                  .onTheLine(Channel.PHONE, "complaint", Sentiment.NEUTRAL));
      assertThat(d.top().orElseThrow().family()).isEqualTo(ActionFamily.EXPERIENCE_REPAIR);
      assertThat(d.actions()).noneMatch(a -> a.family().engagement());
      for (SuppressedAction s : d.suppressed()) {
        if (s.family().engagement()) {
          assertThat(s.by()).anySatisfy(b -> assertThat(b.liftWhen()).contains("C-9"));
        }
      }
      assertThat(d.criticalGaps()).extracting(g -> g.kind()).containsExactly("OPEN_COMPLAINT");
    }

    @Test
    void lowSeverityComplaint_isNotACriticalGap() {
      Decision d = decide(champion("g3b").openComplaint("C-1", Severity.LOW, null, 2));
      assertThat(d.criticalGaps()).isEmpty();
    }

    @Test
    void failureThisWeek_isAGapThatLiftsAfterSevenDays() {
      Decision d = decide(satisfiedQuietCustomer("g3c").failed(Channel.WEB, null, 2));
      assertThat(d.criticalGaps()).extracting(g -> g.kind()).containsExactly("RECENT_FAILURE");
      assertThat(suppression(d, "loyalty-invite", "HoldEngagementWhileGapOpen").liftWhen())
          .contains("28 Nov 2026");
    }

    @Test
    void veryHighEffort_andDetractorScore_areGaps() {
      Decision d = decide(satisfiedQuietCustomer("g3d").ces(7, 3).nps(3, 10));
      assertThat(d.criticalGaps())
          .extracting(g -> g.kind())
          .containsExactlyInAnyOrder("HIGH_EFFORT", "DETRACTOR");
    }
  }

  @Nested
  class G4_CompoundingNegatives {
    @Test
    void threeNegativesInAMonth_escalateToASpecialist() {
      Decision d =
          decide(
              customer("g4")
                  .failed(Channel.APP, null, 12)
                  .csat(1, 9)
                  .resolvedComplaint("C-4", Severity.LOW, 20, 15)
                  .holds("MOBILE", 800)
                  .consents(Channel.EMAIL)
                  .onTheLine(Channel.CHAT, "again", Sentiment.NEUTRAL));
      RecommendedAction top = d.top().orElseThrow();
      assertThat(top.actionId()).isEqualTo("repair-retention-specialist");
      assertThat(top.routing()).isEqualTo(Routing.SPECIALIST);
      assertThat(reasonRules(top)).contains("EscalateCompoundingNegativesToSpecialist");
      assertThat(d.indices().hasFlag("COMPOUNDING_NEGATIVES")).isTrue();
    }

    @Test
    void theSpecialistsWhy_isItsOwnReason_notTheGateEveryRepairShares() {
      Decision d =
          decide(
              customer("g4c")
                  .failed(Channel.APP, null, 12)
                  .csat(1, 9)
                  .resolvedComplaint("C-4", Severity.LOW, 20, 15)
                  .holds("MOBILE", 800)
                  .consents(Channel.EMAIL)
                  .onTheLine(Channel.CHAT, "again", Sentiment.NEUTRAL));
      List<RecommendedAction> repairs =
          d.actions().stream().filter(a -> a.family() == ActionFamily.EXPERIENCE_REPAIR).toList();
      assertThat(repairs)
          .hasSizeGreaterThan(1)
          .allSatisfy(a -> assertThat(reasonRules(a)).contains("RepairFirstWhileGapOpen"));
      RecommendedAction specialist = d.top().orElseThrow();
      assertThat(specialist.explanation().summary())
          .as("the lift that sets it apart, though the shared gate lifts more")
          .contains("a person with authority should take it")
          .doesNotContain("fix this first");
    }

    @Test
    void oneNegative_doesNotCallForASpecialist() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g4b")
                  .csat(2, 9)
                  .onTheLine(Channel.CHAT, "question", Sentiment.NEUTRAL));
      assertThat(suppressors(d, "repair-retention-specialist"))
          .contains("SpecialistOnlyWhenProblemsCompound");
    }
  }

  @Nested
  class G5_Quadrants {
    @Test
    void eachPersonaLandsInItsQuadrant() {
      assertThat(decide(satisfiedQuietCustomer("g5a")).segment().quadrant()).isEqualTo(Quadrant.Q2);
      assertThat(decide(champion("g5b")).segment().quadrant()).isEqualTo(Quadrant.Q4);
    }

    @Test
    void quadrantThresholds_areTheAnalystsDmn_notCode() {
      // Raise the high-experience threshold in the DMN text only: the same customer moves from Q2
      // to Q1.
      String path = "dmn/quadrant-classification.dmn";
      String dmn = BundledRuleSet.SOURCE.text(path);
      assertThat(dmn).contains("&gt;= 60");
      String stricter = dmn.replace("&gt;= 60", "&gt;= 99").replace("&lt; 60", "&lt; 99");
      var rs =
          io.nextbest.engine.RuleSet.compile(
              BundledRuleSet.SOURCE.with(
                  "strict",
                  java.util.Map.of(
                      path, stricter.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      Decision d = BundledRuleSet.ENGINE.decide(satisfiedQuietCustomer("g5c").context(), rs);
      assertThat(d.segment().quadrant()).isEqualTo(Quadrant.Q1);
    }
  }

  @Nested
  class G6_OutreachByQuadrant {
    @Test
    void transactionalCustomers_getNoPriceOnlyPush() {
      Decision d =
          decide(
              customer("g6")
                  .csat(2, 40)
                  .ces(5, 40)
                  .holds("BROADBAND", 900)
                  .consents(Channel.EMAIL, Channel.SMS));
      assertThat(d.segment().quadrant()).isEqualTo(Quadrant.Q1);
      assertThat(suppressors(d, "value-price-discount"))
          .contains("NoPriceOnlyPushesForTransactional");
    }

    @Test
    void priorityService_isForChampionsOnly() {
      assertThat(
              recommended(
                  decide(champion("g6b").onTheLine(Channel.PHONE, "question", Sentiment.POSITIVE)),
                  "proactive-priority-service"))
          .isNotNull();
      Decision q2 =
          decide(
              satisfiedQuietCustomer("g6c")
                  .onTheLine(Channel.PHONE, "question", Sentiment.POSITIVE));
      assertThat(suppressors(q2, "proactive-priority-service"))
          .contains("PriorityServiceProtectsChampions");
    }

    @Test
    void strategyWeights_comeFromTheQuadrantStrategyTable() {
      RecommendedAction a = recommended(decide(satisfiedQuietCustomer("g6d")), "loyalty-invite");
      assertThat(a.explanation().priority().contextFactors().get(0).source())
          .contains("One-Hit Wonder");
      assertThat(a.explanation().priority().contextFactors().get(0).multiplier()).isEqualTo(1.0);
    }
  }

  @Nested
  class G7_ExperienceOpensTheDoor {
    @Test
    void greatResolution_boostsLoyaltyAndAdvocacyAsks() {
      Decision d = decide(satisfiedQuietCustomer("g7").justResolved(Channel.PHONE, 5));
      assertThat(reasonRules(recommended(d, "advocacy-referral")))
          .contains("AskRightAfterAGreatResolution");
      assertThat(reasonRules(recommended(d, "loyalty-enrol-now")))
          .contains("AskRightAfterAGreatResolution");
    }

    @Test
    void poorResolution_holdsEveryAsk() {
      Decision d = decide(satisfiedQuietCustomer("g7b").justResolved(Channel.PHONE, 2));
      assertThat(suppressors(d, "loyalty-enrol-now")).contains("NoAsksRightAfterAPoorResolution");
      assertThat(suppressors(d, "advocacy-referral")).contains("NoAsksRightAfterAPoorResolution");
    }
  }

  @Nested
  class G8_EngagementImprovesExperience {
    @Test
    void openCase_getsAProactiveStatusUpdate() {
      RecommendedAction a =
          recommended(
              decide(satisfiedQuietCustomer("g8").openComplaint("C-8", Severity.LOW, null, 6)),
              "proactive-status-update");
      assertThat(reasonRules(a)).contains("KeepInformedWhileComplaintOpen");
    }

    @Test
    void twoComplaintsOpenEquallyLong_boostTheStatusUpdateOnce() {
      RecommendedAction a =
          recommended(
              decide(
                  satisfiedQuietCustomer("g8t")
                      .openComplaint("C-2", Severity.LOW, null, 6)
                      .openComplaint("C-1", Severity.LOW, null, 6)),
              "proactive-status-update");
      assertThat(reasonRules(a)).containsOnlyOnce("KeepInformedWhileComplaintOpen");
      assertThat(a.explanation().reasons())
          .filteredOn(r -> r.rule().equals("KeepInformedWhileComplaintOpen"))
          .singleElement()
          .satisfies(r -> assertThat(r.text()).contains("C-1"));
    }

    @Test
    void newProduct_getsAnOnboardingGuide_andOutage_getsANotice() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g8b")
                  .holds("TV", 5)
                  .onTheLine(Channel.CHAT, "TV outage in my area", Sentiment.NEUTRAL));
      assertThat(reasonRules(recommended(d, "value-onboarding-guide")))
          .contains("OnboardNewProducts");
      assertThat(reasonRules(recommended(d, "proactive-known-issue-notice")))
          .contains("NoticeOfKnownIssue");
    }
  }

  @Nested
  class G9_NoBombardment {
    @Test
    void weeklyCap_holdsOutreach_untilTheWindowHasRoom() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g9")
                  .sent("value-usage-tips", Channel.EMAIL, 5)
                  .sent("community-invite", Channel.EMAIL, 3));
      Suppression s = suppression(d, "loyalty-invite", "WeeklyOutreachCap");
      assertThat(s.liftWhen()).contains("25 Nov 2026");
      assertThat(d.actions())
          .noneMatch(a -> a.outbound() && a.family() != ActionFamily.EXPERIENCE_REPAIR);
    }

    @Test
    void lowExperienceCustomers_haveTighterCaps() {
      Decision q2 = decide(satisfiedQuietCustomer("g9b"));
      Decision q1 = decide(customer("g9c").csat(2, 40).ces(5, 40).holds("BROADBAND", 900));
      assertThat(q1.contact().max7Days()).isLessThan(q2.contact().max7Days());
      assertThat(q1.contact().max30Days()).isLessThan(q2.contact().max30Days());
    }

    @Test
    void withdrawnConsent_removesTheChannel() {
      Decision d =
          decide(satisfiedQuietCustomer("g9d").withdrew(Channel.EMAIL).withdrew(Channel.SMS));
      assertThat(d.actions()).noneMatch(RecommendedAction::outbound);
      assertThat(suppressors(d, "loyalty-invite")).contains("RespectChannelConsent");
    }

    @Test
    void quietHours_keepInterruptiveChannelsSilent() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g9e")
                  .prefers(Channel.SMS)
                  .quietHours("21:00", "08:00", "Europe/Paris")
                  .at(Instant.parse("2026-11-23T22:30:00Z")));
      assertThat(d.actions())
          .filteredOn(RecommendedAction::outbound)
          .allSatisfy(a -> assertThat(a.channel().interruptive()).isFalse());
      assertThat(recommended(d, "loyalty-invite").channel()).isEqualTo(Channel.EMAIL);
    }
  }

  @Nested
  class G10_ChannelContinuity {
    @Test
    void inboundActions_stayOnTheCurrentChannel() {
      Decision d = decide(champion("g10").onTheLine(Channel.CHAT, "question", Sentiment.POSITIVE));
      assertThat(d.actions())
          .filteredOn(a -> !a.outbound())
          .allSatisfy(a -> assertThat(a.channel()).isEqualTo(Channel.CHAT));
    }

    @Test
    void withoutAConversation_inboundActionsWait() {
      Decision d = decide(champion("g10b"));
      assertThat(suppressors(d, "growth-upgrade-offer")).contains("InboundNeedsALiveConversation");
    }

    @Test
    void aChannelThatJustFailed_isNotUsedForFollowUp() {
      Decision d =
          decide(satisfiedQuietCustomer("g10c").prefers(Channel.SMS).failed(Channel.SMS, null, 10));
      assertThat(recommended(d, "loyalty-invite").channel()).isNotEqualTo(Channel.SMS);
    }
  }

  @Nested
  class G11_HumanOrAutomated {
    @Test
    void upsetHighValueCustomer_isRoutedToASpecialist() {
      Decision d =
          decide(
              champion("g11")
                  .annualValue(3000)
                  .openComplaint("C-11", Severity.LOW, null, 3)
                  .onTheLine(Channel.PHONE, "still broken", Sentiment.NEGATIVE));
      assertThat(recommended(d, "repair-resolve-now").routing()).isEqualTo(Routing.SPECIALIST);
    }

    @Test
    void standardOutboundMessages_areAutomated() {
      assertThat(recommended(decide(satisfiedQuietCustomer("g11b")), "loyalty-invite").routing())
          .isEqualTo(Routing.AUTOMATED);
    }
  }

  @Nested
  class G12_Personalise {
    @Test
    void upsetCustomer_getsAnEmpatheticTone() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g12")
                  .onTheLine(Channel.PHONE, "annoyed", Sentiment.NEGATIVE));
      assertThat(d.actions()).allSatisfy(a -> assertThat(a.tone()).isEqualTo(Tone.EMPATHETIC));
    }

    @Test
    void complexity_followsDigitalConfidence() {
      assertThat(decide(satisfiedQuietCustomer("g12b").proficiency(Proficiency.LOW)).actions())
          .allSatisfy(a -> assertThat(a.complexity()).isEqualTo(Complexity.SIMPLE));
      assertThat(decide(satisfiedQuietCustomer("g12c").proficiency(Proficiency.HIGH)).actions())
          .allSatisfy(a -> assertThat(a.complexity()).isEqualTo(Complexity.DETAILED));
    }
  }

  @Nested
  class G13_CloseTheLoop {
    @Test
    void unratedResolution_getsAFeedbackRequest() {
      Decision d = decide(satisfiedQuietCustomer("g13").justResolved(Channel.CHAT, null));
      assertThat(reasonRules(recommended(d, "feedback-post-resolution-survey")))
          .contains("AskHowTheResolutionWent");
    }

    @Test
    void recentSurvey_preventsSurveyFatigue() {
      Decision d =
          decide(satisfiedQuietCustomer("g13b").csat(5, 3).justResolved(Channel.CHAT, null));
      assertThat(suppressors(d, "feedback-post-resolution-survey")).contains("NoSurveyFatigue");
    }

    @Test
    void everyAction_saysWherePropensityCameFrom_andTheDecisionHasAnIdForFeedback() {
      Decision d = decide(satisfiedQuietCustomer("g13c"));
      assertThat(d.decisionId()).isNotBlank();
      assertThat(d.actions())
          .allSatisfy(
              a -> assertThat(a.explanation().priority().propensity().source()).isEqualTo("prior"));
    }
  }

  @Nested
  class G14_RelationshipHealth {
    @Test
    void health_isReported_andALopsidedRelationshipScoresLower() {
      Decision lopsided = decide(satisfiedQuietCustomer("g14"));
      Decision balanced = decide(champion("g14b"));
      assertThat(lopsided.indices().relationshipHealth()).isBetween(0.0, 100.0);
      double meanLopsided =
          (lopsided.indices().experience().value() + lopsided.indices().engagement().value()) / 2;
      assertThat(lopsided.indices().relationshipHealth()).isLessThan(meanLopsided);
      assertThat(balanced.indices().relationshipHealth())
          .isGreaterThan(lopsided.indices().relationshipHealth());
    }
  }

  @Nested
  class G15_PredictGaps {
    @Test
    void fallingSatisfaction_callsForACheckIn() {
      Decision d =
          decide(
              satisfiedQuietCustomer("g15")
                  .csat(5, 120)
                  .csat(5, 80)
                  .csat(2, 4)
                  .consents(Channel.PHONE));
      assertThat(d.indices().hasFlag("FALLING_CSAT")).isTrue();
      assertThat(reasonRules(recommended(d, "proactive-check-in-call")))
          .contains("CheckInWhenSatisfactionFalls");
    }

    @Test
    void risingEffort_callsForACheckIn_andSteadyScoresDoNot() {
      Decision rising =
          decide(
              satisfiedQuietCustomer("g15b")
                  .ces(2, 100)
                  .ces(2, 60)
                  .ces(5, 4)
                  .consents(Channel.PHONE));
      assertThat(reasonRules(recommended(rising, "proactive-check-in-call")))
          .contains("CheckInWhenEffortRises");
      assertThat(
              suppressors(
                  decide(satisfiedQuietCustomer("g15c").consents(Channel.PHONE)),
                  "proactive-check-in-call"))
          .contains("CheckInOnlyOnAFallingTrend");
    }
  }

  @Nested
  class G16_DeepenGoodRelationships {
    @Test
    void champions_areOfferedMore_unlessAGapIsOpen() {
      Decision d = decide(champion("g16").onTheLine(Channel.PHONE, "question", Sentiment.POSITIVE));
      assertThat(reasonRules(recommended(d, "growth-upgrade-offer")))
          .contains("DeepenChampionRelationships");
      Decision gap =
          decide(
              champion("g16b")
                  .openComplaint("C-16", Severity.MEDIUM, null, 2)
                  .onTheLine(Channel.PHONE, "question", Sentiment.POSITIVE));
      assertThat(suppressors(gap, "growth-upgrade-offer")).contains("HoldEngagementWhileGapOpen");
    }
  }

  @Nested
  class G17_PromiseOnlyWhatIsDelivered {
    @Test
    void aProductThatJustFailed_isNotPromoted() {
      Decision d = decide(satisfiedQuietCustomer("g17").failed(Channel.WEB, "MOBILE", 12));
      assertThat(suppressors(d, "growth-mobile-cross-sell"))
          .contains("NoPromotionOfAProductThatJustFailed");
    }

    @Test
    void aChannelThatJustFailed_isNotPromoted() {
      Decision d = decide(satisfiedQuietCustomer("g17b").failed(Channel.APP, null, 12));
      assertThat(suppressors(d, "growth-app-adoption"))
          .contains("NoPromotionOfAChannelThatJustFailed");
    }
  }
}
