package io.nextbest.simulator;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.model.Channel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code simulate} command line: {@code java -jar nba-simulator.jar --population data.csv
 * --mapping telco.yaml --baseline bundled --set experience.threshold=70 --report out/}. Exit code 0
 * when the run finished, 1 for bad input (with file, line and column), 2 for a usage error.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    usageHelpWidth = 110,
    description = {
      "Replays a population, event histories or simulated journeys through a baseline and a candidate rule set",
      "on the engine's decision pipeline, and writes report.html, report.json, customers.csv and run.json."
    },
    footer = {
      "",
      "Overrides (--set, applied to a copy of the candidate, or of the baseline when there is no candidate):",
      "  experience.threshold=70   engagement.threshold=45   cap.Q3.max7Days=2   cap.Q1.max30Days=3   lever.GROWTH=0.5",
      "  gap.compoundingWindowDays=30   gap.compoundingCount=3   gap.trendMinPoints=2   gap.gapSeverities=HIGH,CRITICAL",
      "",
      "Examples:",
      "  simulate --population telco-churn --mapping telco-churn --set experience.threshold=70 --report out/",
      "  simulate --synthetic 1000000 --baseline bundled --candidate rules-v4/ --threads 2 --report out/",
      "  simulate --events history.jsonl --decide-at interactions,every=7 --journey-weeks 12 --report out/"
    })
public final class Main implements Callable<Integer> {
  /** {@code --version}: this build's, from the runnable jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"NextBest simulator " + (v == null ? "(development build)" : v)};
    }
  }

  static final class Source {
    @ArgGroup(exclusive = false, heading = "Mapped population:%n")
    Mapped mapped;

    @Option(
        names = "--events",
        paramLabel = "<file>",
        description =
            "JSON Lines of customer events, grouped by customer (same types the API ingests)")
    String events;

    @Option(
        names = "--synthetic",
        paramLabel = "<customers>",
        description = "Generate this many customers (streamed, never stored)")
    Long synthetic;
  }

  static final class Mapped {
    @Option(
        names = "--population",
        required = true,
        paramLabel = "<file|name>",
        description = "CSV or JSON Lines file, or a bundled population (telco-churn)")
    String population;

    @Option(
        names = "--mapping",
        required = true,
        paramLabel = "<file|name>",
        description =
            "YAML mapping from columns to the context model, or a bundled one (telco-churn)")
    String mapping;
  }

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Population (one of):%n")
  Source source;

  @Option(
      names = "--decide-at",
      paramLabel = "<points>",
      defaultValue = "interactions,end",
      description = "Event replay: interactions, every=<days>, end (default: ${DEFAULT-VALUE})")
  String decideAt;

  @Option(
      names = "--quadrant-mix",
      paramLabel = "<q1,q2,q3,q4>",
      description = "Synthetic: shares of Q1..Q4 (default 25,25,25,25)")
  String quadrantMix;

  @Option(
      names = "--complaint-rate",
      paramLabel = "<share>",
      description = "Synthetic: share with an open complaint (default 0.08)")
  Double complaintRate;

  @Option(
      names = "--channel-mix",
      paramLabel = "<CHANNEL=share,...>",
      split = ",",
      description = "Synthetic: preferred channel shares, e.g. PHONE=0.4,EMAIL=0.3,APP=0.3")
  Map<String, Double> channelMix;

  @Option(
      names = "--outreach-per-month",
      paramLabel = "<n>",
      description = "Synthetic: mean proactive messages in the last 30 days (default 1.5)")
  Double outreachPerMonth;

  @Option(
      names = "--live-share",
      paramLabel = "<share>",
      description = "Synthetic: share decided during a live conversation (default 0.5)")
  Double liveShare;

  @Option(
      names = "--baseline",
      paramLabel = "<dir|bundled>",
      defaultValue = "bundled",
      description = "Baseline rule set (default: ${DEFAULT-VALUE})")
  String baseline;

  @Option(names = "--candidate", paramLabel = "<dir|bundled>", description = "Candidate rule set")
  String candidate;

  @Option(
      names = "--set",
      paramLabel = "<key=value>",
      description = "Override a parameter of the candidate (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--report",
      required = true,
      paramLabel = "<dir>",
      description = "Where the reports go")
  Path report;

  @Option(
      names = "--journey-weeks",
      paramLabel = "<weeks>",
      defaultValue = "0",
      description = "Simulate this many weeks of outreach and responses after the static decisions")
  int journeyWeeks;

  @Option(
      names = "--decisions-per-week",
      paramLabel = "<n>",
      description = "Journey: decision moments per week (default 2)")
  Integer decisionsPerWeek;

  @Option(
      names = "--journey-complaint-rate",
      paramLabel = "<p>",
      description = "Journey: weekly chance a customer opens a complaint (default 0.02)")
  Double journeyComplaintRate;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      defaultValue = "1",
      description = "Seed for every random draw (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "<n>",
      description = "Worker threads (default: all cores)")
  Integer threads;

  @Option(
      names = "--limit",
      paramLabel = "<n>",
      defaultValue = "0",
      description = "Stop after this many customers")
  long limit;

  @Option(names = "--strict", description = "Stop at the first bad row instead of counting it")
  boolean strict;

  @Option(
      names = "--sample",
      paramLabel = "<n>",
      defaultValue = "20",
      description = "Changed customers shown side by side (default: ${DEFAULT-VALUE})")
  int sample;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress bar on stderr (default: when a console is attached)")
  Boolean progress;

  private final PrintStream out;
  private final PrintStream err;
  private final Function<RuleSetSource, RuleSet> compiler;

  Main(PrintStream out, PrintStream err, Function<RuleSetSource, RuleSet> compiler) {
    this.out = out;
    this.err = err;
    this.compiler = compiler;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "nba-simulator-logback.xml");
    }
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the command and returns its exit code. */
  static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, RuleSet::compile, args);
  }

  static int run(
      PrintStream out, PrintStream err, Function<RuleSetSource, RuleSet> compiler, String... args) {
    CommandLine cmd = new CommandLine(new Main(out, err, compiler));
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          if (e instanceof SimulationException || e instanceof IllegalArgumentException) {
            err.println("simulate: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cmd.execute(args);
  }

  @Override
  public Integer call() {
    SimulationSpec.Builder b =
        SimulationSpec.builder()
            .reportDir(report)
            .seed(seed)
            .limit(limit)
            .strict(strict)
            .sampleSize(sample)
            .journeyWeeks(journeyWeeks);
    if (threads != null) {
      b.threads(threads);
    }
    if (source.mapped != null) {
      b.mapped(source.mapped.population, source.mapped.mapping);
    } else if (source.events != null) {
      b.events(source.events, DecisionPoints.parse(decideAt));
    } else {
      b.synthetic(source.synthetic, knobs());
    }
    b.baseline(RuleSetRef.parse(baseline));
    if (candidate != null) {
      b.candidate(RuleSetRef.parse(candidate));
    }
    overrides.forEach(b::override);
    JourneyModel journey = JourneyModel.DEFAULTS;
    if (decisionsPerWeek != null) {
      journey = journey.withDecisionsPerWeek(decisionsPerWeek);
    }
    if (journeyComplaintRate != null) {
      journey = journey.withComplaintRatePerWeek(journeyComplaintRate);
    }
    b.journey(journey);
    SimulationSpec spec = b.build();
    boolean bar = progress != null ? progress : System.console() != null;
    ProgressBar pb = bar ? new ProgressBar(err) : null;
    Simulator.Finished done =
        new Simulator(compiler)
            .execute(
                spec,
                p -> {
                  if (pb != null) {
                    pb.show(p);
                  }
                });
    if (pb != null) {
      pb.finish();
    }
    Summary.print(out, done.result(), done.report());
    return 0;
  }

  private SyntheticKnobs knobs() {
    SyntheticKnobs k = SyntheticKnobs.DEFAULTS;
    if (quadrantMix != null) {
      String[] parts = quadrantMix.split(",");
      if (parts.length != 4) {
        throw new IllegalArgumentException(
            "--quadrant-mix needs four shares, Q1,Q2,Q3,Q4; was " + quadrantMix);
      }
      double[] q = new double[4];
      for (int i = 0; i < 4; i++) {
        try {
          q[i] = Double.parseDouble(parts[i].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--quadrant-mix: '" + parts[i].strip() + "' is not a number");
        }
      }
      k = k.withQuadrantMix(q[0], q[1], q[2], q[3]);
    }
    if (complaintRate != null) {
      k = k.withComplaintRate(complaintRate);
    }
    if (channelMix != null) {
      Map<Channel, Double> mix = new EnumMap<>(Channel.class);
      channelMix.forEach(
          (ch, v) -> {
            try {
              mix.put(Channel.valueOf(ch.strip().toUpperCase(Locale.ROOT)), v);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(
                  "--channel-mix: '"
                      + ch
                      + "' is not a channel; channels: "
                      + java.util.Arrays.toString(Channel.values()));
            }
          });
      k = k.withChannelMix(mix);
    }
    if (outreachPerMonth != null) {
      k = k.withOutreachPerMonth(outreachPerMonth);
    }
    if (liveShare != null) {
      k = k.withLiveShare(liveShare);
    }
    return k;
  }
}
