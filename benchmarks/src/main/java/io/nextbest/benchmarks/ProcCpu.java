package io.nextbest.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of another process from Linux's {@code /proc}: the whole process (user + system, all
 * threads, including those that have exited), and its JIT compiler threads (the tasks whose {@code
 * comm} names a C1 or C2 compiler thread). Clock ticks are converted to seconds with {@code getconf
 * CLK_TCK}, read once (100, Linux's usual value, if it cannot be read).
 */
final class ProcCpu {
  private final long pid;
  private final Path proc;

  ProcCpu(long pid) {
    this.pid = pid;
    this.proc = Path.of("/proc", Long.toString(pid));
    if (!Files.isDirectory(proc)) {
      throw new IllegalArgumentException("no process " + pid + " in /proc");
    }
    ticksPerSecond(); // here, not on the client's event loop at the first sample
  }

  long pid() {
    return pid;
  }

  /** A reading of the process and its compiler threads, in clock ticks. */
  record Sample(long processTicks, Map<Long, Long> c1Ticks, Map<Long, Long> c2Ticks) {
    /** Process CPU seconds from {@code before} to this sample. */
    double processSecondsSince(Sample before) {
      return (processTicks - before.processTicks) / (double) ticksPerSecond();
    }

    double c1SecondsSince(Sample before) {
      return delta(c1Ticks, before.c1Ticks) / (double) ticksPerSecond();
    }

    double c2SecondsSince(Sample before) {
      return delta(c2Ticks, before.c2Ticks) / (double) ticksPerSecond();
    }

    /**
     * Per thread id, so that a compiler thread started in between counts from zero; a thread that
     * exited in between is lost (its time stays in the process total).
     */
    private static long delta(Map<Long, Long> after, Map<Long, Long> before) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : after.entrySet()) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
      return sum;
    }
  }

  Sample sample() {
    Map<Long, Long> c1 = new HashMap<>();
    Map<Long, Long> c2 = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        String comm;
        long ticks;
        try {
          comm = Files.readString(task.resolve("comm")).trim();
          if (!comm.contains("C1 Compiler") && !comm.contains("C2 Compiler")) {
            continue;
          }
          ticks = ticks(Files.readString(task.resolve("stat")));
        } catch (IOException gone) {
          continue; // the thread exited while being read
        }
        long tid = Long.parseLong(task.getFileName().toString());
        (comm.contains("C1") ? c1 : c2).put(tid, ticks);
      }
      return new Sample(ticks(Files.readString(proc.resolve("stat"))), c1, c2);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + proc + ": " + e.getMessage(), e);
    }
  }

  /**
   * utime + stime: fields 14 and 15 of {@code stat}, counted after the command name, which is in
   * parentheses and may itself hold spaces or parentheses.
   */
  static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state): utime is field 14, stime field 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long ticksPerSecond;

  static synchronized long ticksPerSecond() {
    if (ticksPerSecond == 0) {
      ticksPerSecond = 100;
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() == 0 && out.matches("\\d+")) {
          ticksPerSecond = Long.parseLong(out);
        }
      } catch (IOException e) {
        // keep 100, Linux's value on every common architecture
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ticksPerSecond;
  }

  /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} writes them. */
  static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
