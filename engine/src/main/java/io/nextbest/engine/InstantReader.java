package io.nextbest.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an {@link Instant} written the way this project writes them, {@code 2026-11-23T10:00:00Z}
 * with an optional fraction of one to nine digits, without going through {@code DateTimeFormatter};
 * anything else (an offset, a six-digit year, a leap second, a number, a malformed or impossible
 * date) is handed to Jackson's own reader, so values and errors are exactly its own.
 *
 * <p>Why: a profile of {@code POST /v1/decisions} under load found half of binding the request (5.6
 * % of the event loop) in {@code DateTimeFormatter.parse}, for the four instants of the README
 * context. Stored events and the simulator's histories are read the same way.
 */
final class InstantReader extends StdScalarDeserializer<Instant> {
  private static final long serialVersionUID = 1L;

  private static final int SHORTEST = "2026-11-23T10:00:00Z".length();

  private static final int LONGEST = "2026-11-23T10:00:00.123456789Z".length();

  InstantReader() {
    super(Instant.class);
  }

  @Override
  public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.hasToken(JsonToken.VALUE_STRING)) {
      Instant fast = parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (fast != null) {
        return fast;
      }
    }
    return InstantDeserializer.INSTANT.deserialize(p, ctxt);
  }

  /**
   * The instant {@code text[offset, offset + length)} says if it has the form {@code
   * yyyy-MM-ddTHH:mm:ss[.f…]Z} and is a real date and time of day; null otherwise (the caller then
   * asks the full parser, which accepts or rejects it in its own words).
   */
  static Instant parse(char[] text, int offset, int length) {
    if (length < SHORTEST || length > LONGEST || text[offset + length - 1] != 'Z') {
      return null;
    }
    int i = offset;
    int year = digits(text, i, 4);
    if (year < 0
        || text[i + 4] != '-'
        || text[i + 7] != '-'
        || text[i + 10] != 'T'
        || text[i + 13] != ':'
        || text[i + 16] != ':') {
      return null;
    }
    int month = digits(text, i + 5, 2);
    int day = digits(text, i + 8, 2);
    int hour = digits(text, i + 11, 2);
    int minute = digits(text, i + 14, 2);
    int second = digits(text, i + 17, 2);
    if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    if (day > lengthOfMonth(year, month)) {
      return null;
    }
    // Without a fraction the 'Z' checked first is the character after the seconds.
    int nanos = 0;
    int rest = length - SHORTEST;
    if (rest > 0) {
      // ".f" to ".fffffffff": a point, then one to nine digits.
      if (rest < 2 || text[i + 19] != '.') {
        return null;
      }
      int fraction = digits(text, i + 20, rest - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int d = rest - 1; d < 9; d++) {
        nanos *= 10;
      }
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The number the {@code count} decimal digits at {@code from} make, or -1 if one is not. */
  private static int digits(char[] text, int from, int count) {
    int value = 0;
    for (int k = from; k < from + count; k++) {
      int d = text[k] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static int lengthOfMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0) && (year % 100 != 0 || year % 400 == 0);
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }
}
