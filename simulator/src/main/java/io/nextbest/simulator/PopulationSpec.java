package io.nextbest.simulator;

/** Which customers a simulation runs: a mapped file, a synthetic population, or event histories. */
public sealed interface PopulationSpec {
  /**
   * A CSV or JSON Lines file and the YAML mapping that turns its rows into customers. Either may be
   * a path or the name of a bundled population ({@code telco-churn}).
   */
  record Mapped(String data, String mapping) implements PopulationSpec {
    public Mapped {
      if (data == null || data.isBlank() || mapping == null || mapping.isBlank()) {
        throw new IllegalArgumentException("a mapped population needs a data file and a mapping");
      }
    }
  }

  /** {@code size} generated customers, streamed, never stored. */
  record Synthetic(long size, SyntheticKnobs knobs) implements PopulationSpec {
    public Synthetic {
      if (size < 1) {
        throw new IllegalArgumentException(
            "a synthetic population needs at least one customer, was " + size);
      }
      knobs = knobs == null ? SyntheticKnobs.DEFAULTS : knobs;
    }
  }

  /** A JSON Lines file of customer events, grouped by customer, decided on at {@code points}. */
  record Events(String file, DecisionPoints points) implements PopulationSpec {
    public Events {
      if (file == null || file.isBlank()) {
        throw new IllegalArgumentException("an event replay needs an events file");
      }
      points = points == null ? DecisionPoints.DEFAULT : points;
    }
  }

  static PopulationSpec mapped(String data, String mapping) {
    return new Mapped(data, mapping);
  }

  static PopulationSpec synthetic(long size, SyntheticKnobs knobs) {
    return new Synthetic(size, knobs);
  }

  static PopulationSpec events(String file, DecisionPoints points) {
    return new Events(file, points);
  }
}
