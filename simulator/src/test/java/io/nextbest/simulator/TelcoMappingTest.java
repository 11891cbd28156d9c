package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Proficiency;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelcoMappingTest {
  @Test
  void everyOneOfThe7043Rows_maps_withNoBadRow_andCarriesItsChurn() throws IOException {
    List<Problem> bad = new ArrayList<>();
    long customers = 0;
    long churned = 0;
    try (Population pop =
        Simulator.open(
            SimulationSpec.builder()
                .mapped("telco-churn", "telco-churn")
                .reportDir(java.nio.file.Path.of("unused"))
                .build())) {
      for (Population.Unit u = pop.next(); u != null; u = pop.next()) {
        try {
          Subject s = u.materialise();
          customers++;
          churned += Boolean.TRUE.equals(s.outcome()) ? 1 : 0;
        } catch (BadRow b) {
          bad.add(b.problem());
        }
      }
      assertThat(pop.outcomeName()).isEqualTo("churn");
    }
    assertThat(bad).isEmpty();
    assertThat(customers).isEqualTo(7043);
    assertThat(churned).isEqualTo(1869);
  }

  @Test
  void firstCustomer_isMappedAsTheYamlSays() throws IOException {
    CustomerContext c;
    try (Population pop =
        Simulator.open(
            SimulationSpec.builder()
                .mapped("telco-churn", "telco-churn")
                .reportDir(java.nio.file.Path.of("unused"))
                .build())) {
      c = pop.next().materialise().points().get(0);
    }
    // 7590-VHVEG,Female,0,Yes,No,1,No,No phone
    // service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85,No
    assertThat(c.customerId()).isEqualTo("7590-VHVEG");
    assertThat(c.profile().tenureMonths()).isEqualTo(1);
    assertThat(c.profile().annualValue()).isEqualTo(358.2);
    assertThat(c.profile().preferredChannel()).isEqualTo(Channel.EMAIL);
    assertThat(c.profile().digitalProficiency()).isEqualTo(Proficiency.MEDIUM);
    assertThat(c.profile().products())
        .extracting(p -> p.product())
        .as("paperless billing no longer invents an app holding")
        .containsExactly("BROADBAND", "BACKUP");
    assertThat(c.profile().consents(Channel.EMAIL)).isTrue();
    assertThat(c.profile().consents(Channel.SMS)).isFalse();
    assertThat(c.profile().csat())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(3));
    assertThat(c.profile().ces())
        .as("manual payment is some effort, whichever kind")
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(4));
    assertThat(c.profile().channels()).as("no contact history is invented").isEmpty();
    assertThat(c.profile().lastPurchaseAt())
        .as("the joining date is not read as the last purchase")
        .isNull();
    assertThat(c.profile().loyalty().member()).isFalse();
    assertThat(c.profile().purchases90d()).isEqualTo(1);
  }
}
