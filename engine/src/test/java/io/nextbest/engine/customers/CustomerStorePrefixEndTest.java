package io.nextbest.engine.customers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomerStorePrefixEndTest {
  @Test
  void prefixEnd_raisesTheLastCodePoint_soThePrefixIsAHalfOpenRange() {
    assertThat(CustomerStore.prefixEnd("ab")).isEqualTo("ac");
    assertThat(CustomerStore.prefixEnd("a\u00ff")).isEqualTo("a\u0100");
    assertThat(CustomerStore.prefixEnd("a\uD83D\uDE00"))
        .as("a pair is one code point")
        .isEqualTo("a\uD83D\uDE01");
    assertThat(CustomerStore.prefixEnd("a\uD7FF"))
        .as("past the surrogate block")
        .isEqualTo("a\uE000");
    assertThat(CustomerStore.prefixEnd("a\uDBFF\uDFFF"))
        .as("U+10FFFF cannot be raised: the one before it is")
        .isEqualTo("b");
  }

  @Test
  void prefixEnd_isOpen_whenNothingCanBeRaised() {
    assertThat(CustomerStore.prefixEnd("")).isNull();
    assertThat(CustomerStore.prefixEnd("\uDBFF\uDFFF")).isNull();
  }
}
