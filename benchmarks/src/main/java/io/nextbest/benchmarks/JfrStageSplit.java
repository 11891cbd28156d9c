package io.nextbest.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits the CPU samples of a JFR recording of {@link DecisionBenchmark} by pipeline stage: JSON
 * parse and write, validation, signals, indices, DMN, the Drools session (borrow, insert, fire
 * split into network and rule consequences, collect, dispose), arbitration and the rest. A sample
 * belongs to the stage of the method that {@code DecisionEngine.decide} was calling when it was
 * taken (inlined frames included).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DecisionBenchmark.engineJson -bm sample -prof jfr:configName=profile
 * java -cp benchmarks/target/benchmarks.jar io.nextbest.benchmarks.JfrStageSplit path/to/profile.jfr [meanMicros]
 * </pre>
 *
 * With the benchmark's mean time per decision as the second argument it also prints µs per stage.
 */
public final class JfrStageSplit {
  private JfrStageSplit() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrStageSplit recording.jfr [meanMicrosPerOp]");
      System.exit(2);
    }
    Double mean = args.length > 1 ? Double.valueOf(args[1]) : null;
    Map<String, Integer> stages = new TreeMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      String thread =
          e.getThread("sampledThread") == null ? "" : e.getThread("sampledThread").getJavaName();
      if (thread == null || !thread.contains("DecisionBenchmark")) {
        continue;
      }
      stages.merge(stage(e.getStackTrace().getFrames()), 1, Integer::sum);
      total++;
    }
    System.out.printf(
        "%-44s %8s %7s%s%n", "stage", "samples", "share", mean == null ? "" : "      µs");
    for (Map.Entry<String, Integer> s : stages.entrySet()) {
      double share = 100.0 * s.getValue() / total;
      System.out.printf(
          "%-44s %8d %6.1f%%%s%n",
          s.getKey(),
          s.getValue(),
          share,
          mean == null ? "" : String.format(" %8.1f", mean * share / 100));
    }
    System.out.printf("%-44s %8d%n", "total", total);
  }

  /** Frames run from the sampled (innermost) method outwards. */
  static String stage(List<RecordedFrame> frames) {
    int decide = -1;
    for (int i = 0; i < frames.size(); i++) {
      if (is(frames.get(i), "io.nextbest.engine.DecisionEngine", "decide")
          || is(frames.get(i), "io.nextbest.benchmarks.HandWrittenDecider", "decide")) {
        decide = i;
        break;
      }
    }
    if (decide < 0) {
      for (RecordedFrame f : frames) {
        String m = f.getMethod().getName();
        String t = f.getMethod().getType().getName();
        if (t.startsWith("com.fasterxml.jackson")
            && (m.equals("readValue") || m.equals("_bindAndClose"))) {
          return "1 JSON parse";
        }
        if (t.startsWith("com.fasterxml.jackson") && m.startsWith("writeValue")) {
          return "9 JSON write";
        }
      }
      return "z outside the decision (harness, GC barriers)";
    }
    if (decide == 0) {
      return "8 decide: own code";
    }
    RecordedFrame callee = frames.get(decide - 1);
    String type = callee.getMethod().getType().getName();
    String method = callee.getMethod().getName();
    String simple = type.substring(type.lastIndexOf('.') + 1);
    switch (simple) {
      case "ContextValidator", "HwValidator":
        return "2 validate";
      case "SignalExtractor":
        return "3 signals";
      case "IndexCalculator":
        return "3 indices";
      case "HwIndices":
        return "3 signals + indices";
      case "DmnPolicies":
        return "4 DMN (" + method + ")";
      case "DrlKnowledge":
        return drools(frames, decide - 1);
      case "Arbiter":
        return "7 arbitration + explanations";
      default:
        break;
    }
    if (type.startsWith("io.nextbest.benchmarks.HandWrittenDecider")
        && (method.equals("applyRules") || method.equals("gaps"))) {
      return "5 rules (hand-written)";
    }
    if (type.startsWith("io.nextbest.benchmarks.HandWrittenDecider") && method.equals("rank")) {
      return "7 arbitration + explanations";
    }
    if (simple.equals("Candidate")
        || simple.equals("HwCandidate")
        || simple.equals("PropensityModel")
        || type.contains("Lambda")) {
      return "5 candidates";
    }
    return "8 decide: " + simple + "." + method;
  }

  private static String drools(List<RecordedFrame> frames, int fire) {
    if (fire == 0) {
      return "6 Drools: fire() own code";
    }
    String m = frames.get(fire - 1).getMethod().getName();
    if (m.equals("fireAllRules")) {
      for (int i = fire - 1; i >= 0; i--) {
        String t = frames.get(i).getMethod().getType().getName();
        if (t.startsWith("io.nextbest.engine.facts") || t.startsWith("io.nextbest.rules")) {
          return "6 Drools: fireAllRules, rule consequences";
        }
      }
      return "6 Drools: fireAllRules, network + agenda";
    }
    return switch (m) {
      case "insert" -> "6 Drools: insert";
      case "newKieSession" -> "6 Drools: borrow pooled session";
      case "dispose" -> "6 Drools: dispose (reset to pool)";
      case "getObjects", "iterator", "next", "hasNext" -> "6 Drools: collect gaps";
      default -> "6 Drools: " + m;
    };
  }

  private static boolean is(RecordedFrame f, String type, String method) {
    return f.getMethod() != null
        && f.getMethod().getType().getName().equals(type)
        && f.getMethod().getName().equals(method);
  }
}
