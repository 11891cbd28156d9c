package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.engine.FieldError;
import io.nextbest.engine.InvalidContextException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  @Test
  void jsonPointer_readsAsTheFieldPath() {
    assertThat(Problems.pointerToPath("/profile/csat/0/value")).isEqualTo("profile.csat[0].value");
    assertThat(Problems.pointerToPath("/a~1b/c~0d")).isEqualTo("a/b.c~d");
    assertThat(Problems.pointerToPath("")).isEmpty();
  }

  @Test
  void invalidContext_is422WithEveryField() {
    List<FieldError> errors =
        List.of(
            new FieldError("customerId", "is required"),
            new FieldError("limit", "must be between 1 and 50, was 0"));

    Problem problem = Problems.from(new InvalidContextException(errors), -1);

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.errors()).isEqualTo(errors);
    assertThat(problem.detail()).isEqualTo("2 fields are invalid, first customerId is required");
  }

  @Test
  void otherClientStatus_isPlainHttpProblem() {
    Problem problem = Problems.fromStatus(417);

    assertThat(problem.type()).isEqualTo("about:blank");
    assertThat(problem.title()).isEqualTo("Expectation Failed");
    assertThat(problem.status()).isEqualTo(417);
  }

  @Test
  void unknownFailure_is500SayingNothingOfIt() {
    Problem problem = Problems.from(new IllegalStateException("secret internals"), -1);

    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.detail()).doesNotContain("secret");
    assertThat(problem.errors()).isEmpty();
  }
}
