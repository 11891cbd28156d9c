package io.nextbest.benchmarks;

import io.nextbest.benchmarks.HwCandidate.Rule;
import io.nextbest.engine.BaselineIndices;
import io.nextbest.engine.PropensityModel;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.facts.OpenComplaint;
import io.nextbest.engine.facts.RecentFailure;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.facts.Texts;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Complexity;
import io.nextbest.engine.model.ContactState;
import io.nextbest.engine.model.CriticalGap;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Explanation;
import io.nextbest.engine.model.Indices;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.Priority;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Reason;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Routing;
import io.nextbest.engine.model.Segment;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.model.Suppression;
import io.nextbest.engine.model.Tone;
import io.nextbest.engine.model.WeightFactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The whole decision of the bundled rule set written as plain Java: the baseline the engine's DMN +
 * Drools path is measured against. Same validation, signals and indices (weights and thresholds
 * read from the rule set's {@code indices.json}), the three DMN tables as code, every DRL rule as a
 * method call on the candidate, the same arbitration and the same explanations, so it returns a
 * {@link Decision} comparable field by field with {@code DecisionEngine.decide}.
 *
 * <p>It is a transcription, not a second engine: when the DRL or DMN of the bundled rule set
 * change, this class must change with them ({@code HandWrittenDeciderTest} fails until it does).
 * Rules are applied per candidate in the order Drools fires them (salience; within one salience,
 * file by file in the order the knowledge base holds them and declaration order within a file), so
 * multiplications, reasons and first-wins choices (channel, tone, wording) come out the same.
 * Thread-safe.
 */
public final class HandWrittenDecider {
  private static final Pattern KNOWN_ISSUE =
      Pattern.compile("(?i).*(outage|known issue|incident|disruption).*");
  private static final Pattern BILLING = Pattern.compile("(?i).*bill.*");

  private static final GapPolicy GAP = HwIndices.GAP_POLICY;
  private final HwModel model;
  private final String version;
  private final PropensityModel propensities = PropensityModel.PRIORS;
  private final Clock clock = Clock.systemUTC();

  private HandWrittenDecider(HwModel model, String version) {
    this.model = model;
    this.version = version;
  }

  /** Reads the data files of {@code source}; the rule logic itself is this class. */
  public static HandWrittenDecider of(RuleSetSource source) {
    return new HandWrittenDecider(
        HwModel.read(source), source.name() + "@" + source.contentHash().substring(0, 12));
  }

  public Decision decide(CustomerContext context) {
    long started = System.nanoTime();
    CustomerContext ctx = context.asOf() == null ? context.withAsOf(clock.instant()) : context;
    HwValidator.validate(ctx, model.maxLimit());

    BaselineIndices.Derived d = HwIndices.derive(ctx, model);
    double experience = d.indices().experience().value();
    Segment segment = classify(experience, d.indices().engagement().value());
    Indices indices = model.indices().withSegmentFlags(d.indices(), segment);
    Map<ActionFamily, Double> weights = STRATEGY.get(segment.quadrant());
    ContactState contact = contactState(ctx, contactLimits(segment.quadrant(), experience));

    List<HwCandidate> candidates = new ArrayList<>(model.catalogue().size());
    for (CatalogueAction action : model.catalogue()) {
      Double weight = weights.get(action.family());
      String source =
          weight == null
              ? "not in the " + segment.label() + " strategy table"
              : segment.label() + " strategy weighs " + action.family();
      candidates.add(
          new HwCandidate(
              action,
              propensities.estimate(action, segment),
              weight == null ? model.unlistedFamilyWeight() : weight,
              source,
              model.levers().get(action.family())));
    }

    Facts f = new Facts(ctx, d, indices, segment, contact);
    List<CriticalGap> gaps = gaps(f);
    // the engine lists gaps, and applies the holds that wait on them, in the order kind, ref,
    // description
    List<CriticalGap> sortedGaps = new ArrayList<>(gaps);
    sortedGaps.sort(
        Comparator.comparing(CriticalGap::kind)
            .thenComparing(CriticalGap::ref)
            .thenComparing(CriticalGap::description));
    f.gaps = sortedGaps;
    for (HwCandidate c : candidates) {
      applyRules(f, c);
    }

    int limit = ctx.limit() == null ? model.defaultLimit() : ctx.limit();
    List<RecommendedAction> actions = new ArrayList<>();
    List<SuppressedAction> suppressed = new ArrayList<>();
    rank(candidates, limit, actions, suppressed);
    return new Decision(
        randomId(),
        version,
        ctx.customerId(),
        ctx.asOf(),
        indices,
        segment,
        contact,
        sortedGaps,
        actions,
        suppressed,
        (System.nanoTime() - started) / 1_000);
  }

  // ---- DMN: Quadrant Classification (G5), thresholds 60 and 50 ----

  private static final Segment[] SEGMENTS = new Segment[4];

  static {
    for (Quadrant q : Quadrant.values()) {
      Level exp = q == Quadrant.Q2 || q == Quadrant.Q4 ? Level.HIGH : Level.LOW;
      Level eng = q == Quadrant.Q3 || q == Quadrant.Q4 ? Level.HIGH : Level.LOW;
      SEGMENTS[q.ordinal()] = new Segment(q, q.label(), exp, eng);
    }
  }

  static Segment classify(double experience, double engagement) {
    boolean exp = experience >= 60;
    boolean eng = engagement >= 50;
    Quadrant q = exp ? (eng ? Quadrant.Q4 : Quadrant.Q2) : (eng ? Quadrant.Q3 : Quadrant.Q1);
    return SEGMENTS[q.ordinal()];
  }

  // ---- DMN: Quadrant Strategy (G6, G16) ----

  private static final Map<Quadrant, Map<ActionFamily, Double>> STRATEGY =
      new EnumMap<>(Quadrant.class);

  static {
    STRATEGY.put(Quadrant.Q1, weights(1.0, 0.8, 0.9, 0.4, 0.3, 0.1, 0.2, 0.6));
    STRATEGY.put(Quadrant.Q2, weights(0.8, 1.0, 1.0, 1.0, 0.6, 0.5, 0.5, 0.8));
    STRATEGY.put(Quadrant.Q3, weights(1.0, 0.9, 0.4, 0.3, 0.3, 0.2, 0.1, 0.7));
    STRATEGY.put(Quadrant.Q4, weights(0.8, 0.7, 0.6, 0.8, 0.9, 1.0, 0.9, 0.6));
  }

  /**
   * In {@link ActionFamily} order: repair, proactive, value, loyalty, community, advocacy, growth,
   * feedback.
   */
  private static Map<ActionFamily, Double> weights(double... w) {
    Map<ActionFamily, Double> m = new EnumMap<>(ActionFamily.class);
    for (ActionFamily f : ActionFamily.values()) {
      m.put(f, w[f.ordinal()]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  // ---- DMN: Contact Policy (G9, G6) ----

  static int[] contactLimits(Quadrant q, double experience) {
    return switch (q) {
      case Q1 -> experience < 30 ? new int[] {1, 2} : new int[] {1, 4};
      case Q2 -> new int[] {2, 6};
      case Q3 -> experience < 30 ? new int[] {1, 2} : new int[] {1, 3};
      case Q4 -> experience < 80 ? new int[] {2, 6} : new int[] {3, 8};
    };
  }

  static ContactState contactState(CustomerContext ctx, int[] limits) {
    Instant now = ctx.asOf();
    List<OutreachSent> sent = ctx.profile().outreach();
    Instant[] recent = new Instant[sent.size()];
    int n = 0;
    Instant from30 = now.minus(Duration.ofDays(30));
    for (OutreachSent o : sent) {
      if (o.at().isAfter(from30)) {
        recent[n++] = o.at();
      }
    }
    Instant[] window = Arrays.copyOf(recent, n);
    Arrays.sort(window, Comparator.reverseOrder());
    Instant from7 = now.minus(Duration.ofDays(7));
    int in7 = 0;
    for (Instant t : window) {
      if (t.isAfter(from7)) {
        in7++;
      }
    }
    return new ContactState(
        in7,
        limits[0],
        n,
        limits[1],
        roomAt(window, limits[0], 7, in7),
        roomAt(window, limits[1], 30, n));
  }

  private static Instant roomAt(Instant[] newestFirst, int cap, int days, int count) {
    if (count < cap || cap <= 0) {
      return null;
    }
    return newestFirst[cap - 1].plus(Duration.ofDays(days));
  }

  // ---- the DRL rules ----

  /** What the rules match on, derived once per decision. */
  private static final class Facts {
    final CustomerProfile profile;
    final Interaction live;
    final Signals s;
    final List<OpenComplaint> open;
    final List<RecentFailure> failures;
    final Indices indices;
    final Segment segment;
    final ContactState contact;
    List<CriticalGap> gaps;
    final boolean hasRecentFailure7;
    final int maxDaysOpen;
    final boolean fallingCsat;
    final boolean risingEffort;
    final boolean satisfiedUnattached;
    final boolean knownIssue;
    final boolean billing;
    final boolean unratedResolution;
    final boolean greatResolution;
    final boolean poorResolution;
    final boolean upset;

    /** Per channel, how many days ago its most recent failure was (-1: none in 90 days). */
    final int[] channelNewest = new int[Channel.values().length];

    /** The failures that are their product's most recent (G17); ties all count, as in the DRL. */
    final List<RecentFailure> productNewest = new ArrayList<>(2);

    Facts(
        CustomerContext ctx,
        BaselineIndices.Derived d,
        Indices indices,
        Segment segment,
        ContactState contact) {
      this.profile = ctx.profile();
      this.live = ctx.interaction();
      this.s = d.signals();
      this.open = d.openComplaints();
      this.failures = d.recentFailures();
      this.indices = indices;
      this.segment = segment;
      this.contact = contact;
      boolean recent7 = false;
      for (RecentFailure f : failures) {
        recent7 |= f.daysAgo() < GAP.recentFailureDays();
      }
      this.hasRecentFailure7 = recent7;
      int max = -1;
      for (OpenComplaint k : open) {
        max = Math.max(max, k.daysOpen());
      }
      this.maxDaysOpen = max;
      this.fallingCsat = indices.hasFlag("FALLING_CSAT");
      this.risingEffort = indices.hasFlag("RISING_EFFORT");
      this.satisfiedUnattached = indices.hasFlag("SATISFIED_BUT_UNATTACHED");
      String reason = live == null ? null : live.reason();
      this.knownIssue = reason != null && KNOWN_ISSUE.matcher(reason).matches();
      this.billing = reason != null && BILLING.matcher(reason).matches();
      this.unratedResolution = live != null && live.justResolved() && live.rating() == null;
      this.greatResolution =
          live != null && live.justResolved() && live.rating() != null && live.rating() >= 4;
      this.poorResolution =
          live != null && live.justResolved() && live.rating() != null && live.rating() <= 2;
      this.upset = live != null && live.sentiment() == Sentiment.NEGATIVE;
      // failures are sorted by daysAgo: the first per channel or product is the most recent
      Arrays.fill(channelNewest, -1);
      for (RecentFailure r : failures) {
        int ch = r.channel().ordinal();
        if (channelNewest[ch] < 0) {
          channelNewest[ch] = r.daysAgo();
        }
        if (r.product() != null) {
          boolean newest = true;
          for (RecentFailure p : failures) {
            if (p.daysAgo() >= r.daysAgo()) {
              break;
            }
            newest &= !r.product().equals(p.product());
          }
          if (newest) {
            productNewest.add(r);
          }
        }
      }
    }
  }

  // gating.drl (G3, G4, G11)
  private static final Rule OPEN_COMPLAINT_GAP = Rule.of("OpenComplaintIsCriticalGap", "G3");
  private static final Rule RECENT_FAILURE_GAP =
      Rule.of("RecentFailedInteractionIsCriticalGap", "G3");
  private static final Rule HIGH_EFFORT_GAP = Rule.of("VeryHighEffortIsCriticalGap", "G3");
  private static final Rule DETRACTOR_GAP = Rule.of("DetractorIsCriticalGap", "G3");
  private static final Rule COMPOUNDING_GAP = Rule.of("CompoundingNegativesIsCriticalGap", "G3 G4");
  private static final Rule HOLD_ENGAGEMENT = Rule.of("HoldEngagementWhileGapOpen", "G3");
  private static final Rule REPAIR_FIRST = Rule.of("RepairFirstWhileGapOpen", "G3");
  private static final Rule ESCALATE =
      Rule.of("EscalateCompoundingNegativesToSpecialist", "G4 G11");
  private static final Rule SPECIALIST_ONLY =
      Rule.of("SpecialistOnlyWhenProblemsCompound", "G4 G11");
  private static final Rule UPSET_HIGH_VALUE = Rule.of("UpsetHighValueCustomerGetsAPerson", "G11");
  // eligibility.drl (G3, G12, G16)
  private static final Rule RESOLVE_NOW = Rule.of("ResolveNowNeedsAnOpenIssue", "G3");
  private static final Rule CALLBACK =
      Rule.of("CallbackNeedsAnOpenComplaintOrCompoundingProblems", "G3 G4");
  private static final Rule CALL_BACK = Rule.of("CallBackWhenProblemsCompound", "G4 G11");
  private static final Rule GOODWILL = Rule.of("GoodwillNeedsRecentTrouble", "G3 G11");
  private static final Rule CROSS_SELL = Rule.of("CrossSellOnlyWhatIsNotHeld", "G12 G16");
  private static final Rule UPGRADE = Rule.of("UpgradeNeedsTheProduct", "G12 G16");
  private static final Rule APP_ADOPTION = Rule.of("AppAdoptionOnlyForNonUsers", "G12");
  // quadrant.drl (G2, G6, G16)
  private static final Rule NO_PRICE_ONLY = Rule.of("NoPriceOnlyPushesForTransactional", "G6");
  private static final Rule NO_PRICE_ONLY_Q2 = Rule.of("NoPriceOnlyPushesForOneHitWonder", "G6 G2");
  private static final Rule NO_PRICE_WHILE_SLIDING =
      Rule.of("NoPriceOnlyPushWhileSatisfactionSlides", "G15 G6");
  private static final Rule LOWER_PRESSURE =
      Rule.of("LowerMarketingPressureForPushyBrand", "G6 G9");
  private static final Rule MANAGE_EXPECTATIONS =
      Rule.of("ManageExpectationsForPushyBrand", "G6 G8");
  private static final Rule DEEPEN = Rule.of("DeepenChampionRelationships", "G16 G6");
  private static final Rule PRIORITY_SERVICE = Rule.of("PriorityServiceProtectsChampions", "G6");
  private static final Rule STAY_PRESENT =
      Rule.of("StayPresentForTheSatisfiedButUnattached", "G2 G6");
  private static final Rule LOYALTY_NON_MEMBERS =
      Rule.of("LoyaltyInvitesOnlyForNonMembers", "G6 G12");
  private static final Rule REWARDS_MEMBERS = Rule.of("RewardRemindersOnlyForMembers", "G6 G12");
  private static final Rule COMMUNITY_NEWCOMERS =
      Rule.of("CommunityInviteOnlyForNewcomers", "G6 G12");
  // proactive.drl (G8, G15)
  private static final Rule CHECK_IN_CSAT = Rule.of("CheckInWhenSatisfactionFalls", "G15");
  private static final Rule CHECK_IN_EFFORT = Rule.of("CheckInWhenEffortRises", "G15");
  private static final Rule CHECK_IN_ONLY = Rule.of("CheckInOnlyOnAFallingTrend", "G15");
  private static final Rule KEEP_INFORMED = Rule.of("KeepInformedWhileComplaintOpen", "G8");
  private static final Rule STATUS_NEEDS_CASE = Rule.of("StatusUpdateNeedsAnOpenCase", "G8");
  private static final Rule KNOWN_ISSUE_NOTICE = Rule.of("NoticeOfKnownIssue", "G8");
  private static final Rule KNOWN_ISSUE_NEEDED = Rule.of("KnownIssueNoticeNeedsAKnownIssue", "G8");
  private static final Rule ONBOARD = Rule.of("OnboardNewProducts", "G8 G6");
  private static final Rule ONBOARD_NEEDED = Rule.of("OnboardingNeedsANewProduct", "G8");
  private static final Rule BILL = Rule.of("ExplainTheBillAfterABillingQuestion", "G8");
  // channel.drl (G10, G12, G17)
  private static final Rule INBOUND_LIVE = Rule.of("InboundNeedsALiveConversation", "G10");
  private static final Rule INBOUND_STAYS = Rule.of("InboundStaysOnTheCurrentChannel", "G10");
  private static final Rule INBOUND_NOT_OFFERED = Rule.of("InboundNotOfferedOnThisChannel", "G10");
  private static final Rule MOVE_OFF_FAILED_CHANNEL =
      Rule.of("MoveTheConversationOffAChannelThatJustFailed", "G10 G17");
  private static final Rule FOLLOW_UP_PREFERRED =
      Rule.of("FollowUpOnThePreferredChannel", "G10 G12");
  private static final Rule FOLLOW_UP_CONVERSATION =
      Rule.of("FollowUpWhereTheConversationIs", "G10");
  private static final Rule AVOID_FAILED_CHANNEL =
      Rule.of("AvoidAChannelTheCustomerJustStruggledWith", "G10 G17");
  // contact-policy.drl (G9, G12)
  private static final Rule WEEKLY_CAP = Rule.of("WeeklyOutreachCap", "G9");
  private static final Rule MONTHLY_CAP = Rule.of("MonthlyOutreachCap", "G9");
  private static final Rule CONSENT = Rule.of("RespectChannelConsent", "G9");
  private static final Rule QUIET_HOURS = Rule.of("QuietHoursHoldInterruptiveChannels", "G9 G12");
  // feedback.drl (G13, G7, G9, G6, G3)
  private static final Rule ASK_RESOLUTION = Rule.of("AskHowTheResolutionWent", "G13 G7");
  private static final Rule SURVEY_ONLY_UNRATED =
      Rule.of("SurveyOnlyAfterAnUnratedResolution", "G13");
  private static final Rule NO_SURVEY_FATIGUE = Rule.of("NoSurveyFatigue", "G13 G9");
  private static final Rule LISTEN = Rule.of("ListenToTheUnattachedAndTheDisappointed", "G13 G6");
  private static final Rule NO_INTERVIEW_GAP = Rule.of("NoInterviewWhileAGapIsOpen", "G13 G3");
  // personalisation.drl (G12)
  private static final Rule EMPATHETIC = Rule.of("EmpatheticWhenTheConversationIsHard", "G12 G11");
  private static final Rule REASSURING = Rule.of("ReassuringWhileAGapIsOpen", "G12 G3");
  private static final Rule CELEBRATE = Rule.of("CelebrateAGreatResolution", "G12 G7");
  private static final Rule WARM = Rule.of("WarmWithChampions", "G12 G16");
  private static final Rule SIMPLE_LOW_DIGITAL =
      Rule.of("SimpleWordingForLowDigitalConfidence", "G12");
  private static final Rule SIMPLE_HIGH_EFFORT = Rule.of("SimpleWordingWhenEffortIsHigh", "G12 G3");
  private static final Rule DETAILED = Rule.of("DetailedWordingForDigitalExperts", "G12");
  // promises.drl (G17, G10)
  private static final Rule PRODUCT_FAILED = Rule.of("NoPromotionOfAProductThatJustFailed", "G17");
  private static final Rule PRODUCT_COMPLAINT =
      Rule.of("NoPromotionOfAProductUnderComplaint", "G17");
  private static final Rule CHANNEL_FAILED =
      Rule.of("NoPromotionOfAChannelThatJustFailed", "G17 G10");
  // timing.drl (G7, G3)
  private static final Rule ASK_AFTER_GREAT = Rule.of("AskRightAfterAGreatResolution", "G7");
  private static final Rule NO_ASK_AFTER_POOR = Rule.of("NoAsksRightAfterAPoorResolution", "G7 G3");
  private static final Rule ADVOCACY_POSITIVE = Rule.of("AdvocacyNeedsAPositiveMoment", "G7");

  /** The salience-100 gating rules: critical experience gaps (G3, G4). */
  private static List<CriticalGap> gaps(Facts f) {
    Signals s = f.s;
    List<CriticalGap> gaps = new ArrayList<>(2);
    for (OpenComplaint k : f.open) {
      if (GAP.opensGap(k.severity())) {
        gaps.add(
            gap(
                OPEN_COMPLAINT_GAP,
                "OPEN_COMPLAINT",
                k.id(),
                "complaint "
                    + k.id()
                    + " ("
                    + k.severity()
                    + ") has been open "
                    + k.daysOpen()
                    + " days",
                "once complaint " + k.id() + " is resolved",
                "complaint",
                k.id(),
                "severity",
                k.severity(),
                "daysOpen",
                k.daysOpen()));
      }
    }
    if (!f.failures.isEmpty() && f.failures.get(0).daysAgo() < GAP.recentFailureDays()) {
      int newest = f.failures.get(0).daysAgo();
      int ties = 0;
      while (ties < f.failures.size() && f.failures.get(ties).daysAgo() == newest) {
        ties++;
      }
      // behind the policy fact, Drools inserts tied failures' gaps last-joined first
      for (int i = ties - 1; i >= 0; i--) {
        RecentFailure r = f.failures.get(i);
        gaps.add(
            gap(
                RECENT_FAILURE_GAP,
                "RECENT_FAILURE",
                r.channel() + "@" + r.on(),
                "a "
                    + r.channel()
                    + " interaction failed on "
                    + Texts.day(r.on())
                    + (r.reason() == null ? "" : " (" + r.reason() + ")"),
                "after "
                    + Texts.day(r.on().plusDays(GAP.recentFailureDays()))
                    + ", if nothing else fails",
                "channel",
                r.channel(),
                "on",
                r.on(),
                "reason",
                r.reason()));
      }
    }
    if (s.latestCes() != null
        && s.latestCes() >= GAP.highEffort()
        && s.cesAgeDays() <= GAP.highEffortDays()) {
      gaps.add(
          gap(
              HIGH_EFFORT_GAP,
              "HIGH_EFFORT",
              "ces",
              "the last effort score was " + s.latestCes() + "/7, " + s.cesAgeDays() + " days ago",
              "when an effort score below "
                  + GAP.highEffort()
                  + " comes in, or after "
                  + Texts.day(s.today().plusDays(GAP.highEffortDays() - s.cesAgeDays())),
              "ces",
              s.latestCes(),
              "daysAgo",
              s.cesAgeDays()));
    }
    if (s.nps() != null && s.nps() <= GAP.detractorMax() && s.npsAgeDays() <= GAP.detractorDays()) {
      gaps.add(
          gap(
              DETRACTOR_GAP,
              "DETRACTOR",
              "nps",
              "the customer scored "
                  + s.nps()
                  + "/10 for recommending us "
                  + s.npsAgeDays()
                  + " days ago",
              "when a recommendation score above "
                  + GAP.detractorMax()
                  + " comes in, or after "
                  + Texts.day(s.today().plusDays(GAP.detractorDays() - s.npsAgeDays())),
              "nps",
              s.nps(),
              "daysAgo",
              s.npsAgeDays()));
    }
    if (s.negatives() >= GAP.compoundingCount()) {
      gaps.add(
          gap(
              COMPOUNDING_GAP,
              "COMPOUNDING_NEGATIVES",
              "negatives",
              s.negatives()
                  + " negative moments in "
                  + GAP.compoundingWindowDays()
                  + " days ("
                  + String.join("; ", s.negativeEvidence())
                  + ")",
              "after " + Texts.day(s.negativesEaseAt()) + ", if nothing else goes wrong",
              "negatives",
              s.negatives()));
    }
    return gaps;
  }

  private static CriticalGap gap(
      Rule rule, String kind, String ref, String description, String liftWhen, Object... evidence) {
    return new CriticalGap(
        kind,
        ref,
        description,
        liftWhen,
        rule.name(),
        rule.guidance(),
        HwCandidate.evidence(evidence));
  }

  /** Every other rule, for one candidate, in the order Drools fires them. */
  private static void applyRules(Facts f, HwCandidate c) {
    CatalogueAction a = c.action;
    ActionFamily family = a.family();
    Signals s = f.s;
    Interaction live = f.live;
    boolean noGap = f.gaps.isEmpty();

    // salience 50
    if (family == ActionFamily.EXPERIENCE_REPAIR && !noGap) {
      // in the decision's order of gaps (f.gaps is sorted)
      List<String> descriptions = new ArrayList<>(f.gaps.size());
      for (CriticalGap g : f.gaps) {
        descriptions.add(g.description());
      }
      c.weigh(
          REPAIR_FIRST,
          3.0,
          "fix this first: " + String.join("; ", descriptions),
          "gaps",
          descriptions.size());
    }

    // salience 30. A rule whose fact pattern is followed by a `not` fires its matches last-inserted
    // first; one without fires them in insertion order (as Drools' Phreak network does).
    if (a.outbound()) {
      for (int i = f.failures.size() - 1; i >= 0; i--) {
        RecentFailure r = f.failures.get(i);
        Channel ch = r.channel();
        if (r.daysAgo() <= 14
            && r.daysAgo() == f.channelNewest[ch.ordinal()]
            && a.channels().contains(ch)) {
          c.dropChannel(
              AVOID_FAILED_CHANNEL,
              ch,
              "a " + ch + " interaction failed the customer on " + Texts.day(r.on()),
              "after " + Texts.day(r.on().plusDays(14)),
              "failedOn",
              r.on().toString());
        }
      }
    }

    // MoveTheConversationOffAChannelThatJustFailed (G10 G17): inbound actions leave the live
    // channel
    if (!a.outbound() && live != null && c.offers(live.channel())) {
      Channel ch = live.channel();
      int newest = f.channelNewest[ch.ordinal()];
      if (newest >= 0 && newest <= 14) {
        for (RecentFailure r : f.failures) {
          if (r.channel() == ch && r.daysAgo() == newest) {
            c.dropChannel(
                MOVE_OFF_FAILED_CHANNEL,
                ch,
                "the customer is on "
                    + ch
                    + " after it failed them on "
                    + Texts.day(r.on())
                    + ": offer to carry on in a channel that works",
                "after " + Texts.day(r.on().plusDays(14)),
                "failedOn",
                r.on().toString());
            c.note(
                MOVE_OFF_FAILED_CHANNEL,
                "leaves " + ch,
                ch
                    + " failed the customer on "
                    + Texts.day(r.on())
                    + ": offer to carry on in a channel that works");
            break;
          }
        }
      }
    }

    // salience 20 and 10: channel continuity (G10)
    if (!a.outbound() && live != null && a.channels().contains(live.channel())) {
      c.preferChannel(
          INBOUND_STAYS,
          live.channel(),
          "offered in the " + live.channel() + " conversation the customer is already in");
    }
    Channel pref = f.profile.preferredChannel();
    if (a.outbound() && pref != null && a.channels().contains(pref)) {
      c.preferChannel(FOLLOW_UP_PREFERRED, pref, "the customer prefers " + pref);
    }
    if (a.outbound() && live != null && a.channels().contains(live.channel())) {
      c.preferChannel(
          FOLLOW_UP_CONVERSATION,
          live.channel(),
          "continues on " + live.channel() + ", where the customer is talking to us now");
    }

    // salience 0: declaration order within a file; across files, the order the engine's knowledge
    // base fires them in (observed, and pinned by HandWrittenDeciderTest's full comparison)
    timingRules(f, c);
    gatingRules(f, c);
    feedbackRules(f, c);
    proactiveRules(f, c);
    channelRules(f, c);
    contactPolicyRules(f, c);
    eligibilityRules(f, c);
    promiseRules(f, c);
    quadrantRules(f, c);

    // salience -10 .. -40: tone and wording, first one wins (G12)
    if (f.upset) {
      c.tone(EMPATHETIC, Tone.EMPATHETIC, "the customer is upset in this conversation");
    }
    if (f.profile.digitalProficiency() == Proficiency.LOW) {
      c.complexity(
          SIMPLE_LOW_DIGITAL,
          Complexity.SIMPLE,
          "the customer is less at ease with digital self-service");
    }
    if (!noGap) {
      c.tone(
          REASSURING,
          Tone.REASSURING,
          "an experience gap is open: acknowledge it and say what happens next");
    }
    if (s.latestCes() != null && s.latestCes() >= 5) {
      c.complexity(
          SIMPLE_HIGH_EFFORT,
          Complexity.SIMPLE,
          "things have been hard work for the customer lately: keep it short");
    }
    if (f.greatResolution) {
      c.tone(CELEBRATE, Tone.CELEBRATORY, "the problem is solved and the customer is pleased");
    }
    if (f.profile.digitalProficiency() == Proficiency.HIGH) {
      c.complexity(
          DETAILED, Complexity.DETAILED, "the customer is at ease with detail and self-service");
    }
    if (f.segment.quadrant() == Quadrant.Q4) {
      c.tone(WARM, Tone.WARM, "a long, good relationship: speak like one");
    }
  }

  private static void channelRules(Facts f, HwCandidate c) {
    CatalogueAction a = c.action;
    if (!a.outbound() && f.live == null) {
      c.suppress(
          INBOUND_LIVE,
          "an agent offers this in a live conversation, and there is none",
          "when the customer next contacts us");
    }
    if (!a.outbound() && f.live != null && !a.channels().contains(f.live.channel())) {
      Channel ch = f.live.channel();
      c.suppress(
          INBOUND_NOT_OFFERED,
          "cannot be offered in a " + ch + " conversation",
          "when the customer is on a channel that offers it",
          "channel",
          ch);
    }
  }

  private static void contactPolicyRules(Facts f, HwCandidate c) {
    CatalogueAction a = c.action;
    if (!a.outbound()) {
      return;
    }
    ContactState k = f.contact;
    if (a.family() != ActionFamily.EXPERIENCE_REPAIR) {
      if (k.weeklyCapReached()) {
        c.suppress(
            WEEKLY_CAP,
            k.sent7Days()
                + " proactive messages in the last 7 days reach the "
                + f.segment.label()
                + " cap of "
                + k.max7Days(),
            "after " + Texts.day(k.room7DaysAt()) + ", when the 7-day cap has room",
            "sent7Days",
            k.sent7Days(),
            "max7Days",
            k.max7Days());
      }
      if (k.monthlyCapReached()) {
        c.suppress(
            MONTHLY_CAP,
            k.sent30Days()
                + " proactive messages in the last 30 days reach the "
                + f.segment.label()
                + " cap of "
                + k.max30Days(),
            "after " + Texts.day(k.room30DaysAt()) + ", when the 30-day cap has room",
            "sent30Days",
            k.sent30Days(),
            "max30Days",
            k.max30Days());
      }
    }
    CustomerProfile p = f.profile;
    for (Channel ch : Channel.values()) {
      if (c.offers(ch) && !p.consents(ch)) {
        c.dropChannel(
            CONSENT,
            ch,
            Boolean.FALSE.equals(p.consent().get(ch))
                ? "the customer withdrew consent for " + ch
                : "no consent on record for " + ch,
            "if the customer opts in to " + ch,
            "channel",
            ch);
      }
    }
    Signals s = f.s;
    if (s.inQuietHours()) {
      for (Channel ch : Channel.values()) {
        if (ch.interruptive() && c.offers(ch)) {
          c.dropChannel(
              QUIET_HOURS,
              ch,
              "it is " + s.localTime().withNano(0) + " in the customer's quiet hours",
              "after " + s.quietHoursEnd() + " customer time",
              "localTime",
              s.localTime().withNano(0).toString());
        }
      }
    }
  }

  private static void eligibilityRules(Facts f, HwCandidate c) {
    String id = c.id();
    switch (id) {
      case "repair-resolve-now" -> {
        if (f.open.isEmpty() && !f.hasRecentFailure7 && !(f.upset && !f.live.justResolved())) {
          c.suppress(
              RESOLVE_NOW,
              "there is no open complaint, recent failure or live problem to resolve",
              "when the customer has an open issue");
        }
      }
      case "repair-specialist-callback" -> {
        if (f.open.isEmpty() && f.s.negatives() < GAP.compoundingCount()) {
          c.suppress(
              CALLBACK,
              "a specialist callback closes an open complaint or takes on problems that compound, and there is neither",
              "when a complaint is open or problems compound");
        }
      }
      case "repair-goodwill-gesture", "repair-apology-follow-up" -> {
        if (f.s.negatives() == 0 && f.s.openComplaints() == 0) {
          c.suppress(
              GOODWILL,
              "nothing went wrong in the last "
                  + GAP.compoundingWindowDays()
                  + " days to make good",
              "after a failure, complaint or poor score");
        }
      }
      case "growth-mobile-cross-sell", "growth-tv-bundle" -> {
        String product = c.action.product();
        if (f.profile.holds(product)) {
          c.suppress(
              CROSS_SELL,
              "the customer already has " + product,
              "not while the customer holds " + product,
              "product",
              product);
        }
      }
      case "growth-upgrade-offer" -> {
        String product = c.action.product();
        if (!f.profile.holds(product)) {
          c.suppress(
              UPGRADE,
              "an upgrade needs a " + product + " plan to upgrade",
              "when the customer holds " + product,
              "product",
              product);
        }
      }
      case "growth-app-adoption" -> {
        boolean usesApp = false;
        for (ChannelUsage u : f.profile.channels()) {
          usesApp |=
              u.channel() == Channel.APP && u.interactions90d() != null && u.interactions90d() > 0;
        }
        if (usesApp) {
          c.suppress(
              APP_ADOPTION,
              "the customer already uses the app",
              "not while the customer uses the app");
        }
      }
      default -> {}
    }
  }

  private static void feedbackRules(Facts f, HwCandidate c) {
    if (c.action.family() != ActionFamily.FEEDBACK) {
      return;
    }
    if (c.is("feedback-post-resolution-survey")) {
      if (f.unratedResolution) {
        c.weigh(
            ASK_RESOLUTION,
            3.0,
            "the issue was just resolved and not yet rated: ask while it is fresh");
      } else {
        c.suppress(
            SURVEY_ONLY_UNRATED,
            "this survey follows a resolution the customer has not rated yet, and there is none",
            "right after an issue is resolved");
      }
    }
    Signals s = f.s;
    if (s.daysSinceLastSurvey() != null && s.daysSinceLastSurvey() < 14) {
      c.suppress(
          NO_SURVEY_FATIGUE,
          "the customer answered a survey " + s.daysSinceLastSurvey() + " days ago",
          "after " + Texts.day(s.today().plusDays(14 - s.daysSinceLastSurvey())),
          "daysSinceLastSurvey",
          s.daysSinceLastSurvey());
    }
    if (c.is("feedback-voice-of-customer")) {
      Quadrant q = f.segment.quadrant();
      if (q == Quadrant.Q2 || q == Quadrant.Q3) {
        c.weigh(
            LISTEN,
            1.5,
            "a "
                + f.segment.label()
                + " customer can tell us what would make the relationship worth more");
      }
      for (CriticalGap g : f.gaps) {
        c.suppressFor(NO_INTERVIEW_GAP, g, "an interview waits until the problem is fixed");
      }
    }
  }

  private static void gatingRules(Facts f, HwCandidate c) {
    if (c.action.family().engagement()) {
      for (CriticalGap g : f.gaps) {
        c.suppressFor(HOLD_ENGAGEMENT, g, "engagement waits while an experience gap is open");
      }
    }
    Signals s = f.s;
    if (c.is("repair-retention-specialist")) {
      if (s.negatives() >= GAP.compoundingCount()) {
        c.weigh(
            ESCALATE,
            2.5,
            s.negatives()
                + " problems in "
                + GAP.compoundingWindowDays()
                + " days add up to churn risk: a person with authority should take it",
            "negatives",
            s.negatives(),
            "evidence",
            String.join("; ", s.negativeEvidence()));
        c.route(
            ESCALATE,
            Routing.SPECIALIST,
            "compounding problems need someone who can make exceptions");
      }
    }
    if (c.is("repair-specialist-callback")
        && f.live == null
        && s.negatives() >= GAP.compoundingCount()) {
      c.weigh(
          CALL_BACK,
          2.5,
          s.negatives()
              + " problems in "
              + GAP.compoundingWindowDays()
              + " days and the customer is not talking to us: a specialist with authority calls them",
          "negatives",
          s.negatives(),
          "evidence",
          String.join("; ", s.negativeEvidence()));
      c.route(
          CALL_BACK,
          Routing.SPECIALIST,
          "compounding problems need someone who can make exceptions");
    }
    if (c.is("repair-retention-specialist")) {
      if (s.negatives() < GAP.compoundingCount() - 1 && !(f.upset && s.highValue())) {
        c.suppress(
            SPECIALIST_ONLY,
            "a specialist handover is for problems that compound, and there were "
                + s.negatives()
                + " in "
                + GAP.compoundingWindowDays()
                + " days",
            "if problems compound ("
                + (GAP.compoundingCount() - 1)
                + " or more in "
                + GAP.compoundingWindowDays()
                + " days) or a high-value customer is upset",
            "negatives",
            s.negatives());
      }
    }
    if (f.upset
        && s.highValue()
        && c.action.family() == ActionFamily.EXPERIENCE_REPAIR
        && !c.action.outbound()) {
      c.weigh(
          UPSET_HIGH_VALUE,
          1.5,
          "a high-value customer is upset on "
              + f.live.channel()
              + ": a person with leeway handles it",
          "annualValue",
          s.annualValue());
      c.route(UPSET_HIGH_VALUE, Routing.SPECIALIST, "emotionally charged, high-value moment");
    }
  }

  private static void proactiveRules(Facts f, HwCandidate c) {
    Signals s = f.s;
    if (f.fallingCsat && c.action.priceOnly()) {
      c.suppress(
          NO_PRICE_WHILE_SLIDING,
          "satisfaction is sliding: a discount papers over it, service gets ahead of it",
          "when satisfaction stops falling");
    }
    switch (c.id()) {
      case "proactive-check-in-call" -> {
        if (f.fallingCsat) {
          c.weigh(
              CHECK_IN_CSAT,
              3.0,
              "satisfaction is falling (latest CSAT "
                  + s.latestCsat()
                  + ", "
                  + (-s.csatDelta())
                  + " below the earlier average): call before it becomes a complaint",
              "latestCsat",
              s.latestCsat(),
              "csatDelta",
              s.csatDelta());
        }
        if (f.risingEffort) {
          c.weigh(
              CHECK_IN_EFFORT,
              2.5,
              "effort is rising (latest "
                  + s.latestCes()
                  + "/7, "
                  + s.cesDelta()
                  + " above the earlier average): smooth the way before it hurts",
              "latestCes",
              s.latestCes(),
              "cesDelta",
              s.cesDelta());
        }
        if (!f.fallingCsat && !f.risingEffort) {
          c.suppress(
              CHECK_IN_ONLY,
              "a check-in call is for a falling trend, and satisfaction and effort are steady",
              "if CSAT falls or effort rises");
        }
      }
      case "proactive-status-update" -> {
        OpenComplaint longest = null;
        for (OpenComplaint k : f.open) {
          if (k.daysOpen() == f.maxDaysOpen
              && (longest == null || k.id().compareTo(longest.id()) < 0)) {
            longest = k;
          }
        }
        if (longest != null) {
          c.weigh(
              KEEP_INFORMED,
              2.5,
              "complaint "
                  + longest.id()
                  + " has been open "
                  + longest.daysOpen()
                  + " days: tell the customer where it stands before they have to ask",
              "complaint",
              longest.id(),
              "daysOpen",
              longest.daysOpen());
        }
        if (f.open.isEmpty()) {
          c.suppress(
              STATUS_NEEDS_CASE, "there is no open case to report on", "when a complaint is open");
        }
      }
      case "proactive-known-issue-notice" -> {
        if (f.knownIssue) {
          c.weigh(
              KNOWN_ISSUE_NOTICE,
              2.5,
              "the customer is affected by a known issue ("
                  + f.live.reason()
                  + "): tell them what we know and when it is fixed",
              "reason",
              f.live.reason());
        } else {
          c.suppress(
              KNOWN_ISSUE_NEEDED,
              "no known issue affects the customer",
              "when the customer is affected by a known issue");
        }
      }
      case "value-onboarding-guide" -> {
        if (s.newestProductDays() != null && s.newestProductDays() <= 30) {
          c.weigh(
              ONBOARD,
              2.0,
              s.newestProduct()
                  + " was taken "
                  + s.newestProductDays()
                  + " days ago: help the customer get value from it early",
              "product",
              s.newestProduct(),
              "daysAgo",
              s.newestProductDays());
        } else {
          c.suppress(
              ONBOARD_NEEDED,
              "no product was taken in the last 30 days",
              "after the customer takes a new product");
        }
      }
      case "proactive-bill-explainer" -> {
        if (f.billing) {
          c.weigh(
              BILL,
              2.0,
              "the customer asked about billing ("
                  + f.live.reason()
                  + "): explain the next bill before it surprises them",
              "reason",
              f.live.reason());
        }
      }
      default -> {}
    }
  }

  private static void promiseRules(Facts f, HwCandidate c) {
    if (!c.action.promotional()) {
      return;
    }
    for (int i = f.productNewest.size() - 1; i >= 0; i--) {
      RecentFailure r = f.productNewest.get(i);
      String prod = r.product();
      if (r.daysAgo() <= 30 && c.concerns(prod)) {
        c.suppress(
            PRODUCT_FAILED,
            prod
                + " failed the customer on "
                + Texts.day(r.on())
                + ": promoting it now would promise what was not delivered",
            "after " + Texts.day(r.on().plusDays(30)) + ", if " + prod + " works for them",
            "product",
            prod,
            "failedOn",
            r.on().toString());
      }
    }
    for (OpenComplaint k : f.open) {
      if (k.product() != null && c.concerns(k.product())) {
        c.suppress(
            PRODUCT_COMPLAINT,
            "complaint " + k.id() + " about " + k.product() + " is still open",
            "once complaint " + k.id() + " is resolved",
            "complaint",
            k.id(),
            "product",
            k.product());
      }
    }
    for (int i = f.failures.size() - 1; i >= 0; i--) {
      RecentFailure r = f.failures.get(i);
      if (r.daysAgo() <= 30
          && r.daysAgo() == f.channelNewest[r.channel().ordinal()]
          && c.concerns(r.channel().name())) {
        Channel ch = r.channel();
        c.suppress(
            CHANNEL_FAILED,
            "it promotes the " + ch + " channel, which failed the customer on " + Texts.day(r.on()),
            "after " + Texts.day(r.on().plusDays(30)) + ", if " + ch + " works for them",
            "channel",
            ch);
      }
    }
  }

  private static void quadrantRules(Facts f, HwCandidate c) {
    CatalogueAction a = c.action;
    ActionFamily family = a.family();
    Quadrant q = f.segment.quadrant();
    if (q == Quadrant.Q1 && a.priceOnly()) {
      c.suppress(
          NO_PRICE_ONLY,
          "a Transactional customer needs value shown, not a price-only push",
          "when the customer leaves the Transactional quadrant");
    }
    if (q == Quadrant.Q2 && a.priceOnly()) {
      c.suppress(
          NO_PRICE_ONLY_Q2,
          "a One-Hit Wonder is kept by staying present with value, not by a price cut",
          "when the customer leaves the One-Hit Wonder quadrant");
    }
    if (q == Quadrant.Q3 && a.promotional() && a.outbound()) {
      c.weigh(
          LOWER_PRESSURE,
          0.5,
          "for a Pushy Brand customer marketing already outruns delivery: less of it");
    }
    if (q == Quadrant.Q3 && family == ActionFamily.PROACTIVE_SERVICE) {
      c.weigh(
          MANAGE_EXPECTATIONS,
          1.5,
          "for a Pushy Brand customer, setting expectations repairs trust");
    }
    if (q == Quadrant.Q4 && f.gaps.isEmpty() && family == ActionFamily.GROWTH) {
      c.weigh(DEEPEN, 1.5, "well served and engaged: the customer to offer more to");
    }
    if (c.is("proactive-priority-service") && q != Quadrant.Q4) {
      c.suppress(
          PRIORITY_SERVICE,
          "priority service protects the bond with Relationship Champions",
          "when the customer is a Relationship Champion");
    }
    if (f.satisfiedUnattached
        && (family == ActionFamily.LOYALTY
            || family == ActionFamily.VALUE_CONTENT
            || family == ActionFamily.COMMUNITY)) {
      Indices i = f.indices;
      c.weigh(
          STAY_PRESENT,
          1.5,
          "satisfied but hardly engaged (experience "
              + i.experience().value()
              + ", engagement "
              + i.engagement().value()
              + "): open to a competitor, so stay present",
          "experience",
          i.experience().value(),
          "engagement",
          i.engagement().value());
    }
    boolean member = f.profile.loyalty().member();
    if (member && (c.is("loyalty-invite") || c.is("loyalty-enrol-now"))) {
      c.suppress(
          LOYALTY_NON_MEMBERS,
          "the customer is already a loyalty member",
          "not while the customer is a member");
    }
    if (!member && c.is("loyalty-reward-reminder")) {
      c.suppress(
          REWARDS_MEMBERS,
          "the customer is not a loyalty member",
          "after the customer joins the loyalty programme");
    }
    if (f.profile.community().posts90d() > 0 && c.is("community-invite")) {
      c.suppress(
          COMMUNITY_NEWCOMERS,
          "the customer is already active in the community",
          "not while the customer posts in the community");
    }
  }

  private static void timingRules(Facts f, HwCandidate c) {
    ActionFamily family = c.action.family();
    boolean asks = family == ActionFamily.ADVOCACY || family == ActionFamily.LOYALTY;
    if (f.greatResolution && asks) {
      c.weigh(
          ASK_AFTER_GREAT,
          2.0,
          "just resolved and rated "
              + f.live.rating()
              + "/5: the customer is most open to this now",
          "rating",
          f.live.rating());
    }
    if (f.poorResolution
        && (asks || family == ActionFamily.GROWTH || family == ActionFamily.COMMUNITY)) {
      c.suppress(
          NO_ASK_AFTER_POOR,
          "the customer rated this resolution "
              + f.live.rating()
              + "/5: not the moment to ask for more",
          "after an experience the customer rates well",
          "rating",
          f.live.rating());
    }
    Signals s = f.s;
    if (family == ActionFamily.ADVOCACY
        && !f.greatResolution
        && !(s.latestCsat() != null && s.latestCsat() >= 4)
        && !(s.nps() != null && s.nps() >= 9)) {
      c.suppress(
          ADVOCACY_POSITIVE,
          "asking for advocacy needs a recent good experience, and there is none on record",
          "after an interaction the customer rates 4 or 5, or a recommendation score of 9 or 10");
    }
  }

  // ---- arbitration: priority = propensity x value x context weight x lever ----

  private record Scored(HwCandidate candidate, double priority, Channel channel) {}

  private static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::priority)
          .reversed()
          .thenComparing(s -> s.candidate().action.family())
          .thenComparing(s -> s.candidate().id());

  private static void rank(
      List<HwCandidate> candidates,
      int limit,
      List<RecommendedAction> actions,
      List<SuppressedAction> suppressed) {
    List<Scored> eligible = new ArrayList<>(candidates.size());
    for (HwCandidate c : candidates) {
      if (c.suppressed()) {
        suppressed.add(
            new SuppressedAction(c.id(), c.action.title(), c.action.family(), c.suppressions));
      } else if (c.channels.isEmpty()) {
        suppressed.add(
            new SuppressedAction(c.id(), c.action.title(), c.action.family(), c.channelRemovals));
      } else {
        double weight = c.contextWeight * c.lever;
        if (weight <= 0) {
          suppressed.add(
              new SuppressedAction(
                  c.id(),
                  c.action.title(),
                  c.action.family(),
                  List.of(
                      new Suppression(
                          "Arbitration",
                          List.of("G6"),
                          "the rule set gives "
                              + c.action.family()
                              + " no weight here (context weight "
                              + round(c.contextWeight)
                              + ", lever "
                              + round(c.lever)
                              + ")",
                          "when the strategy table or the family lever gives it weight",
                          Map.of()))));
          continue;
        }
        eligible.add(
            new Scored(c, c.propensity.value() * c.action.baseValue() * weight, channel(c)));
      }
    }
    eligible.sort(ORDER);
    List<Scored> shown = eligible.subList(0, Math.min(limit, eligible.size()));
    java.util.Map<String, Integer> carriers = new java.util.HashMap<>();
    for (Scored s : shown) {
      s.candidate().reasons.stream()
          .map(Reason::rule)
          .distinct()
          .forEach(rule -> carriers.merge(rule, 1, Integer::sum));
    }
    for (int i = 0; i < shown.size(); i++) {
      actions.add(recommended(i + 1, shown.get(i), carriers));
    }
    suppressed.sort(
        Comparator.comparing(SuppressedAction::family).thenComparing(SuppressedAction::actionId));
  }

  private static Channel channel(HwCandidate c) {
    if (c.preferredChannel != null && c.channels.contains(c.preferredChannel)) {
      return c.preferredChannel;
    }
    for (Channel ch : c.action.channels()) {
      if (c.channels.contains(ch)) {
        return ch;
      }
    }
    throw new IllegalStateException("no channel left for " + c.id());
  }

  private static RecommendedAction recommended(
      int rank, Scored s, java.util.Map<String, Integer> carriers) {
    HwCandidate c = s.candidate();
    CatalogueAction a = c.action;
    Priority priority =
        new Priority(
            c.propensity,
            a.baseValue(),
            round(c.contextWeight),
            c.factors,
            c.lever,
            round(s.priority()));
    Explanation explanation = new Explanation(summary(c, carriers), c.reasons, priority);
    return new RecommendedAction(
        rank,
        a.id(),
        a.title(),
        a.family(),
        s.channel(),
        a.outbound(),
        c.routing,
        c.tone,
        c.complexity,
        a.scriptHint(),
        round(s.priority()),
        explanation);
  }

  private static String summary(HwCandidate c, java.util.Map<String, Integer> carriers) {
    Reason best = null;
    double bestLift = 1.0;
    Reason own = null;
    double ownLift = 1.0;
    int i = 1;
    for (Reason r : c.reasons) {
      if (r.effect().startsWith("context weight x")) {
        double m = c.factors.get(i++).multiplier();
        if (m > bestLift) {
          bestLift = m;
          best = r;
        }
        if (m > ownLift && carriers.getOrDefault(r.rule(), 0) <= 1) {
          ownLift = m;
          own = r;
        }
      }
    }
    if (own != null) {
      return c.action.title() + ": " + own.text();
    }
    if (best == null) {
      WeightFactor strategy = c.factors.get(0);
      return c.action.title()
          + ": "
          + strategy.source()
          + " (weight "
          + round(strategy.multiplier())
          + ")";
    }
    return c.action.title() + ": " + best.text();
  }

  private static double round(double d) {
    return Math.round(d * 10_000) / 10_000.0;
  }

  private static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "d-"
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 8);
  }
}
