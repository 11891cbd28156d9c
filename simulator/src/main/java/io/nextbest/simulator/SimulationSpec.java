package io.nextbest.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a simulation needs, immutable; build one with {@link #builder()}.
 *
 * @param population who is simulated
 * @param baseline the rule set decisions are compared against
 * @param candidate the rule set under test; null with no overrides runs the baseline alone
 * @param overrides {@code key=value} parameter changes applied to a copy of the candidate (or of
 *     the baseline when there is no candidate), e.g. {@code experience.threshold=70}
 * @param journeyWeeks simulated weeks after the static decisions; 0 for a static replay only
 * @param journey how simulated customers behave on a journey
 * @param seed every random draw derives from it: same inputs and seed, same report
 * @param threads worker threads deciding in parallel
 * @param limit stop after this many customers; 0 for all
 * @param strict stop at the first bad row instead of counting it
 * @param sampleSize how many changed customers the report shows side by side
 * @param reportDir where report.json, customers.csv and report.html are written
 */
public record SimulationSpec(
    PopulationSpec population,
    RuleSetRef baseline,
    RuleSetRef candidate,
    List<String> overrides,
    int journeyWeeks,
    JourneyModel journey,
    long seed,
    int threads,
    long limit,
    boolean strict,
    int sampleSize,
    Path reportDir) {

  public SimulationSpec {
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(reportDir, "reportDir");
    overrides = List.copyOf(overrides == null ? List.of() : overrides);
    journey = journey == null ? JourneyModel.DEFAULTS : journey;
    if (journeyWeeks < 0 || journeyWeeks > 520) {
      throw new IllegalArgumentException("journeyWeeks must be 0 to 520, was " + journeyWeeks);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    if (sampleSize < 0 || sampleSize > 1000) {
      throw new IllegalArgumentException("sampleSize must be 0 to 1000, was " + sampleSize);
    }
    Overrides.parse(overrides);
  }

  /** Whether there is a candidate side to compare with the baseline. */
  public boolean compares() {
    return candidate != null || !overrides.isEmpty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SimulationSpec}; the population and the report directory are required. */
  public static final class Builder {
    private PopulationSpec population;
    private RuleSetRef baseline = RuleSetRef.bundled();
    private RuleSetRef candidate;
    private final List<String> overrides = new ArrayList<>();
    private int journeyWeeks;
    private JourneyModel journey = JourneyModel.DEFAULTS;
    private long seed = 1;
    private int threads = Runtime.getRuntime().availableProcessors();
    private long limit;
    private boolean strict;
    private int sampleSize = 20;
    private Path reportDir;

    private Builder() {}

    public Builder population(PopulationSpec population) {
      this.population = Objects.requireNonNull(population, "population");
      return this;
    }

    /**
     * A CSV or JSON Lines file with its mapping (paths, or bundled names such as {@code
     * telco-churn}).
     */
    public Builder mapped(String data, String mapping) {
      return population(new PopulationSpec.Mapped(data, mapping));
    }

    public Builder synthetic(long size, SyntheticKnobs knobs) {
      return population(new PopulationSpec.Synthetic(size, knobs));
    }

    public Builder events(String file, DecisionPoints points) {
      return population(new PopulationSpec.Events(file, points));
    }

    public Builder baseline(RuleSetRef baseline) {
      this.baseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    public Builder candidate(RuleSetRef candidate) {
      this.candidate = candidate;
      return this;
    }

    /** Adds a {@code key=value} override for the candidate; fails fast on an unknown key. */
    public Builder override(String setting) {
      Overrides.parse(List.of(setting));
      overrides.add(setting);
      return this;
    }

    public Builder journeyWeeks(int weeks) {
      this.journeyWeeks = weeks;
      return this;
    }

    public Builder journey(JourneyModel journey) {
      this.journey = Objects.requireNonNull(journey, "journey");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder limit(long limit) {
      this.limit = limit;
      return this;
    }

    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    public Builder sampleSize(int size) {
      this.sampleSize = size;
      return this;
    }

    public Builder reportDir(Path dir) {
      this.reportDir = Objects.requireNonNull(dir, "reportDir");
      return this;
    }

    public SimulationSpec build() {
      if (population == null) {
        throw new IllegalStateException(
            "a population is required: call mapped(...), synthetic(...) or events(...)");
      }
      if (reportDir == null) {
        throw new IllegalStateException("a report directory is required: call reportDir(...)");
      }
      return new SimulationSpec(
          population,
          baseline,
          candidate,
          overrides,
          journeyWeeks,
          journey,
          seed,
          threads,
          limit,
          strict,
          sampleSize,
          reportDir);
    }
  }
}
