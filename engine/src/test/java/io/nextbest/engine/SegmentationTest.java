package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.ledger.OutcomeKey;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Level;
import io.nextbest.engine.model.Loyalty;
import io.nextbest.engine.model.Quadrant;
import io.nextbest.engine.model.Segment;
import org.junit.jupiter.api.Test;

class SegmentationTest {
  static final Segment Q3 = new Segment(Quadrant.Q3, "Q3", Level.LOW, Level.HIGH);

  static CustomerProfile withLoyalty(Loyalty loyalty) {
    return new CustomerProfile(
        null, null, null, null, null, null, null, null, null, null, null, loyalty, null, null, null,
        null, null, null, null, null);
  }

  static Segmentation parse(String json) throws Exception {
    return Json.mapper().readValue(json, Segmentation.class);
  }

  @Test
  void aTierAsTheProfileWritesIt_becomesAKeySafeLabel() {
    Segmentation byTier = Segmentation.by(Segmentation.Dimension.LOYALTY_TIER);
    String label = byTier.label(Q3, withLoyalty(new Loyalty(true, 10, " Gold plus|@x ")), null);
    assertThat(label).isEqualTo("loyaltyTier=GOLD_PLUS__X");
    assertThat(new OutcomeKey("a", label, null).encoded()).isEqualTo("loyaltyTier=GOLD_PLUS__X|a");
    assertThat(byTier.label(Q3, withLoyalty(new Loyalty(true, 10, "x".repeat(80))), null))
        .isEqualTo("loyaltyTier=" + "X".repeat(32));
    assertThat(byTier.label(Q3, withLoyalty(new Loyalty(true, 10, null)), null))
        .isEqualTo("loyaltyTier=MEMBER");
    assertThat(byTier.label(Q3, withLoyalty(new Loyalty(false, 0, "GOLD")), null))
        .as("a lapsed member's tier is not a segment")
        .isEqualTo("loyaltyTier=NONE");
  }

  @Test
  void theDeclaredOrder_doesNotMatter_andQuadrantAloneIsQuadrant() throws Exception {
    assertThat(parse("{\"by\": [\"loyaltyTier\", \"quadrant\"]}"))
        .isEqualTo(parse("{\"by\": [\"quadrant\", \"loyaltyTier\"]}"))
        .isNotEqualTo(Segmentation.QUADRANT);
    assertThat(parse("{\"by\": [\"quadrant\"]}")).isEqualTo(Segmentation.QUADRANT);
    assertThat(parse("\"QUADRANT\"")).isSameAs(Segmentation.QUADRANT);
    assertThat(parse("\"ALL\"")).isSameAs(Segmentation.ALL);
    assertThat(Segmentation.QUADRANT.label(Q3, CustomerProfile.EMPTY, null)).isEqualTo("Q3");
    assertThat(Segmentation.ALL.label(Q3, CustomerProfile.EMPTY, null)).isEqualTo("*");
    assertThat(
            parse("{\"by\": [\"loyaltyTier\", \"quadrant\"]}")
                .label(Q3, withLoyalty(new Loyalty(true, 1, "silver")), null))
        .isEqualTo("Q3/loyaltyTier=SILVER");
  }
}
