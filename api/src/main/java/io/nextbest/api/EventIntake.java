package io.nextbest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.EventResult;
import io.nextbest.engine.events.CustomerEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one way an event's JSON reaches the store, whichever door it came in by ({@code POST
 * /v1/events} or the Kafka topic): checked against the contract's {@code Event} schema, read, then
 * validated and stored idempotently by {@link CustomerService#ingest}. Each event is stored or
 * rejected on its own; a duplicate id changes nothing.
 */
final class EventIntake {
  private static final ObjectReader EVENT = Json.mapper().readerFor(CustomerEvent.class);

  private final CustomerService customers;
  private final ApiContract contract;

  EventIntake(CustomerService customers, ApiContract contract) {
    this.customers = customers;
    this.contract = contract;
  }

  /**
   * A result per event, in order.
   *
   * @param indexedPaths name fields within a batch ({@code [3].survey}) rather than on their own
   * @throws io.nextbest.engine.store.StoreException when the store is unavailable (nothing is known
   *     about which events were stored; sending them again is safe)
   */
  List<EventResult> ingest(List<JsonNode> nodes, boolean indexedPaths) {
    List<CustomerService.Incoming> parsed = new ArrayList<>();
    List<EventResult> rejected = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String path = indexedPaths ? "[" + i + "]" : "";
      JsonNode node = nodes.get(i);
      String id = node.path("id").isTextual() ? node.path("id").asText() : null;
      List<FieldError> invalid = contract.validateEvent(node, path);
      if (!invalid.isEmpty()) {
        rejected.add(EventResult.rejected(i, id, invalid));
        continue;
      }
      try {
        parsed.add(new CustomerService.Incoming(i, path, EVENT.readValue(node)));
      } catch (IOException e) {
        rejected.add(EventResult.rejected(i, id, prefixed(Problems.unreadable(e), path)));
      }
    }
    List<EventResult> results = new ArrayList<>(customers.ingest(parsed));
    results.addAll(rejected);
    results.sort(Comparator.comparingInt(EventResult::index));
    return results;
  }

  /** The problem's field errors, named within the batch ({@code [3].survey}). */
  private static List<FieldError> prefixed(Problem p, String path) {
    List<FieldError> out = new ArrayList<>();
    for (FieldError e : p.errors()) {
      out.add(
          new FieldError(
              path.isEmpty() ? e.field() : e.field().isEmpty() ? path : path + "." + e.field(),
              e.message()));
    }
    if (out.isEmpty()) {
      out.add(new FieldError(path, p.detail()));
    }
    return out;
  }
}
