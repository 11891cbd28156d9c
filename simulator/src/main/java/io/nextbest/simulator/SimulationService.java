package io.nextbest.simulator;

import io.nextbest.engine.RuleSet;
import io.nextbest.engine.RuleSetSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Simulations as background jobs, for a host such as the HTTP API: {@link #start} queues a job and
 * returns its id, {@link #progress} follows it, {@link #report} gives its files once done. Jobs run
 * one at a time by default (each already uses every core); the most recent finished jobs are kept.
 * Thread-safe.
 *
 * <pre>{@code
 * SimulationService sims = new SimulationService();
 * String id = sims.start(SimulationSpec.builder().mapped("telco-churn", "telco-churn")
 *     .override("experience.threshold=70").reportDir(dir).build());
 * sims.progress(id);   // RUNNING, 42 %...
 * sims.report(id);     // report.html, report.json, customers.csv once DONE
 * }</pre>
 */
public final class SimulationService implements AutoCloseable {
  private static final int KEEP_FINISHED = 50;

  private final class Job {
    final String id;
    final SimulationSpec spec;
    volatile SimulationProgress progress =
        new SimulationProgress(SimulationProgress.State.QUEUED, 0, 0, 0, 0, Duration.ZERO, 0, null);
    volatile SimulationResult result;
    volatile Future<?> future;

    Job(String id, SimulationSpec spec) {
      this.id = id;
      this.spec = spec;
    }

    void run() {
      try {
        // DONE only once the result is visible, so a client that sees DONE can fetch the report.
        result =
            new Simulator(compiler)
                .execute(
                    spec,
                    p ->
                        progress =
                            p.state() == SimulationProgress.State.DONE
                                ? withState(p, SimulationProgress.State.WRITING, null)
                                : p)
                .result();
        progress = withState(progress, SimulationProgress.State.DONE, null);
      } catch (CancellationException e) {
        progress = withState(progress, SimulationProgress.State.CANCELLED, e.getMessage());
      } catch (RuntimeException | Error e) {
        // An Error too: a job must always end in a final state, or its client polls forever.
        progress =
            withState(
                progress,
                Thread.currentThread().isInterrupted()
                    ? SimulationProgress.State.CANCELLED
                    : SimulationProgress.State.FAILED,
                String.valueOf(e.getMessage()));
      } finally {
        finished(id);
      }
    }
  }

  private final ExecutorService pool;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<String> finished = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final Function<RuleSetSource, RuleSet> compiler;

  /** One job at a time. */
  public SimulationService() {
    this(1);
  }

  public SimulationService(int concurrentJobs) {
    this(concurrentJobs, RuleSet::compile);
  }

  SimulationService(int concurrentJobs, Function<RuleSetSource, RuleSet> compiler) {
    if (concurrentJobs < 1) {
      throw new IllegalArgumentException(
          "concurrentJobs must be at least 1, was " + concurrentJobs);
    }
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrentJobs,
            r -> {
              Thread t = new Thread(r, "simulation-job-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.compiler = compiler;
  }

  /** Queues a simulation and returns its id ({@code sim-1}, {@code sim-2}...). */
  public String start(SimulationSpec spec) {
    Job job = new Job("sim-" + ids.incrementAndGet(), spec);
    synchronized (jobs) {
      jobs.put(job.id, job);
    }
    job.future = pool.submit(job::run);
    return job.id;
  }

  /** Where the job stands, or empty for an unknown (or long-finished) id. */
  public Optional<SimulationProgress> progress(String id) {
    return job(id).map(j -> j.progress);
  }

  /** The finished job's report files and figures; empty until the job is DONE. */
  public Optional<SimulationResult> report(String id) {
    return job(id).map(j -> j.result);
  }

  /** Stops a queued or running job; true when there was one to stop. */
  public boolean cancel(String id) {
    Optional<Job> job = job(id);
    if (job.isEmpty() || job.get().progress.state().finished()) {
      return false;
    }
    Future<?> f = job.get().future;
    boolean cancelled = f != null && f.cancel(true);
    if (cancelled && job.get().progress.state() == SimulationProgress.State.QUEUED) {
      job.get().progress =
          withState(
              job.get().progress,
              SimulationProgress.State.CANCELLED,
              "cancelled before it started");
      finished(id);
    }
    return cancelled;
  }

  /** Known job ids, oldest first. */
  public List<String> jobs() {
    synchronized (jobs) {
      return List.copyOf(jobs.keySet());
    }
  }

  private Optional<Job> job(String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id));
    }
  }

  private void finished(String id) {
    synchronized (jobs) {
      if (!finished.contains(id)) {
        finished.add(id);
      }
      while (finished.size() > KEEP_FINISHED) {
        jobs.remove(finished.remove(0));
      }
    }
  }

  private static SimulationProgress withState(
      SimulationProgress p, SimulationProgress.State state, String error) {
    return new SimulationProgress(
        state,
        p.customers(),
        p.decisions(),
        p.badRows(),
        state == SimulationProgress.State.DONE ? 1 : p.fraction(),
        p.elapsed(),
        p.decisionsPerSecond(),
        error);
  }

  /** Cancels every job and stops the workers. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
