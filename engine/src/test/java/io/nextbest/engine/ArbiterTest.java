package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.facts.Candidate;
import io.nextbest.engine.model.ActionFamily;
import io.nextbest.engine.model.CatalogueAction;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Propensity;
import io.nextbest.engine.model.RecommendedAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArbiterTest {
  static Candidate candidate(
      String id,
      ActionFamily family,
      double propensity,
      double value,
      double weight,
      double lever) {
    CatalogueAction a =
        new CatalogueAction(
            id,
            id,
            family,
            List.of(Channel.EMAIL, Channel.SMS),
            value,
            propensity,
            true,
            false,
            false,
            null,
            false,
            "hint");
    return new Candidate(a, Propensity.prior(propensity), weight, "strategy", lever);
  }

  @Test
  void priority_isPropensityTimesValueTimesWeightTimesLever() {
    Arbiter.Ranked r =
        Arbiter.rank(List.of(candidate("a", ActionFamily.LOYALTY, 0.5, 10, 0.8, 1.5)), 5);
    RecommendedAction top = r.actions().get(0);
    assertThat(top.priority()).isEqualTo(6.0);
    assertThat(top.explanation().priority().lever()).isEqualTo(1.5);
    assertThat(top.explanation().summary()).startsWith("a: strategy");
  }

  @Test
  void ties_goToTheEarlierFamily_thenToTheActionId() {
    List<Candidate> tied =
        List.of(
            candidate("z-growth", ActionFamily.GROWTH, 0.5, 10, 1, 1),
            candidate("b-repair", ActionFamily.EXPERIENCE_REPAIR, 0.5, 10, 1, 1),
            candidate("a-repair", ActionFamily.EXPERIENCE_REPAIR, 0.5, 10, 1, 1));
    assertThat(Arbiter.rank(tied, 5).actions())
        .extracting(RecommendedAction::actionId)
        .containsExactly("a-repair", "b-repair", "z-growth");
  }

  @Test
  void aZeroLever_suppressesTheFamily_andSaysWhy() {
    Arbiter.Ranked r = Arbiter.rank(List.of(candidate("a", ActionFamily.GROWTH, 0.5, 10, 1, 0)), 5);
    assertThat(r.actions()).isEmpty();
    assertThat(r.suppressed().get(0).by().get(0).reason()).contains("lever 0");
  }

  @Test
  void limit_capsTheRanking() {
    List<Candidate> many =
        List.of(
            candidate("a", ActionFamily.GROWTH, 0.5, 10, 1, 1),
            candidate("b", ActionFamily.GROWTH, 0.4, 10, 1, 1));
    assertThat(Arbiter.rank(many, 1).actions())
        .extracting(RecommendedAction::actionId)
        .containsExactly("a");
  }
}
