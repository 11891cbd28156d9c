package io.nextbest.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML document as a tree that remembers where every node was written, so a mapping error can
 * name its file, line and column. Scalars keep their source text as well as their type: YAML 1.1
 * reads an unquoted {@code Yes} as a boolean, but a CSV cell compared with it holds the text "Yes".
 */
final class YNode {
  enum Kind {
    MAP,
    LIST,
    SCALAR
  }

  final Kind kind;
  final String file;
  final String path;
  final int line;
  final int column;
  private final Map<String, YNode> entries;
  private final Map<String, int[]> keyAt;
  private final List<YNode> items;
  private final Object value;
  private final String text;

  private YNode(
      Kind kind,
      String file,
      String path,
      JsonLocation at,
      Map<String, YNode> entries,
      Map<String, int[]> keyAt,
      List<YNode> items,
      Object value,
      String text) {
    this.kind = kind;
    this.file = file;
    this.path = path;
    this.line = at.getLineNr();
    this.column = at.getColumnNr();
    this.entries = entries;
    this.keyAt = keyAt;
    this.items = items;
    this.value = value;
    this.text = text;
  }

  static YNode parse(Reader reader, String file) {
    try (JsonParser p = new YAMLFactory().createParser(reader)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw SimulationException.of(new Problem(file, 1, 1, null, "the mapping is empty"));
      }
      return read(p, file, "");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw SimulationException.of(
          new Problem(
              file,
              at == null ? 0 : at.getLineNr(),
              at == null ? null : at.getColumnNr(),
              null,
              "not valid YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new SimulationException("cannot read " + file, e);
    }
  }

  private static YNode read(JsonParser p, String file, String path) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, YNode> entries = new LinkedHashMap<>();
      Map<String, int[]> keyAt = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonLocation k = p.currentTokenLocation();
        if (entries.containsKey(key)) {
          throw SimulationException.of(
              new Problem(
                  file,
                  k.getLineNr(),
                  k.getColumnNr(),
                  join(path, key),
                  "duplicate key '" + key + "'"));
        }
        p.nextToken();
        keyAt.put(key, new int[] {k.getLineNr(), k.getColumnNr()});
        entries.put(key, read(p, file, join(path, key)));
      }
      return new YNode(
          Kind.MAP, file, path, at, Collections.unmodifiableMap(entries), keyAt, null, null, null);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YNode> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p, file, path + "[" + items.size() + "]"));
      }
      return new YNode(Kind.LIST, file, path, at, null, null, List.copyOf(items), null, null);
    }
    Object value =
        switch (t) {
          case VALUE_TRUE -> Boolean.TRUE;
          case VALUE_FALSE -> Boolean.FALSE;
          case VALUE_NUMBER_INT -> p.getLongValue();
          case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
          case VALUE_NULL -> null;
          default -> p.getText();
        };
    String text = t == JsonToken.VALUE_NULL ? null : p.getText();
    return new YNode(Kind.SCALAR, file, path, at, null, null, null, value, text);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean isMap() {
    return kind == Kind.MAP;
  }

  boolean isList() {
    return kind == Kind.LIST;
  }

  boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  Map<String, YNode> entries() {
    return entries;
  }

  YNode get(String key) {
    return entries == null ? null : entries.get(key);
  }

  boolean has(String key) {
    return entries != null && entries.containsKey(key);
  }

  List<YNode> items() {
    return items;
  }

  /** The typed scalar: String, Long, Double, Boolean or null. */
  Object value() {
    return value;
  }

  /** The scalar as written (an unquoted {@code Yes} stays "Yes"). */
  String text() {
    return text;
  }

  SimulationException error(String message) {
    return SimulationException.of(problem(message));
  }

  Problem problem(String message) {
    return new Problem(file, line, column, path.isEmpty() ? null : path, message);
  }

  /** Fails on the first key outside {@code allowed}, pointing at the key. */
  void onlyKeys(Set<String> allowed) {
    requireMap();
    for (String key : entries.keySet()) {
      if (!allowed.contains(key)) {
        int[] at = keyAt.get(key);
        throw SimulationException.of(
            new Problem(
                file,
                at[0],
                at[1],
                join(path, key),
                "unknown key '"
                    + key
                    + "'; expected one of "
                    + String.join(", ", allowed.stream().sorted().toList())));
      }
    }
  }

  YNode requireMap() {
    if (kind != Kind.MAP) {
      throw error("expected a map of keys and values, found " + describe());
    }
    return this;
  }

  YNode requireList() {
    if (kind != Kind.LIST) {
      throw error("expected a list, found " + describe());
    }
    return this;
  }

  String requireText() {
    if (kind != Kind.SCALAR || text == null) {
      throw error("expected a text value, found " + describe());
    }
    return text;
  }

  double requireNumber() {
    if (kind != Kind.SCALAR || !(value instanceof Number n)) {
      throw error("expected a number, found " + describe());
    }
    return n.doubleValue();
  }

  String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case SCALAR -> text == null ? "nothing (null)" : "'" + text + "'";
    };
  }
}
