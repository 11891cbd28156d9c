package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextValidatorTest {
  static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

  static CustomerProfile profile(List<Score> csat, List<Complaint> complaints) {
    return new CustomerProfile(
        csat,
        null,
        null,
        complaints,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static List<FieldError> errors(CustomerContext ctx) {
    try {
      ContextValidator.validate(ctx, 50);
      return List.of();
    } catch (InvalidContextException e) {
      return e.errors();
    }
  }

  @Test
  void validContext_passes() {
    assertThat(
            errors(
                new CustomerContext(
                    "c", NOW, profile(List.of(new Score(NOW.minusSeconds(60), 4)), null), null, 5)))
        .isEmpty();
  }

  @Test
  void problemContacts_cannotBeNegative_norMoreThanTheInteractions() {
    CustomerProfile p =
        new CustomerProfile(
            null,
            null,
            null,
            null,
            null,
            List.of(
                new io.nextbest.engine.model.ChannelUsage(Channel.PHONE, 2, NOW, 3),
                new io.nextbest.engine.model.ChannelUsage(Channel.APP, 2, NOW, -1)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(errors(new CustomerContext("c", NOW, p, null, null)))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "profile.channels[0].problemContacts90d", "profile.channels[1].problemContacts90d");
  }

  @Test
  void missingCustomerId_isNamed() {
    assertThat(errors(new CustomerContext(" ", NOW, null, null, null)))
        .extracting(FieldError::field)
        .containsExactly("customerId");
  }

  @Test
  void csatOutsideOneToFive_isNamedWithItsIndex() {
    List<FieldError> e =
        errors(
            new CustomerContext(
                "c",
                NOW,
                profile(List.of(new Score(NOW, 4), new Score(NOW, 6)), null),
                null,
                null));
    assertThat(e)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.field()).isEqualTo("profile.csat[1].value");
              assertThat(f.message()).contains("between 1 and 5");
            });
  }

  @Test
  void futureDates_areRejected_whereTheyCannotHaveHappened() {
    Complaint c = new Complaint("C-1", NOW.plusSeconds(86_400), null, Severity.HIGH, null, null);
    assertThat(errors(new CustomerContext("c", NOW, profile(null, List.of(c)), null, null)))
        .extracting(FieldError::field)
        .containsExactly("profile.complaints[0].openedAt");
  }

  @Test
  void resolutionBeforeOpening_isRejected() {
    Complaint c =
        new Complaint(
            "C-1", NOW.minusSeconds(100), NOW.minusSeconds(200), Severity.HIGH, null, null);
    assertThat(errors(new CustomerContext("c", NOW, profile(null, List.of(c)), null, null)))
        .extracting(FieldError::field)
        .containsExactly("profile.complaints[0].resolvedAt");
  }

  @Test
  void nullListElements_andMissingRequiredFields_areEachNamed() {
    Complaint noId = new Complaint(null, NOW, null, null, null, null);
    List<FieldError> e =
        errors(
            new CustomerContext(
                "c", NOW, profile(Arrays.asList((Score) null), List.of(noId)), null, null));
    assertThat(e)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "profile.csat[0]", "profile.complaints[0].id", "profile.complaints[0].severity");
  }

  @Test
  void ratingWithoutResolution_andLimitOutOfRange_areRejected() {
    Interaction i = new Interaction(Channel.PHONE, null, Sentiment.NEUTRAL, false, 4, null, null);
    assertThat(errors(new CustomerContext("c", NOW, null, i, 0)))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("limit", "interaction.rating");
  }

  @Test
  void negativeCounts_areRejected() {
    CustomerProfile p =
        new CustomerProfile(
            null, null, null, null, null, null, null, -1, null, null, null, null, null, null, null,
            null, null, -5.0, null, null);
    assertThat(errors(new CustomerContext("c", NOW, p, null, null)))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("profile.purchases90d", "profile.annualValue");
  }

  @Test
  void theExceptionCarriesEveryError() {
    assertThatThrownBy(
            () -> ContextValidator.validate(new CustomerContext(null, NOW, null, null, 99), 50))
        .isInstanceOf(InvalidContextException.class)
        .satisfies(t -> assertThat(((InvalidContextException) t).errors()).hasSize(2));
  }
}
