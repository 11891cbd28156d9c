package io.nextbest.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** A one-line progress bar redrawn in place on stderr. */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintStream err;
  private int lastLength;

  ProgressBar(PrintStream err) {
    this.err = err;
  }

  void show(SimulationProgress p) {
    StringBuilder sb = new StringBuilder("\r");
    if (p.state() == SimulationProgress.State.COMPILING) {
      sb.append("compiling rule sets…");
    } else {
      double f = p.fraction();
      if (f >= 0) {
        int filled = (int) Math.round(f * WIDTH);
        sb.append('[')
            .append("#".repeat(filled))
            .append(".".repeat(WIDTH - filled))
            .append("] ")
            .append(String.format(Locale.ROOT, "%5.1f%% ", f * 100));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%,d customers  %,.0f decisions/s  %s",
              p.customers(),
              p.decisionsPerSecond(),
              clock(p.elapsed())));
      if (f > 0.01 && f < 1) {
        sb.append("  ETA ")
            .append(clock(Duration.ofMillis((long) (p.elapsed().toMillis() * (1 - f) / f))));
      }
      if (p.badRows() > 0) {
        sb.append(String.format(Locale.ROOT, "  %,d bad rows", p.badRows()));
      }
    }
    int len = sb.length();
    if (len < lastLength) {
      sb.append(" ".repeat(lastLength - len));
    }
    lastLength = len;
    err.print(sb);
    err.flush();
  }

  void finish() {
    err.println();
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
