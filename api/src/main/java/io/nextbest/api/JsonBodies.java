package io.nextbest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.nextbest.engine.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads one JSON object of a given type from a request body, mapping every failure to a problem
 * naming the field.
 */
final class JsonBodies {
  private JsonBodies() {}

  private static final ObjectReader TREE = reader(JsonNode.class);

  /**
   * The routing-context key of the body as the contract check parsed it: a handler binds from that
   * tree instead of parsing the bytes a second time.
   */
  static final String PARSED = "nba.body";

  /**
   * The request's JSON body: the tree the contract check left, or read from the bytes when there is
   * none.
   */
  static JsonNode tree(RoutingContext ctx, String noun) {
    JsonNode parsed = ctx.get(PARSED);
    return parsed != null ? parsed : read(ctx.body().buffer(), TREE, noun);
  }

  /** The request's JSON body as the type {@code reader} reads (see {@link #tree}). */
  static <T> T read(RoutingContext ctx, ObjectReader reader, String noun) {
    return bind(tree(ctx, noun), reader, noun);
  }

  /**
   * {@code tree} as the type {@code reader} reads, a failure mapped to a problem naming the field.
   */
  static <T> T bind(JsonNode tree, ObjectReader reader, String noun) {
    try {
      T value = reader.readValue(tree);
      if (value == null) {
        throw new ProblemException(Problems.notAnObject("null", noun));
      }
      return value;
    } catch (IOException e) {
      throw new ProblemException(Problems.unreadable(e));
    }
  }

  /**
   * A reader for {@code type}; trailing content is checked by hand, to tell it apart from a body
   * that is not an object.
   */
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
