package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReplayTest {
  @TempDir Path dir;

  private static final String EVENTS =
      """
      {"type":"CONSENT_CHANGED","id":"a1","customerId":"A","at":"2025-01-01T09:00:00Z","channel":"EMAIL","granted":true}
      {"type":"SURVEY_ANSWERED","id":"a2","customerId":"A","at":"2025-01-03T09:00:00Z","survey":"CSAT","value":5}
      {"type":"INTERACTION_STARTED","id":"a3","customerId":"A","at":"2025-01-10T09:00:00Z","channel":"PHONE","reason":"billing"}
      {"type":"INTERACTION_ENDED","id":"a4","customerId":"A","at":"2025-01-10T09:20:00Z","channel":"PHONE","reason":"billing","outcome":"RESOLVED"}
      {"type":"COMPLAINT_OPENED","id":"a5","customerId":"A","at":"2025-01-20T09:00:00Z","complaintId":"K1","severity":"HIGH","product":"BROADBAND"}
      {"type":"INTERACTION_STARTED","id":"a6","customerId":"A","at":"2025-01-21T09:00:00Z","channel":"CHAT","reason":"complaint"}
      {"type":"PURCHASE","id":"b1","customerId":"B","at":"2025-01-02T09:00:00Z","product":"BROADBAND","amount":30.0}
      {"type":"SURVEY_ANSWERED","id":"b2","customerId":"B","at":"2025-01-05T09:00:00Z","survey":"CSAT","value":9}
      {"type":"NOT_AN_EVENT","id":"x","customerId":"C","at":"2025-01-05T09:00:00Z"}
      {"type":"INTERACTION_STARTED","id":"c1","customerId":"C","at":"2025-02-01T09:00:00Z","channel":"APP","reason":"question"}
      """;

  private Simulator.Finished replay(String points, boolean strict, int weeks) {
    Path events = Fixtures.write(dir.resolve("events.jsonl"), EVENTS);
    return Fixtures.run(
        SimulationSpec.builder()
            .events(events.toString(), DecisionPoints.parse(points))
            .strict(strict)
            .journeyWeeks(weeks)
            .threads(2)
            .reportDir(dir.resolve("out-" + points.replace(',', '_') + weeks))
            .build());
  }

  @Test
  void historiesAreFoldedInTimeOrder_andDecidedAtEachInteractionAndAtTheEnd() {
    Simulator.Finished f = replay("interactions,end", false, 0);
    List<String> rows = Arrays.asList(Fixtures.read(f.result().csv()).split("\n"));
    assertThat(rows).hasSize(1 + 3 + 2);
    assertThat(rows.get(1)).startsWith("A,2025-01-10T09:00:00Z,");
    assertThat(rows.get(2)).startsWith("A,2025-01-21T09:00:00Z,").contains("OPEN_COMPLAINT");
    assertThat(rows.get(1)).doesNotContain("OPEN_COMPLAINT");
    assertThat(rows.get(3)).startsWith("A,2025-01-21T09:00:00Z,");
    assertThat(rows.get(4)).startsWith("C,2025-02-01T09:00:00Z,");
    assertThat(f.result().customers()).isEqualTo(2);
    assertThat(f.report().sides().get(0).decisions()).isEqualTo(5);
  }

  @Test
  void invalidAndUnknownEvents_areBadRows_withTheirLine() {
    Simulator.Finished f = replay("interactions,end", false, 0);
    assertThat(f.result().badRows()).isEqualTo(2);
    assertThat(f.result().problems())
        .satisfiesExactly(
            p -> {
              assertThat(p.line()).isEqualTo(8);
              assertThat(p.field()).isEqualTo("value");
              assertThat(p.message()).contains("between 1 and 5");
            },
            p -> {
              assertThat(p.line()).isEqualTo(9);
              assertThat(p.message()).contains("not a customer event");
            });
  }

  @Test
  void periodicDecisionPoints_tickFromTheFirstEvent() {
    Simulator.Finished f = replay("every=7,end", false, 0);
    String csv = Fixtures.read(f.result().csv());
    assertThat(csv)
        .contains("A,2025-01-08T09:00:00Z,")
        .contains("A,2025-01-15T09:00:00Z,")
        .contains("A,2025-01-21T09:00:00Z,")
        .doesNotContain("A,2025-01-22");
  }

  @Test
  void aStrictRun_stopsAtTheFirstBadEvent() {
    assertThatThrownBy(() -> replay("interactions,end", true, 0))
        .isInstanceOf(SimulationException.class)
        .satisfies(
            e -> assertThat(((SimulationException) e).problems().get(0).line()).isEqualTo(8));
  }

  @Test
  void journeys_continueFromTheReplayedState() {
    Simulator.Finished f = replay("end", false, 2);
    assertThat(f.report().journey().sides().get(0).customers()).isEqualTo(2);
    assertThat(f.report().journey().sides().get(0).weeks().get(2).decisions()).isEqualTo(4);
  }
}
