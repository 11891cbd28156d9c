package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.EventResult;
import io.nextbest.engine.customers.Feedback;
import io.nextbest.engine.customers.FeedbackException;
import io.nextbest.engine.customers.FeedbackResult;
import io.nextbest.engine.customers.ProfileView;
import io.nextbest.engine.ledger.DecisionRecord;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Handlers over live customer context: events in, profiles out, the customers known, decisions from
 * a customer id, feedback, the decision audit trail. Thin: parse, call {@link CustomerService},
 * encode. Every one may wait on the store, so they run as blocking handlers; a store that cannot be
 * reached is 503.
 *
 * <p>{@code POST /v1/events} takes one event (an object) or a batch (an array, at most 10000: the
 * contract's limit); each event is checked against the contract's {@code Event} schema and stored
 * or rejected on its own. One event: 200 with its result, or 422 problem+json naming its fields. A
 * batch: 200 when every event was stored or was a duplicate, 207 when some were rejected or were
 * conflicts; the body lists a result per event in order. Event ids are unique per customer.
 * Resending is always safe: a duplicate (the same event under its id) changes nothing; a different
 * event under an id the customer used already is a conflict (one event: 409), and is not stored.
 */
final class CustomerHandlers {
  private static final ObjectReader CONTEXT = JsonBodies.reader(CustomerContext.class);
  private static final ObjectReader FEEDBACK = JsonBodies.reader(Feedback.class);

  /** The MDC key (and routing-context key) of the decision a log line is about. */
  static final String DECISION_ID = "decisionId";

  /**
   * The routing-context key of the decision answered, for the metrics taken as the answer goes out.
   */
  private static final String DECISION = "nba.decision";

  private static final Logger LOG = LoggerFactory.getLogger(CustomerHandlers.class);

  private final CustomerService customers;
  private final EventIntake intake;
  private final ServiceMetrics metrics;

  CustomerHandlers(CustomerService customers, ApiContract contract, ServiceMetrics metrics) {
    this.customers = customers;
    this.intake = new EventIntake(customers, contract);
    this.metrics = metrics;
  }

  /** What a batch answers. */
  record BatchResult(
      int stored, int duplicates, int conflicts, int rejected, List<EventResult> results) {}

  void events(RoutingContext ctx) {
    // The contract has checked the shape: an object, or an array of at most 10000 objects.
    JsonNode body = JsonBodies.tree(ctx, "an event or an array of events");
    boolean batch = body.isArray();
    List<JsonNode> nodes = new ArrayList<>();
    if (batch) {
      body.forEach(nodes::add);
    } else {
      nodes.add(body);
    }
    List<EventResult> results = intake.ingest(nodes, batch);
    if (!batch) {
      EventResult only = results.get(0);
      if (only.status() == EventResult.Status.REJECTED) {
        throw new ProblemException(
            Problem.of(
                Problem.Kind.INVALID_INPUT,
                "the event cannot be stored: "
                    + only.errors().get(0).field()
                    + " "
                    + only.errors().get(0).message(),
                only.errors()));
      }
      if (only.status() == EventResult.Status.CONFLICT) {
        throw new ProblemException(
            Problem.of(
                Problem.Kind.EVENT_CONFLICT,
                "the event is not stored: "
                    + only.errors().get(0).field()
                    + " "
                    + only.errors().get(0).message(),
                only.errors()));
      }
      ApiVerticle.send(ctx, 200, ApiVerticle.JSON, only);
      return;
    }
    int stored = 0;
    int duplicates = 0;
    int conflicts = 0;
    int bad = 0;
    for (EventResult r : results) {
      switch (r.status()) {
        case STORED -> stored++;
        case DUPLICATE -> duplicates++;
        case CONFLICT -> conflicts++;
        case REJECTED -> bad++;
      }
    }
    ApiVerticle.send(
        ctx,
        bad == 0 && conflicts == 0 ? 200 : 207,
        ApiVerticle.JSON,
        new BatchResult(stored, duplicates, conflicts, bad, results));
  }

  void profile(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Instant asOf = instant(ctx.queryParams().get("asOf"));
    ProfileView view =
        customers
            .profile(id, asOf)
            .orElseThrow(
                () ->
                    new ProblemException(
                        Problem.of(
                            Problem.Kind.NOT_FOUND,
                            "Nothing is stored for customer "
                                + clip(id)
                                + ": send its events to POST /v1/events.")));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, view);
  }

  /** What {@code GET /v1/customers} answers: ids ascending. */
  record CustomerIds(List<String> customerIds) {
    CustomerIds {
      customerIds = List.copyOf(customerIds);
    }
  }

  static final int DEFAULT_CUSTOMER_IDS = 20;

  /**
   * {@code GET /v1/customers?prefix=&limit=}: ids of customers with stored events, for an agent
   * picking one (the desk's typeahead). A bounded page, never the whole store.
   */
  void customerIds(RoutingContext ctx) {
    // The contract has checked both: prefix at most 128 characters, limit a whole number from 1 to
    // 100.
    String prefix = ctx.queryParams().get("prefix");
    String limit = ctx.queryParams().get("limit");
    List<String> ids =
        customers.customerIds(
            prefix == null ? "" : prefix,
            limit == null ? DEFAULT_CUSTOMER_IDS : Integer.parseInt(limit));
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, new CustomerIds(ids));
  }

  /**
   * On {@code POST /v1/decisions} once the caller may decide, before the contract checks the body:
   * takes the decision id, so every line logged for the request carries it (a refused one too), and
   * times the whole request into the decision metrics whatever its outcome, just before the
   * answer's headers go out.
   */
  void startDecision(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addHeadersEndHandler(
        v -> {
          Decision decided = ctx.get(DECISION);
          long nanos = System.nanoTime() - started;
          if (decided != null) {
            metrics.decided(decided, nanos);
          } else {
            metrics.decisionFailed(ctx.response().getStatusCode(), nanos);
          }
        });
    ctx.put(DECISION_ID, customers.newDecisionId());
    ctx.next();
  }

  /**
   * Decides here, on the event loop, when the decision reads only memory (the embedded store with
   * the customer's history cached, see {@link CustomerService#decidesFromMemory}): the hop to a
   * worker thread and back cost more than the decision itself. Anything else (a first decision for
   * a customer, a shared store, a running experiment, a body the quick check did not parse) goes on
   * to the worker.
   */
  void decideFromMemory(RoutingContext ctx) {
    JsonNode body = ctx.get(JsonBodies.PARSED);
    JsonNode id = body == null ? null : body.get("customerId");
    if (id != null && id.isTextual() && customers.decidesFromMemory(id.textValue())) {
      decide(ctx);
    } else {
      ctx.next();
    }
  }

  /**
   * A customer id alone, an id with the live interaction, or a whole context: the stored profile is
   * merged with what the request carries, and the decision's {@code profileSource} says which
   * fields came from where.
   */
  void decide(RoutingContext ctx) {
    long started = System.nanoTime();
    String id = ctx.get(DECISION_ID);
    MDC.put(DECISION_ID, id);
    try {
      JsonNode body = JsonBodies.tree(ctx, "a customer context");
      CustomerContext request = JsonBodies.bind(body, CONTEXT, "a customer context");
      Decision decision = customers.decide(request, profileFields(body), id);
      ctx.put(DECISION, decision);
      logDecision(decision, System.nanoTime() - started);
      byte[] answer = ApiVerticle.encodeDecision(ctx, decision);
      // The audit trail keeps the bytes the caller got rather than encoding the decision again.
      customers.answered(id, answer);
      ApiVerticle.send(ctx, 200, ApiVerticle.JSON, answer);
    } finally {
      MDC.remove(DECISION_ID);
    }
  }

  /**
   * One line per decision: what was decided and how fast, nothing about the customer beyond the
   * decision id.
   */
  private static void logDecision(Decision d, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String top = d.top().map(RecommendedAction::actionId).orElse("none");
    LOG.atInfo()
        .addKeyValue("quadrant", d.segment().quadrant().name())
        .addKeyValue("topAction", top)
        .addKeyValue("ruleSetVersion", d.ruleSetVersion())
        .addKeyValue("durationMicros", nanos / 1_000)
        .addKeyValue("degraded", Boolean.TRUE.equals(d.degraded()))
        .log(
            "decided: {} {}, top action {}, rule set {}, {} µs",
            d.segment().quadrant(),
            d.segment().label(),
            top,
            d.ruleSetVersion(),
            nanos / 1_000);
  }

  void feedback(RoutingContext ctx) {
    Feedback f = JsonBodies.read(ctx, FEEDBACK, "feedback");
    boolean tagged =
        f.decisionId() != null && !f.decisionId().isBlank() && f.decisionId().length() <= 128;
    if (tagged) {
      ctx.put(DECISION_ID, f.decisionId());
      MDC.put(DECISION_ID, f.decisionId());
    }
    try {
      FeedbackResult result;
      try {
        result = customers.feedback(f);
      } catch (FeedbackException e) {
        if (e.unknownDecision()) {
          throw new ProblemException(
              Problem.of(
                  Problem.Kind.NOT_FOUND,
                  "No decision " + clip(f.decisionId()) + " is in the audit trail.",
                  e.errors()));
        }
        FieldError first = e.errors().get(0);
        throw new ProblemException(
            Problem.of(
                Problem.Kind.INVALID_INPUT, first.field() + " " + first.message(), e.errors()));
      }
      LOG.info(
          "feedback {} on {} recorded (new: {}, learned: {})",
          f.outcome(),
          f.actionId(),
          result.recorded(),
          result.learned());
      ApiVerticle.send(ctx, 200, ApiVerticle.JSON, result);
    } finally {
      if (tagged) {
        MDC.remove(DECISION_ID);
      }
    }
  }

  void decision(RoutingContext ctx) {
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
    ApiVerticle.send(ctx, 200, ApiVerticle.JSON, rec);
  }

  /**
   * The names of the fields of the request's {@code profile} object: the ones the request, not the
   * store, supplies.
   */
  static Set<String> profileFields(JsonNode body) {
    Set<String> fields = new HashSet<>();
    body.path("profile").fieldNames().forEachRemaining(fields::add);
    return fields;
  }

  private static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          Problem.of(
              Problem.Kind.INVALID_TYPE,
              new FieldError(
                  "asOf",
                  "must be an ISO-8601 instant such as 2026-11-23T10:00:00Z, was \""
                      + clip(text)
                      + "\"")));
    }
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
