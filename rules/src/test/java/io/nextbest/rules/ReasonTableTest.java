package io.nextbest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.engine.Json;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Decision;
import io.nextbest.engine.model.RecommendedAction;
import io.nextbest.engine.model.Views;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A decision's JSON says each reason once ({@code reasons}), and each shown action points to its
 * own: nothing lost, nothing repeated, and read back to the same decision.
 */
class ReasonTableTest {
  private static final ObjectWriter COMPACT =
      Json.mapper().writerFor(Decision.class).withView(Views.Compact.class);
  private static final ObjectWriter VERBOSE = Json.mapper().writerFor(Decision.class);

  @Test
  void everyActionsReasons_areItsOwn_inItsOrder_andEachIsSaidOnce_overTheRandomPopulation()
      throws Exception {
    int shared = 0;
    for (CustomerContext c : DecisionPropertiesTest.population()) {
      Decision d = BundledRuleSet.ENGINE.decide(c);
      for (ObjectWriter writer : List.of(COMPACT, VERBOSE)) {
        JsonNode json = Json.mapper().readTree(writer.writeValueAsBytes(d));
        ArrayNode table = (ArrayNode) json.get("reasons");
        Set<JsonNode> distinct = new HashSet<>();
        table.forEach(distinct::add);
        assertThat(distinct).as("%s: said once", c.customerId()).hasSize(table.size());
        Set<Integer> used = new HashSet<>();
        int refs = 0;
        for (int i = 0; i < d.actions().size(); i++) {
          RecommendedAction a = d.actions().get(i);
          JsonNode positions = json.get("actions").get(i).get("explanation").get("reasons");
          List<JsonNode> resolved = new ArrayList<>();
          for (JsonNode p : positions) {
            assertThat(p.isInt()).as("%s: a position", c.customerId()).isTrue();
            used.add(p.intValue());
            resolved.add(table.get(p.intValue()));
          }
          refs += positions.size();
          // The action's own reasons, each written alone in the same view.
          ObjectWriter alone =
              writer == COMPACT
                  ? Json.mapper().writerWithView(Views.Compact.class)
                  : Json.mapper().writer();
          List<JsonNode> own = new ArrayList<>();
          for (var r : a.explanation().reasons()) {
            own.add(Json.mapper().readTree(alone.writeValueAsBytes(r)));
          }
          assertThat(resolved).as("%s, %s", c.customerId(), a.actionId()).isEqualTo(own);
        }
        assertThat(used)
            .as("%s: every reason belongs to a shown action", c.customerId())
            .hasSize(table.size());
        if (refs > table.size()) {
          shared++;
        }
        // Read back, the decision writes the same JSON again: its reasons are whole records.
        Decision read = Json.mapper().readValue(writer.writeValueAsBytes(d), Decision.class);
        assertThat(Json.mapper().readTree(writer.writeValueAsBytes(read)))
            .as("%s read back", c.customerId())
            .isEqualTo(json);
      }
    }
    assertThat(shared).as("decisions whose actions share a reason").isPositive();
  }

  @Test
  void aDecisionWrittenWithItsReasonsInline_readsBackTheSame() throws Exception {
    Decision d = BundledRuleSet.ENGINE.decide(DecisionPropertiesTest.population().get(0));
    ObjectNode json = (ObjectNode) Json.mapper().readTree(VERBOSE.writeValueAsBytes(d));
    ArrayNode table = (ArrayNode) json.remove("reasons");
    for (JsonNode a : json.get("actions")) {
      ObjectNode e = (ObjectNode) a.get("explanation");
      ArrayNode inline = e.arrayNode();
      e.get("reasons").forEach(p -> inline.add(table.get(p.intValue())));
      e.set("reasons", inline);
    }
    Decision read = Json.mapper().treeToValue(json, Decision.class);
    assertThat(Json.mapper().readTree(VERBOSE.writeValueAsBytes(read)))
        .isEqualTo(Json.mapper().readTree(VERBOSE.writeValueAsBytes(d)));
  }

  @Test
  void aPositionOutsideTheTable_isAnError_notAnotherReason() throws Exception {
    Decision d = BundledRuleSet.ENGINE.decide(DecisionPropertiesTest.population().get(0));
    assertThat(d.actions()).isNotEmpty();
    ObjectNode json = (ObjectNode) Json.mapper().readTree(COMPACT.writeValueAsBytes(d));
    int size = json.get("reasons").size();
    ((ArrayNode) json.get("actions").get(0).get("explanation").get("reasons")).add(size);
    byte[] bytes = Json.mapper().writeValueAsBytes(json);
    assertThatThrownBy(() -> Json.mapper().readValue(bytes, Decision.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("refers to reason " + size);
  }
}
