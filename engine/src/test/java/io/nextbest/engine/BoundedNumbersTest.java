package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An eleven-byte number is not a way to make the service write a hundred million digits. */
class BoundedNumbersTest {
  record Score(double value) {}

  @Test
  void hugeExponents_areRefusedNamingTheNumber_inTreesAndRecords_andTheDmnMapper() {
    for (String n :
        new String[] {
          "1e100000000",
          "1e-100000000",
          "-1E+301",
          "1e400",
          "9" + "0".repeat(301),
          "0.5e99999999999999999999"
        }) {
      assertThatThrownBy(() -> Json.mapper().readTree("{\"In\": " + n + "}"))
          .as(n)
          .isInstanceOf(JsonParseException.class)
          .hasMessageContaining("is out of range");
      assertThatThrownBy(() -> DmnEvaluator.jsonMapper().readTree("{\"In\": [" + n + "]}"))
          .as(n)
          .isInstanceOf(JsonParseException.class);
      assertThatThrownBy(() -> Json.mapper().readValue("{\"value\": " + n + "}", Score.class))
          .as(n)
          .isInstanceOf(JsonParseException.class);
      assertThatThrownBy(() -> Json.mapper().readValue("{\"a\": {\"b\": " + n + "}}", Map.class))
          .as(n)
          .isInstanceOf(JsonParseException.class);
    }
  }

  @Test
  void loneSurrogates_inValuesOrNames_areRefused_pairsAreText() throws Exception {
    for (String json :
        new String[] {
          "{\"id\": \"e-\\ud800\"}",
          "{\"id\": \"\\udc00x\"}",
          "{\"\\ud83dkey\": 1}",
          "[\"\\ud83d\\ud83d\"]"
        }) {
      assertThatThrownBy(() -> Json.mapper().readTree(json))
          .as(json)
          .isInstanceOf(JsonParseException.class)
          .hasMessageContaining("lone UTF-16 surrogate");
    }
    assertThat(Json.mapper().readTree("{\"id\": \"e-\\ud83d\\ude00\"}").get("id").asText())
        .isEqualTo("e-\ud83d\ude00");
  }

  @Test
  void ordinaryNumbers_readAsBefore_upToTheBound() throws Exception {
    JsonNode tree =
        DmnEvaluator.jsonMapper()
            .readTree(
                "{\"a\": 1e300, \"b\": -0.000001e-300, \"c\": 12345678901234567890.125, \"d\": 0.0000000000000000000000000000000000000000000000001, \"e\": 1E+5, \"f\": "
                    + "9".repeat(300)
                    + "}");
    assertThat(tree.get("a").decimalValue()).isEqualByComparingTo(new BigDecimal("1e300"));
    assertThat(tree.get("c").decimalValue())
        .isEqualByComparingTo(new BigDecimal("12345678901234567890.125"));
    assertThat(tree.get("e").decimalValue()).isEqualByComparingTo(new BigDecimal("100000"));
    assertThat(Json.mapper().readValue("{\"value\": 2.5e3}", Score.class).value())
        .isEqualTo(2500.0);
    assertThatThrownBy(() -> Json.mapper().copy().readTree("[1e301]"))
        .as("copies keep the bound")
        .isInstanceOf(JsonParseException.class);
  }
}
