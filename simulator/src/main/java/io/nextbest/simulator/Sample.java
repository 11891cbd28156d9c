package io.nextbest.simulator;

import io.nextbest.engine.model.Decision;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A bounded, deterministic sample of changed customers: the {@code size} with the smallest seeded
 * hash. Which customers it holds depends on the seed and the population, never on thread timing or
 * on how the population was split into chunks.
 */
final class Sample {
  /** One changed decision, both sides kept in full for the side-by-side view. */
  record Entry(
      long key,
      String customerId,
      Instant asOf,
      Boolean outcome,
      Decision baseline,
      Decision candidate) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::key)
          .thenComparing(Entry::customerId)
          .thenComparing(Entry::asOf);

  private final int size;
  private final TreeSet<Entry> entries = new TreeSet<>(ORDER);

  Sample(int size) {
    this.size = size;
  }

  /** Whether an entry with this key could get in; saves building it when it cannot. */
  boolean wants(long key) {
    return size > 0 && (entries.size() < size || key <= entries.last().key());
  }

  void offer(Entry e) {
    if (size == 0) {
      return;
    }
    entries.add(e);
    if (entries.size() > size) {
      entries.pollLast();
    }
  }

  void merge(Sample other) {
    other.entries.forEach(this::offer);
  }

  /** Ordered by customer, then time, for reading. */
  List<Entry> entries() {
    return entries.stream()
        .sorted(Comparator.comparing(Entry::customerId).thenComparing(Entry::asOf))
        .toList();
  }
}
