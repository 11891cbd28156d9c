package io.nextbest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads one JSON object of a given type from a request body, mapping every failure to a problem naming the field. */
final class JsonBodies {
  private JsonBodies() {}

  /** A reader for {@code type}; trailing content is checked by hand, to tell it apart from a body that is not an object. */
  static ObjectReader reader(Class<?> type) {
    return Json.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * @param noun what the body should be, for messages ("a customer context")
   */
  static <T> T read(Buffer body, ObjectReader reader, String noun) {
    if (body == null || body.length() == 0) {
      throw new ProblemException(Problems.emptyBody(noun));
    }
    // The parser stays open until the failure is mapped: it still knows which token was wrong.
    try (JsonParser parser = reader.createParser(body.getBytes())) {
      try {
        if (parser.nextToken() == null) {
          throw new ProblemException(Problems.emptyBody(noun));
        }
        T value = reader.readValue(parser);
        if (value == null) {
          throw new ProblemException(Problems.notAnObject("null", noun));
        }
        if (parser.nextToken() != null) {
          throw new ProblemException(Problems.trailingContent(parser.currentTokenLocation()));
        }
        return value;
      } catch (IOException e) {
        throw new ProblemException(Problems.unreadable(e));
      }
    } catch (IOException e) {
      // Closing an in-memory parser does not fail in practice.
      throw new UncheckedIOException(e);
    }
  }
}
