package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import io.nextbest.engine.model.SuppressedAction;
import io.nextbest.engine.scenario.Scenario;
import io.nextbest.engine.scenario.Scenarios;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Properties every decision has, checked over the personas and a seeded random population. */
class DecisionPropertiesTest {
  static List<CustomerContext> population() {
    List<CustomerContext> out = new ArrayList<>();
    for (Scenario s : Scenarios.load(BundledRuleSet.SOURCE)) {
      out.add(s.context());
    }
    Random r = new Random(42);
    Channel[] channels = Channel.values();
    for (int i = 0; i < 300; i++) {
      Given g = Given.customer("rnd-" + i);
      for (int k = r.nextInt(4); k > 0; k--) {
        g.csat(1 + r.nextInt(5), r.nextInt(120));
      }
      if (r.nextBoolean()) {
        g.ces(1 + r.nextInt(7), r.nextInt(60));
      }
      if (r.nextInt(3) == 0) {
        g.nps(r.nextInt(11), r.nextInt(200));
      }
      if (r.nextInt(4) == 0) {
        g.openComplaint(
            "C-" + i,
            Severity.values()[r.nextInt(4)],
            r.nextBoolean() ? "MOBILE" : null,
            r.nextInt(30));
      }
      if (r.nextInt(4) == 0) {
        g.failed(
            channels[r.nextInt(channels.length)], r.nextBoolean() ? "TV" : null, r.nextInt(40));
      }
      g.usesChannel(channels[r.nextInt(channels.length)], r.nextInt(20), r.nextInt(90));
      g.holds("BROADBAND", 100 + r.nextInt(2000));
      if (r.nextBoolean()) {
        g.holds("MOBILE", r.nextInt(400));
      }
      if (r.nextInt(3) == 0) {
        g.loyaltyMember(r.nextInt(6000));
      }
      g.purchases(r.nextInt(4)).referrals(r.nextInt(2));
      for (Channel c : channels) {
        if (r.nextBoolean()) {
          g.consents(c);
        }
      }
      for (int k = r.nextInt(4); k > 0; k--) {
        g.sent("value-usage-tips", Channel.EMAIL, r.nextInt(40));
      }
      if (r.nextBoolean()) {
        g.onTheLine(
            channels[r.nextInt(4)],
            r.nextBoolean() ? "billing" : "outage",
            Sentiment.values()[r.nextInt(3)]);
      } else if (r.nextInt(3) == 0) {
        g.justResolved(Channel.PHONE, r.nextBoolean() ? null : 1 + r.nextInt(5));
      }
      out.add(g.context());
    }
    return out;
  }

  @Test
  void everyCatalogueAction_isRankedSuppressedOrBelowTheLimit_andExplained() {
    for (CustomerContext ctx : population()) {
      Decision d = BundledRuleSet.ENGINE.decide(ctx);
      for (RecommendedAction a : d.actions()) {
        assertThat(a.explanation().summary())
            .as(ctx.customerId())
            .isNotBlank()
            .startsWith(a.title());
        assertThat(a.explanation().priority().priority()).isPositive();
        assertThat(a.channel()).isNotNull();
      }
      for (SuppressedAction s : d.suppressed()) {
        assertThat(s.by())
            .as(s.actionId())
            .isNotEmpty()
            .allSatisfy(
                b -> {
                  assertThat(b.rule()).isNotBlank();
                  assertThat(b.guidance()).isNotEmpty();
                  assertThat(b.reason()).isNotBlank();
                  assertThat(b.liftWhen()).isNotBlank();
                });
      }
      assertThat(d.actions().size() + d.suppressed().size())
          .isLessThanOrEqualTo(BundledRuleSet.RULES.catalogue().size());
    }
  }

  @Test
  void whileAGapIsOpen_noEngagementActionIsRecommended() {
    for (CustomerContext ctx : population()) {
      Decision d = BundledRuleSet.ENGINE.decide(ctx);
      if (!d.criticalGaps().isEmpty()) {
        assertThat(d.actions()).as(ctx.customerId()).noneMatch(a -> a.family().engagement());
      }
    }
  }

  @Test
  void outboundActions_goOnlyOnConsentedChannels_andRespectTheCaps() {
    for (CustomerContext ctx : population()) {
      Decision d = BundledRuleSet.ENGINE.decide(ctx);
      for (RecommendedAction a : d.actions()) {
        if (a.outbound()) {
          assertThat(ctx.profile().consents(a.channel()))
              .as(ctx.customerId() + " " + a.actionId())
              .isTrue();
          if (a.family() != ActionFamily.EXPERIENCE_REPAIR) {
            assertThat(d.contact().weeklyCapReached() || d.contact().monthlyCapReached())
                .as(ctx.customerId() + " " + a.actionId())
                .isFalse();
          }
        }
      }
    }
  }

  @Test
  void sameContext_sameDecision_evenFromManyThreadsAtOnce() throws Exception {
    List<CustomerContext> pop = population();
    List<String> expected = new ArrayList<>();
    for (CustomerContext c : pop) {
      expected.add(fingerprint(BundledRuleSet.ENGINE.decide(c)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(
            pool.submit(
                () -> {
                  List<String> got = new ArrayList<>();
                  for (CustomerContext c : pop) {
                    got.add(fingerprint(BundledRuleSet.ENGINE.decide(c)));
                  }
                  return got;
                }));
      }
      for (Future<List<String>> f : runs) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void everyFamily_isReachable() {
    EnumSet<ActionFamily> seen = EnumSet.noneOf(ActionFamily.class);
    for (CustomerContext ctx : population()) {
      BundledRuleSet.ENGINE.decide(ctx).actions().forEach(a -> seen.add(a.family()));
    }
    assertThat(seen).containsExactlyInAnyOrder(ActionFamily.values());
  }

  static String fingerprint(Decision d) {
    StringBuilder sb = new StringBuilder(d.segment().quadrant().name());
    d.actions()
        .forEach(
            a ->
                sb.append('|')
                    .append(a.actionId())
                    .append('@')
                    .append(a.channel())
                    .append(':')
                    .append(a.priority()));
    d.suppressed()
        .forEach(
            s ->
                sb.append("|-")
                    .append(s.actionId())
                    .append(s.by().stream().map(b -> b.rule()).toList()));
    return sb.toString();
  }
}
