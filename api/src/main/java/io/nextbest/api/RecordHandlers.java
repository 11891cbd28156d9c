package io.nextbest.api;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.RuleSet;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.CustomerStore;
import io.nextbest.engine.customers.ProfileView;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.VersionInfo;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * Handlers over what is kept about customers and decisions: a customer's stored events and ledger,
 * everything about them in one export, their erasure (data-protection requests of access and
 * erasure), and the replay of a recorded decision. Every one is written to the audit log with who
 * asked. Thin: parse, call {@link CustomerService}, encode; all may wait on the store.
 */
final class RecordHandlers {
  private final CustomerService customers;
  private final RuleSetRegistry registry;

  RecordHandlers(CustomerService customers, RuleSetRegistry registry) {
    this.customers = customers;
    this.registry = registry;
  }

  record Events(String customerId, List<CustomerEvent> events) {
    Events {
      events = List.copyOf(events);
    }
  }

  record Ledger(String customerId, List<LedgerEntry> ledger) {
    Ledger {
      ledger = List.copyOf(ledger);
    }
  }

  /**
   * The export: the stored profile as the engine sees it (null when nothing is stored) and every
   * record behind it.
   */
  record Export(
      String customerId,
      Instant exportedAt,
      ProfileView profile,
      List<CustomerEvent> events,
      List<LedgerEntry> ledger,
      List<DecisionRecord> decisions) {}

  record Erasure(String customerId, int events, int ledgerLines, int decisions) {}

  void events(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    List<CustomerEvent> events = customers.events(id);
    audit(ctx, "customer-events-read", id, events.size() + " events");
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new Events(id, events));
  }

  void ledger(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    List<LedgerEntry> ledger = customers.ledger(id);
    audit(ctx, "customer-ledger-read", id, ledger.size() + " ledger lines");
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new Ledger(id, ledger));
  }

  void export(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    CustomerService.Export e = customers.export(id);
    ProfileView profile = customers.profile(id, e.exportedAt()).orElse(null);
    audit(
        ctx,
        "customer-export",
        id,
        e.events().size()
            + " events, "
            + e.ledger().size()
            + " ledger lines, "
            + e.decisions().size()
            + " decisions");
    ctx.response()
        .putHeader("Content-Disposition", "attachment; filename=\"customer-export.json\"");
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Export(id, e.exportedAt(), profile, e.events(), e.ledger(), e.decisions()));
  }

  void erase(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    CustomerStore.Erased erased = customers.erase(id);
    // The id stays in the audit log: the record that the erasure was done, and by whom.
    audit(
        ctx,
        "customer-erase",
        id,
        erased.events()
            + " events, "
            + erased.ledgerLines()
            + " ledger lines, "
            + erased.decisions()
            + " decisions erased");
    ApiVerticle.send(
        ctx,
        200,
        ApiVerticle.JSON,
        new Erasure(id, erased.events(), erased.ledgerLines(), erased.decisions()));
  }

  /**
   * Decides a recorded decision again on the version it was made on, from what it was made from,
   * and says whether it matches.
   */
  void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    DecisionRecord rec =
        customers
            .decision(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(
                            Problem.Kind.NOT_FOUND,
                            "No decision " + clip(id) + " is in the audit trail.")));
    if (rec.inputs() == null) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.NOT_REPLAYABLE,
              new FieldError(
                  "id",
                  "was recorded before decisions kept their inputs (what they were made from); it cannot be replayed")));
    }
    VersionInfo version =
        registry.versions().stream()
            .filter(v -> v.label().equals(rec.ruleSetVersion()))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(
                            Problem.Kind.NOT_REPLAYABLE,
                            new FieldError(
                                "id",
                                "was decided on rule-set version "
                                    + rec.ruleSetVersion()
                                    + ", which this registry does not hold"))));
    RuleSet ruleSet = registry.ruleSet(version.sequence());
    CustomerService.Replay replay = customers.replay(rec, ruleSet);
    audit(
        ctx,
        "decision-replay",
        rec.customerId(),
        "decision "
            + id
            + " on "
            + rec.ruleSetVersion()
            + ": "
            + (replay.matches() ? "matches" : "differs " + replay.differences()));
    // Compact like the recorded answer; verbose=true shows the evidence the replay re-derived.
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, ApiVerticle.encodeDecision(ctx, replay));
  }

  private void audit(RoutingContext ctx, String action, String customerId, String detail) {
    registry.record(Security.actor(ctx), action, "customer " + clip(customerId) + ": " + detail);
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
