package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.DecisionEngine;
import io.nextbest.engine.customers.CustomerService;
import io.nextbest.engine.customers.SqliteCustomerStore;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.store.Sqlite;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service may decide on a thread that must not wait (the HTTP event loop) only when the
 * decision reads nothing but memory: the embedded store with the customer's history cached.
 */
class DecidesFromMemoryTest {

  private static final Set<String> FIELDS = Set.of("csat");

  private static CustomerService service(Sqlite db, boolean shared) {
    return CustomerService.builder()
        .store(new SqliteCustomerStore(db), shared)
        .engine(DecisionEngine.builder().ruleSet(BundledRuleSet.RULES).build())
        .build();
  }

  @Test
  void aCachedCustomerOnTheNodesOwnStore_isDecidedFromMemory_untilAnEventArrives(
      @TempDir Path dir) {
    try (Sqlite db = Sqlite.open(dir)) {
      CustomerService customers = service(db, false);
      assertThat(customers.decidesFromMemory("fm-1")).as("never read yet").isFalse();
      customers.decide(Given.customer("fm-1").csat(4, 3).context(), FIELDS);
      assertThat(customers.decidesFromMemory("fm-1")).as("its history is cached").isTrue();
      assertThat(customers.decidesFromMemory("fm-2")).as("another customer").isFalse();

      customers.ingest(
          List.of(
              new CustomerService.Incoming(
                  0,
                  "[0]",
                  new CustomerEvent.Purchase(
                      "fm-buy-1", "fm-1", Given.NOW.minusSeconds(60), "MOBILE", 20.0))));
      assertThat(customers.decidesFromMemory("fm-1"))
          .as("a new event drops the cached history: the next decision reads the store")
          .isFalse();
      customers.decide(Given.customer("fm-1").csat(4, 3).context(), FIELDS);
      assertThat(customers.decidesFromMemory("fm-1")).isTrue();
    }
  }

  @Test
  void aSharedStore_isAskedForEveryDecision(@TempDir Path dir) {
    try (Sqlite db = Sqlite.open(dir)) {
      CustomerService customers = service(db, true);
      customers.decide(Given.customer("fm-3").csat(4, 3).context(), FIELDS);
      customers.decide(Given.customer("fm-3").csat(4, 3).context(), FIELDS);
      assertThat(customers.decidesFromMemory("fm-3"))
          .as("another node may have written since: the store's version is asked each time")
          .isFalse();
    }
  }
}
