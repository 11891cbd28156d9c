package io.nextbest.engine;

import io.nextbest.engine.facts.GapPolicy;
import io.nextbest.engine.facts.OpenComplaint;
import io.nextbest.engine.facts.RecentFailure;
import io.nextbest.engine.facts.Signals;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Indices;
import io.nextbest.engine.model.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * For the benchmarks' hand-written baseline only: the engine's own signal and index computation,
 * reached from the engine's package (the engine keeps it package-private). The baseline measures
 * the DMN + Drools path against plain Java; signals and indices are plain Java on both sides, so it
 * shares them instead of keeping a second copy that drifts.
 */
public final class BaselineIndices {
  /** What the baseline's rules read, as the engine derives it. */
  public record Derived(
      Signals signals,
      List<OpenComplaint> openComplaints,
      List<RecentFailure> recentFailures,
      Indices indices) {}

  private final IndexModel model;

  private BaselineIndices(IndexModel model) {
    this.model = model;
  }

  /** Reads the rule set's {@code indices.json} with the engine's mapper and checks. */
  public static BaselineIndices read(RuleSetSource source) {
    try {
      return new BaselineIndices(
          Json.mapper().readValue(source.bytes("indices.json"), IndexModel.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Signals and indices before the quadrant is known. */
  public Derived derive(CustomerContext ctx, GapPolicy policy) {
    SignalExtractor.Extracted ex = SignalExtractor.extract(ctx, model.signals(), policy);
    Indices indices = IndexCalculator.compute(ctx, ex, model, policy);
    return new Derived(ex.signals(), ex.openComplaints(), ex.recentFailures(), indices);
  }

  /** The flags that need the quadrant (satisfied but unattached). */
  public Indices withSegmentFlags(Indices indices, Segment segment) {
    return IndexCalculator.withSegmentFlags(indices, segment, model.signals());
  }
}
