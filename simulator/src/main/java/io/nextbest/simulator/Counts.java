package io.nextbest.simulator;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts by key, kept sorted so every report lists them in the same order. */
final class Counts implements java.io.Serializable {
  private final TreeMap<String, long[]> map = new TreeMap<>();

  void add(String key) {
    add(key, 1);
  }

  void add(String key, long n) {
    long[] c = map.get(key);
    if (c == null) {
      map.put(key, new long[] {n});
    } else {
      c[0] += n;
    }
  }

  void merge(Counts other) {
    other.map.forEach((k, v) -> add(k, v[0]));
  }

  long get(String key) {
    long[] c = map.get(key);
    return c == null ? 0 : c[0];
  }

  long total() {
    long t = 0;
    for (long[] v : map.values()) {
      t += v[0];
    }
    return t;
  }

  boolean isEmpty() {
    return map.isEmpty();
  }

  java.util.Set<String> keys() {
    return map.keySet();
  }

  /** By key. */
  Map<String, Long> sorted() {
    Map<String, Long> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, v[0]));
    return out;
  }

  /** Largest first, ties by key. */
  List<Map.Entry<String, Long>> ranked() {
    return sorted().entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey))
        .toList();
  }
}
