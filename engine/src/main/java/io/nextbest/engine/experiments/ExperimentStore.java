package io.nextbest.engine.experiments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where experiments and their counts live: the embedded SQLite file, or Redis shared by every node.
 * Counting is idempotent where it can be repeated: a customer joins an experiment once (in the arm
 * of its first decision there) and succeeds at most once.
 */
public interface ExperimentStore {
  /** A customer's decision in an arm; {@code at} is when the decision was made. */
  record Exposure(String experimentId, String arm, String customerId, Instant at) {}

  /**
   * @param customers distinct customers who had a decision in the arm
   * @param decisions decisions made in the arm
   * @param successes customers in the arm who succeeded
   */
  record ArmCounts(long customers, long decisions, long successes) {
    public static final ArmCounts NONE = new ArmCounts(0, 0, 0);
  }

  void save(Experiment experiment);

  /**
   * Saves {@code experiment} in place of the stored one of its id only while that one is still
   * {@code RUNNING}, in one atomic step: of two nodes ending the same experiment, one does.
   *
   * @return whether it was saved
   */
  boolean replaceRunning(Experiment experiment);

  /** A node's hold on changing experiments (start, stop, promote); {@link #close} lets go. */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the hold on changing experiments, for every node that shares the store, waiting up to
   * {@code wait} for another node to let go; a hold its node never lets go of (it died) lapses
   * after {@code lease}. The embedded store belongs to one process, which serialises its changes
   * itself: its hold is always granted.
   *
   * @return empty when another node held it all the while
   */
  Optional<Hold> hold(java.time.Duration wait, java.time.Duration lease);

  Optional<Experiment> find(String id);

  List<Experiment> all();

  /**
   * Adds customers to experiments (those already in stay in their first arm) and counts decisions,
   * in one write.
   */
  void expose(List<Exposure> exposures);

  /**
   * Marks a customer of the experiment as succeeded, once: when {@code withinDays} is not negative,
   * only if {@code at} is within that many days after the customer's first decision in it.
   *
   * @return whether this call counted the success
   */
  boolean succeed(String experimentId, String customerId, Instant at, int withinDays);

  /** The counts per arm name. */
  Map<String, ArmCounts> counts(String experimentId);

  /**
   * Of the customers who have not succeeded otherwise and had none of the experiment's {@code
   * successWithout} events in time ({@link #disqualify}): those whose first decision is at or
   * before {@code maturedBy} (their days are over: they succeeded by absence) and those after it
   * (pending).
   */
  record Absences(long retained, long pending) {
    public static final Absences NONE = new Absences(0, 0);
  }

  /**
   * Records that a customer of the experiment had one of its {@code successWithout} events, when
   * {@code at} is within {@code withinDays} after the customer's first decision in it: it cannot
   * succeed by absence any more.
   *
   * @return whether this call changed anything
   */
  boolean disqualify(String experimentId, String customerId, Instant at, int withinDays);

  /** {@link Absences} per arm name, counted now. */
  Map<String, Absences> absences(String experimentId, Instant maturedBy);
}
