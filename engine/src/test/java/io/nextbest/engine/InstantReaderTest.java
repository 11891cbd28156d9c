package io.nextbest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The project's instant reader says what Jackson's own says, value for value, error for error. */
class InstantReaderTest {
  /** The project's configuration with Jackson's instant reader alone. */
  private static final ObjectMapper JACKSON = Json.create(false);

  private record Stamp(Instant at) {}

  @Test
  void randomInstantsReadAsJacksonReadsThem() {
    Random random = new Random(16);
    List<String> texts = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      long seconds =
          random.nextLong(
              Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
              Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
      String whole = Instant.ofEpochSecond(seconds).toString(); // no fraction
      int digits = random.nextInt(10);
      StringBuilder text = new StringBuilder(whole.substring(0, whole.length() - 1));
      if (digits > 0) {
        text.append('.');
        for (int d = 0; d < digits; d++) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      }
      texts.add(text.append('Z').toString());
    }
    for (String text : texts) {
      assertSame(text);
    }
  }

  @Test
  void everyOtherFormAndEveryImpossibleDateIsJacksonsToJudge() {
    String[] texts = {
      "2026-11-23T10:00:00Z",
      "2024-02-29T23:59:59.999999999Z",
      "2000-02-29T00:00:00Z",
      "0000-01-01T00:00:00Z",
      "2023-02-29T10:00:00Z",
      "1900-02-29T10:00:00Z",
      "2026-04-31T10:00:00Z",
      "2026-13-01T10:00:00Z",
      "2026-00-10T10:00:00Z",
      "2026-11-00T10:00:00Z",
      "2026-11-23T24:00:00Z",
      "2026-11-23T10:60:00Z",
      "2026-11-23T23:59:60Z",
      "2026-11-23T10:00:00z",
      "2026-11-23t10:00:00Z",
      "2026-11-23T10:00:00",
      "2026-11-23T10:00:00+02:00",
      "2026-11-23T10:00:00.Z",
      "2026-11-23T10:00:00.1234567890Z",
      "2026-11-23T10:00Z",
      "+12026-11-23T10:00:00Z",
      "-0001-11-23T10:00:00Z",
      " 2026-11-23T10:00:00Z",
      "2026-11-23T10:00:00Z ",
      "2026-1a-23T10:00:00Z",
      "2026/11/23T10:00:00Z",
      "2026-11-23 10:00:00Z",
      "",
      "2026-11-23T10:00:00,5Z",
      "２026-11-23T10:00:00Z"
    };
    for (String text : texts) {
      assertSame(text);
    }
    assertSame(1_700_000_000); // a number: Jackson's reader, and the project's coercion rules
  }

  private static void assertSame(Object value) {
    String json = "{\"at\":" + Json.mapper().valueToTree(value) + "}";
    Object expected = read(JACKSON, json);
    Object actual = read(Json.mapper(), json);
    if (expected instanceof Exception e) {
      assertThat(actual).as(json).isInstanceOf(Exception.class);
      assertThat(((Exception) actual).getMessage()).as(json).isEqualTo(e.getMessage());
    } else {
      assertThat(actual).as(json).isEqualTo(expected);
    }
  }

  private static Object read(ObjectMapper mapper, String json) {
    try {
      return mapper.readValue(json, Stamp.class).at();
    } catch (Exception e) {
      return e;
    }
  }
}
