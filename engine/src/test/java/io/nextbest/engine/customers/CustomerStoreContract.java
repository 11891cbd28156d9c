package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.Json;
import io.nextbest.engine.customers.CustomerStore.Appended;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.CustomerEvent.OutreachSent;
import io.nextbest.engine.events.CustomerEvent.SurveyAnswered;
import io.nextbest.engine.ledger.Counts;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.LedgerKind;
import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Segment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link CustomerStore} must do; each implementation's test runs it on a real store. */
abstract class CustomerStoreContract {
  static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  abstract CustomerStore store();

  static CustomerEvent csat(String id, String customer, int value) {
    return new SurveyAnswered(id, customer, T, CustomerEvent.Survey.CSAT, value);
  }

  @Test
  void append_sameIdTwice_storesOnce_evenInOneBatch() {
    CustomerStore s = store();
    assertThat(s.append(List.of(csat("e1", "c1", 4), csat("e2", "c1", 5), csat("e1", "c1", 4))))
        .containsExactly(Appended.STORED, Appended.STORED, Appended.DUPLICATE);
    assertThat(s.append(List.of(csat("e2", "c1", 5), csat("e3", "c1", 3))))
        .containsExactly(Appended.DUPLICATE, Appended.STORED);
    CustomerStore.History h = s.history("c1", 0);
    assertThat(h.events()).extracting(CustomerEvent::id).containsExactly("e1", "e2", "e3");
    assertThat(((SurveyAnswered) h.events().get(0)).value())
        .as("the first copy is the one kept")
        .isEqualTo(4);
    assertThat(h.totalEvents()).isEqualTo(3);
  }

  @Test
  void eventIds_areUniquePerCustomer_soAnotherCustomersEventUnderTheSameIdIsStored() {
    CustomerStore s = store();
    assertThat(s.append(List.of(csat("shared-1", "alice", 4)))).containsExactly(Appended.STORED);
    assertThat(s.append(List.of(csat("shared-1", "bob", 4))))
        .as("bob's event is his own, not alice's duplicate")
        .containsExactly(Appended.STORED);
    assertThat(s.history("bob", 0).events())
        .extracting(CustomerEvent::customerId)
        .containsExactly("bob");
    assertThat(s.history("alice", 0).events()).hasSize(1);
    // The same for the SENT line an outreach event stands for: keyed within its customer.
    s.append(
        List.of(
            new OutreachSent("o-1", "alice", T, "survey", Channel.SMS, null),
            new OutreachSent("o-1", "bob", T, "survey", Channel.SMS, null)));
    assertThat(s.history("bob", 0).sent()).hasSize(1);
    assertThat(s.history("alice", 0).sent()).hasSize(1);
  }

  @Test
  void aDifferentEventUnderAKnownId_isAConflict_andTheStoredOneStays() {
    CustomerStore s = store();
    s.append(List.of(csat("x1", "carol", 4)));
    assertThat(
            s.append(
                List.of(
                    csat("x1", "carol", 1),
                    csat("x1", "carol", 4),
                    csat("x2", "carol", 5),
                    csat("x2", "carol", 3))))
        .containsExactly(Appended.CONFLICT, Appended.DUPLICATE, Appended.STORED, Appended.CONFLICT);
    assertThat(s.history("carol", 0).events())
        .extracting(e -> ((SurveyAnswered) e).value())
        .containsExactly(4, 5);
  }

  @Test
  void erase_removesTheCustomersEventsLedgerAndDecisions_only() {
    CustomerStore s = store();
    s.append(
        List.of(
            csat("g1", "gone", 2),
            csat("g2", "gone", 3),
            new OutreachSent("g3", "gone", T, "survey", Channel.SMS, "d-g"),
            csat("g1", "kept", 5)));
    Decision d =
        new Decision(
            "d-g",
            "v1-abc",
            "gone",
            T,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            List.of(),
            List.of(),
            7);
    Decision k =
        new Decision(
            "d-k",
            "v1-abc",
            "kept",
            T,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            List.of(),
            List.of(),
            7);
    s.saveDecisions(
        List.of(
            new DecisionRecord("d-g", "gone", T, "v1-abc", "ab12", d),
            new DecisionRecord("d-k", "kept", T, "v1-abc", "cd34", k)));
    assertThat(s.decisions("gone")).extracting(DecisionRecord::decisionId).containsExactly("d-g");
    long before = s.version("gone");

    assertThat(s.erase("gone")).isEqualTo(new CustomerStore.Erased("gone", 3, 1, 1));

    assertThat(s.history("gone", 0).events()).isEmpty();
    assertThat(s.ledger("gone")).isEmpty();
    assertThat(s.decision("d-g")).isEmpty();
    assertThat(s.decisions("gone")).isEmpty();
    assertThat(s.customerIds("gone", 10)).isEmpty();
    assertThat(s.history("kept", 0).events()).hasSize(1);
    assertThat(s.decision("d-k")).isPresent();
    assertThat(s.erase("nobody")).isEqualTo(new CustomerStore.Erased("nobody", 0, 0, 0));
    // Events sent again after an erasure are new events of a new history.
    assertThat(s.append(List.of(csat("g1", "gone", 2)))).containsExactly(Appended.STORED);
    if (before > 0) {
      assertThat(s.history("gone", 0).totalEvents()).isEqualTo(1);
    }
  }

  @Test
  void history_fromAnOffset_readsOnlyLaterEvents_andTheVersionGrows() {
    CustomerStore s = store();
    long v0 = s.version("c2");
    s.append(List.of(csat("a1", "c2", 4), csat("a2", "c2", 5)));
    long v1 = s.version("c2");
    s.append(List.of(csat("a3", "c2", 1)));
    assertThat(s.history("c2", 2).events()).extracting(CustomerEvent::id).containsExactly("a3");
    assertThat(s.history("c2", 2).totalEvents()).isEqualTo(3);
    assertThat(v1).isGreaterThan(v0);
    assertThat(s.version("c2")).isGreaterThan(v1);
    assertThat(s.history("nobody", 0).events()).isEmpty();
    assertThat(s.version("nobody")).isZero();
  }

  @Test
  void outreachSent_isOneSentLedgerLine_whetherTheEventOrFeedbackSaysIt() {
    CustomerStore s = store();
    s.append(
        List.of(
            new OutreachSent("o1", "c3", T, "loyalty-enrol", Channel.EMAIL, "d-1"),
            new OutreachSent("o2", "c3", T, "survey", Channel.SMS, null)));
    LedgerEntry sameSend =
        new LedgerEntry(
            LedgerEntry.idFor("d-1", "loyalty-enrol", LedgerKind.SENT),
            "c3",
            "d-1",
            "loyalty-enrol",
            LedgerKind.SENT,
            Channel.EMAIL,
            T,
            null);
    assertThat(s.record(sameSend, null, null).added()).isFalse();
    assertThat(s.history("c3", 0).sent())
        .extracting(LedgerEntry::actionId)
        .containsExactly("loyalty-enrol", "survey");
    assertThat(s.ledger("c3")).hasSize(2);
  }

  @Test
  void customerOutcome_countsOncePerDecisionAndAction() {
    CustomerStore s = store();
    OutcomeKey key = new OutcomeKey("upgrade", Quadrant.Q4);
    LedgerEntry accepted = line("d-9", "upgrade", LedgerKind.ACCEPTED_BY_CUSTOMER);
    assertThat(s.record(accepted, key, true)).isEqualTo(new CustomerStore.Recorded(true, true));
    assertThat(s.record(accepted, key, true))
        .as("same feedback again")
        .isEqualTo(new CustomerStore.Recorded(false, false));
    assertThat(s.record(line("d-9", "upgrade", LedgerKind.DECLINED_BY_CUSTOMER), key, false))
        .as("a second outcome of the same offer")
        .isEqualTo(new CustomerStore.Recorded(true, false));
    assertThat(
            s.record(line("d-10", "upgrade", LedgerKind.DECLINED_BY_CUSTOMER), key, false)
                .learned())
        .isTrue();
    assertThat(s.record(line("d-10", "upgrade", LedgerKind.SHOWN), key, null).learned()).isFalse();
    assertThat(s.propensityCounts()).containsEntry(key, new Counts(1, 1));
  }

  @Test
  void aTreatmentOutcome_countsForTheTreatmentAndItsAction() {
    CustomerStore s = store();
    OutcomeKey email = new OutcomeKey("survey", Quadrant.Q2, Channel.EMAIL);
    assertThat(
            s.record(line("d-20", "survey", LedgerKind.ACCEPTED_BY_CUSTOMER), email, true, 3)
                .learned())
        .isTrue();
    assertThat(
            s.record(
                    line("d-21", "survey", LedgerKind.DECLINED_BY_CUSTOMER),
                    new OutcomeKey("survey", Quadrant.Q2, Channel.SMS),
                    false,
                    3)
                .learned())
        .isTrue();
    assertThat(s.propensityCounts())
        .containsEntry(email, new Counts(1, 0))
        .containsEntry(new OutcomeKey("survey", Quadrant.Q2, Channel.SMS), new Counts(0, 1))
        .containsEntry(new OutcomeKey("survey", Quadrant.Q2), new Counts(1, 1));
  }

  @Test
  void oneCustomersOutcomes_countUpToTheCap_perTreatment() {
    CustomerStore s = store();
    OutcomeKey key = new OutcomeKey("upsell", Quadrant.Q4, Channel.EMAIL);
    int learned = 0;
    for (int i = 0; i < 30; i++) {
      // Thirty accepts of thirty decisions by one customer ("c5", see line()).
      if (s.record(line("d-cap-" + i, "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER), key, true, 3)
          .learned()) {
        learned++;
      }
    }
    assertThat(learned).isEqualTo(3);
    assertThat(s.propensityCounts())
        .containsEntry(key, new Counts(3, 0))
        .containsEntry(key.action(), new Counts(3, 0));
    assertThat(s.ledger("c5"))
        .as("every line is still in the ledger")
        .hasSizeGreaterThanOrEqualTo(30);
    LedgerEntry other =
        new LedgerEntry(
            LedgerEntry.idFor("d-cap-x", "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER),
            "c6",
            "d-cap-x",
            "upsell",
            LedgerKind.ACCEPTED_BY_CUSTOMER,
            Channel.EMAIL,
            T,
            null);
    assertThat(s.record(other, key, true, 3).learned())
        .as("another customer still counts")
        .isTrue();
    assertThat(
            s.record(
                    line("d-cap-sms", "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER),
                    new OutcomeKey("upsell", Quadrant.Q4, Channel.SMS),
                    true,
                    3)
                .learned())
        .as("the cap is per treatment")
        .isTrue();
  }

  @Test
  void aDeclaredSegment_isCountedAndCappedOnItsOwn() {
    CustomerStore s = store();
    OutcomeKey gold = new OutcomeKey("upsell", "Q4/loyaltyTier=GOLD", Channel.EMAIL);
    OutcomeKey silver = new OutcomeKey("upsell", "Q4/loyaltyTier=SILVER", Channel.EMAIL);
    int learned = 0;
    for (int i = 0; i < 5; i++) {
      if (s.record(line("d-seg-" + i, "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER), gold, true, 3)
          .learned()) {
        learned++;
      }
    }
    assertThat(learned).as("one customer's outcomes in one segment, up to the cap").isEqualTo(3);
    assertThat(
            s.record(line("d-seg-x", "upsell", LedgerKind.DECLINED_BY_CUSTOMER), silver, false, 3)
                .learned())
        .as("the cap is per segment")
        .isTrue();
    assertThat(s.propensityCounts())
        .containsEntry(gold, new Counts(3, 0))
        .containsEntry(gold.action(), new Counts(3, 0))
        .containsEntry(silver, new Counts(0, 1))
        .containsEntry(silver.action(), new Counts(0, 1))
        .doesNotContainKey(new OutcomeKey("upsell", Quadrant.Q4, Channel.EMAIL))
        .doesNotContainKey(new OutcomeKey("upsell", Quadrant.Q4));
  }

  @Test
  void erase_dropsTheCustomersCapCounts_butNotThePropensityCounts() {
    CustomerStore s = store();
    OutcomeKey key = new OutcomeKey("upsell", Quadrant.Q4, Channel.EMAIL);
    for (int i = 0; i < 3; i++) {
      assertThat(
              s.record(line("d-er-" + i, "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER), key, true, 3)
                  .learned())
          .isTrue();
    }
    assertThat(
            s.record(line("d-er-3", "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER), key, true, 3)
                .learned())
        .as("at the cap")
        .isFalse();

    s.erase("c5");

    assertThat(s.propensityCounts())
        .as("aggregates over every customer stay")
        .containsEntry(key, new Counts(3, 0));
    // The counts that named the customer are gone: what they send from now on counts afresh.
    assertThat(
            s.record(line("d-er-4", "upsell", LedgerKind.ACCEPTED_BY_CUSTOMER), key, true, 3)
                .learned())
        .isTrue();
    assertThat(s.propensityCounts()).containsEntry(key, new Counts(4, 0));
  }

  static DecisionRecord recordAt(String id, String customer, Instant at) {
    Decision d =
        new Decision(
            id,
            "v1-abc",
            customer,
            at,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            List.of(),
            List.of(),
            7);
    return new DecisionRecord(id, customer, at, "v1-abc", "ab12", d);
  }

  /**
   * Offline evaluation reads the audit trail by when decisions were made: latest first cut, oldest
   * first out.
   */
  @Test
  void decisionsBetween_findTheLatestOfAWindow_oldestFirst_andForgetErasedCustomers() {
    CustomerStore s = store();
    List<DecisionRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(
          recordAt(
              "d-w" + i, i == 2 ? "erased-w" : "c-w", T.plusSeconds(i).plusNanos(123_456_789)));
    }
    s.saveDecisions(records);
    Instant from = T.plusSeconds(1);
    Instant to = T.plusSeconds(4);
    assertThat(s.decisionsBetween(from, to, 10))
        .extracting(DecisionRecord::decisionId)
        .containsExactly("d-w1", "d-w2", "d-w3");
    assertThat(s.decisionsBetween(from, to, 2))
        .as("the latest of the window when it holds more")
        .extracting(DecisionRecord::decisionId)
        .containsExactly("d-w2", "d-w3");
    assertThat(s.decisionsBetween(T.plusSeconds(4).plusMillis(124), T.plusSeconds(9), 10))
        .as("the lower bound is inclusive, to the millisecond")
        .isEmpty();
    assertThat(s.decisionsBetween(T.plusSeconds(4).plusMillis(123), T.plusSeconds(9), 10))
        .extracting(DecisionRecord::decisionId)
        .containsExactly("d-w4");
    s.erase("erased-w");
    assertThat(s.decisionsBetween(from, to, 10))
        .extracting(DecisionRecord::decisionId)
        .containsExactly("d-w1", "d-w3");
  }

  @Test
  void decisions_areKeptAndFoundById() {
    CustomerStore s = store();
    Decision d =
        new Decision(
            "d-42",
            "v1-abc",
            "c4",
            T,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            List.of(),
            List.of(),
            7);
    s.saveDecisions(List.of(new DecisionRecord("d-42", "c4", T, "v1-abc", "ab12", d)));
    DecisionRecord back = s.decision("d-42").orElseThrow();
    assertThat(back.inputsDigest()).isEqualTo("ab12");
    assertThat(back.decision().segment().quadrant()).isEqualTo(Quadrant.Q2);
    assertThat(s.decision("d-43")).isEmpty();
  }

  /**
   * The audit writer encodes a record off the deciding thread (the context's canonical JSON once,
   * for the digest and the body): the store reads back the same decision, inputs and digest.
   */
  @Test
  void auditWriter_recordsReadBack_withTheirInputsAndDigest() throws Exception {
    CustomerStore s = store();
    Decision d =
        new Decision(
            "d-51",
            "v1-abc",
            "c6",
            T,
            null,
            new Segment(Quadrant.Q2, "One-Hit Wonder", Level.HIGH, Level.LOW),
            null,
            List.of(),
            List.of(),
            List.of(),
            7);
    DecisionEngine.Inputs inputs =
        new DecisionEngine.Inputs(
            new CustomerContext("c6", T, null, null, 3),
            true,
            Map.of(
                "Q2|repair-resolve-now|PHONE", new Propensity(0.31, "learned", 12),
                "Q2|offer-upgrade|EMAIL@00000000000000ff", new Propensity(0.07, "prior", 0)));
    Decision answered =
        new Decision(
            "d-52",
            d.ruleSetVersion(),
            d.customerId(),
            d.asOf(),
            d.indices(),
            d.segment(),
            d.contact(),
            d.criticalGaps(),
            d.actions(),
            d.suppressed(),
            9,
            d.profileSource(),
            d.degraded(),
            d.experiments(),
            d.exploration());
    // A gap's evidence is in the verbose view only: the record keeps the compact answer.
    Decision withEvidence =
        new Decision(
            "d-53",
            d.ruleSetVersion(),
            d.customerId(),
            d.asOf(),
            d.indices(),
            d.segment(),
            d.contact(),
            List.of(
                new io.nextbest.engine.model.CriticalGap(
                    "OPEN_COMPLAINT",
                    "C-1",
                    "complaint C-1 is open",
                    "once it is resolved",
                    "OpenComplaintIsCriticalGap",
                    List.of("G3"),
                    Map.of("daysOpen", 9))),
            d.actions(),
            d.suppressed(),
            7);
    DecisionRecord early;
    try (AuditWriter w = new AuditWriter(s, Clock.fixed(T, ZoneOffset.UTC), 100)) {
      w.submit(d, inputs);
      w.submit(answered, inputs);
      w.submit(withEvidence, inputs);
      // The answer as the API wrote it: stored as the record's decision, not encoded again.
      w.answered("d-52", Json.mapper().writeValueAsBytes(answered));
      assertThat(w.pending("d-51"))
          .as("served from memory until written")
          .hasValueSatisfying(r -> assertThat(r.inputs()).isEqualTo(inputs));
      early = w.pending("d-53").orElse(null);
    }
    if (early != null) {
      assertThat(early)
          .as("read before it is written, a record is the one written")
          .isEqualTo(s.decision("d-53").orElseThrow());
    }
    assertThat(s.decision("d-53").orElseThrow().decision().criticalGaps().get(0).evidence())
        .isEmpty();
    assertThat(s.decision("d-52").orElseThrow().decision()).isEqualTo(answered);
    assertThat(s.decision("d-52").orElseThrow().inputs()).isEqualTo(inputs);
    DecisionRecord back = s.decision("d-51").orElseThrow();
    assertThat(back.decision()).isEqualTo(d);
    assertThat(back.inputs()).isEqualTo(inputs);
    assertThat(back.decidedAt()).isEqualTo(T);
    assertThat(back.ruleSetVersion()).isEqualTo("v1-abc");
    assertThat(back.inputsDigest())
        .hasSize(64)
        .isEqualTo(AuditWriter.digest(inputs.context()))
        .isEqualTo(AuditWriter.digest(back.inputs().context()));
    assertThat(s.decisions("c6"))
        .extracting(DecisionRecord::decisionId)
        .containsExactly("d-51", "d-52", "d-53");
  }

  @Test
  void sharedCache_seesWhatAnotherNodeWrote_onTheNextRead() {
    CustomerStore s = store();
    ProfileCache nodeA = new ProfileCache(s, true, 100);
    ProfileCache nodeB = new ProfileCache(s, true, 100);
    s.append(List.of(csat("s1", "c5", 2)));
    assertThat(nodeB.get("c5").events()).hasSize(1);
    // Node A writes; B's cached entry is behind the store's version and catches up on its next
    // read.
    s.append(List.of(csat("s2", "c5", 3)));
    assertThat(nodeA.get("c5").events()).hasSize(2);
    assertThat(nodeB.get("c5").events()).extracting(CustomerEvent::id).containsExactly("s1", "s2");
    s.record(line("d-1", "x", LedgerKind.SENT), null, null);
    assertThat(nodeB.get("c5").sent()).hasSize(1);
  }

  @Test
  void customerIds_areTheCustomersWithEvents_inCodePointOrder_byPrefix_upToTheLimit() {
    CustomerStore s = store();
    // U+FF21 sorts before U+1F600 by code point (and UTF-8 bytes), after it in Java's UTF-16 order.
    String fullwidth = "cust-\uFF21";
    String emoji = "cust-\uD83D\uDE00";
    s.append(
        List.of(
            csat("k1", "cust-b", 4),
            csat("k2", "cust-a", 5),
            csat("k3", "cust-b", 3),
            csat("k4", "other", 2),
            csat("k5", emoji, 1),
            csat("k6", fullwidth, 1),
            csat("k7", "cust-\u00e9", 1),
            csat("k8", "cust", 1),
            csat("k9", "cusu", 1)));
    s.record(
        new LedgerEntry("l-1", "ledger-only", null, "x", LedgerKind.SENT, Channel.EMAIL, T, null),
        null,
        null);

    assertThat(s.customerIds("", 100))
        .containsExactly(
            "cust", "cust-a", "cust-b", "cust-\u00e9", fullwidth, emoji, "cusu", "other");
    assertThat(s.customerIds("cust-", 100))
        .containsExactly("cust-a", "cust-b", "cust-\u00e9", fullwidth, emoji);
    assertThat(s.customerIds("cust-", 2)).containsExactly("cust-a", "cust-b");
    assertThat(s.customerIds("cust-b", 10)).containsExactly("cust-b");
    assertThat(s.customerIds("CUST", 10))
        .as("ids are matched as they are, case included")
        .isEmpty();
    assertThat(s.customerIds("ledger", 10))
        .as("a ledger line alone is no stored customer")
        .isEmpty();
  }

  static LedgerEntry line(String decision, String action, LedgerKind kind) {
    return new LedgerEntry(
        LedgerEntry.idFor(decision, action, kind),
        "c5",
        decision,
        action,
        kind,
        Channel.EMAIL,
        T,
        null);
  }
}
