package io.nextbest.simulator;

import io.nextbest.engine.model.Quadrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Whether the segmentation predicts the population's observed outcome, and whether it adds anything
 * over one raw column (issue 10, docs/fidelity.md). For each index, risk flag and raw mapped
 * column: the ROC AUC (the chance that a random customer with the outcome is ranked riskier than a
 * random one without; 0.5 is no better than a coin, below 0.5 points the wrong way) and the lift
 * (the outcome rate of the riskiest fifth, or of the flagged customers, over the rate of the rest).
 * Everything is computed from counts the {@link Tally} keeps, so it never depends on how rows were
 * read or on thread timing.
 *
 * <p>Indices are read as "lower is riskier", as the guidance means them, and never flipped: an AUC
 * below 0.5 says the index points the wrong way. A raw column is given its better direction
 * (numeric) or its categories ranked by their own outcome rate (text), so the baseline is, if
 * anything, flattered: an index that beats it adds something real.
 */
final class Fidelity {
  /** Index values in tenths, 0 to 100. */
  static final int BINS = 1001;

  static final String[] INDICES = {"experience", "engagement", "relationshipHealth"};

  /** A column with more distinct values than this is an identifier or free text, not a baseline. */
  static final int MAX_DISTINCT = 5000;

  private Fidelity() {}

  /**
   * @param riskWhen how the predictor is read: "lower" or "higher" values are riskier, or for text
   *     columns the riskiest category
   * @param missing customers with the outcome but no value (blank cells), left out of the AUC
   */
  record Predictor(
      String name,
      String kind,
      String riskWhen,
      long customers,
      long missing,
      double auc,
      double riskiestFifthRate,
      double lift) {}

  record FlagRate(
      String flag,
      long customers,
      long positive,
      double rate,
      long unflaggedCustomers,
      double unflaggedRate,
      double lift,
      double auc) {}

  /** Which raw columns feed a part of the profile, and which index component that part is. */
  record Feed(String field, String feeds, List<String> columns) {}

  record Result(
      double q1OverQ4,
      List<Predictor> indices,
      List<FlagRate> riskFlags,
      List<Predictor> columns,
      List<Feed> feeds) {}

  static Result of(Tally.SideTally s, Tally t, Map<String, SortedSet<String>> feeds) {
    long n = s.outcome[0];
    long p = s.outcome[1];
    double overall = n == 0 ? 0 : (double) p / n;
    List<Predictor> indices = new ArrayList<>();
    for (int i = 0; i < INDICES.length; i++) {
      long[][] bins = s.indexBins[i];
      long[][] ordered = new long[BINS][];
      for (int b = 0; b < BINS; b++) {
        ordered[b] = bins[b];
      }
      indices.add(predictor(INDICES[i], "index", "lower", ordered, 0, overall));
    }
    List<FlagRate> flags = new ArrayList<>();
    s.outcomeFlagCustomers
        .sorted()
        .forEach(
            (flag, customers) -> {
              if (flag.equals(Tally.NONE)) {
                return;
              }
              long pos = s.outcomeFlagPositive.get(flag);
              long restN = n - customers;
              long restP = p - pos;
              double rate = Report.share(pos, customers);
              double rest = restN == 0 ? 0 : (double) restP / restN;
              long[][] bins = {{customers - pos, pos}, {restN - restP, restP}};
              flags.add(
                  new FlagRate(
                      flag,
                      customers,
                      pos,
                      rate,
                      restN,
                      round4(rest),
                      rest == 0 ? 0 : round2(((double) pos / customers) / rest),
                      round4(auc(bins))));
            });
    List<Predictor> columns = new ArrayList<>();
    t.columns.forEach(
        (column, values) -> {
          if (t.overflowing.contains(column)) {
            return;
          }
          columns.add(column(column, values, n, overall));
        });
    columns.sort(
        Comparator.comparingDouble(Predictor::auc).reversed().thenComparing(Predictor::name));
    List<Feed> feedList = new ArrayList<>();
    feeds.forEach((field, cols) -> feedList.add(new Feed(field, feeds(field), List.copyOf(cols))));
    long[] q1 = s.outcomeByQuadrant[Quadrant.Q1.ordinal()];
    long[] q4 = s.outcomeByQuadrant[Quadrant.Q4.ordinal()];
    double r1 = q1[0] == 0 ? 0 : (double) q1[1] / q1[0];
    double r4 = q4[0] == 0 ? 0 : (double) q4[1] / q4[0];
    return new Result(r4 == 0 ? 0 : round2(r1 / r4), indices, flags, columns, feedList);
  }

  private static Predictor column(
      String name, Map<String, long[]> values, long customers, double overall) {
    long seen = 0;
    boolean numeric = true;
    for (Map.Entry<String, long[]> e : values.entrySet()) {
      seen += e.getValue()[0] + e.getValue()[1];
      numeric &= number(e.getKey()) != null;
    }
    long missing = customers - seen;
    List<Map.Entry<String, long[]>> entries = new ArrayList<>(values.entrySet());
    if (numeric) {
      entries.sort(Comparator.comparingDouble(e -> number(e.getKey())));
      long[][] ascending = entries.stream().map(Map.Entry::getValue).toArray(long[][]::new);
      long[][] descending = new long[ascending.length][];
      for (int i = 0; i < ascending.length; i++) {
        descending[i] = ascending[ascending.length - 1 - i];
      }
      Predictor low = predictor(name, "numeric column", "lower", ascending, missing, overall);
      Predictor high = predictor(name, "numeric column", "higher", descending, missing, overall);
      return high.auc() > low.auc() ? high : low;
    }
    entries.sort(
        Comparator.comparingDouble((Map.Entry<String, long[]> e) -> -rate(e.getValue()))
            .thenComparing(Map.Entry::getKey));
    long[][] riskiestFirst = entries.stream().map(Map.Entry::getValue).toArray(long[][]::new);
    String top = entries.isEmpty() ? "" : entries.get(0).getKey();
    return predictor(
        name, "text column", "'" + top + "' riskiest", riskiestFirst, missing, overall);
  }

  /** AUC and lift of bins ordered riskiest first ({neg, pos} each). */
  private static Predictor predictor(
      String name,
      String kind,
      String riskWhen,
      long[][] riskiestFirst,
      long missing,
      double overall) {
    long total = 0;
    for (long[] b : riskiestFirst) {
      total += b[0] + b[1];
    }
    double fifth = total / 5.0;
    double taken = 0;
    double positives = 0;
    for (long[] b : riskiestFirst) {
      long size = b[0] + b[1];
      if (size == 0) {
        continue;
      }
      double share = Math.min(1, (fifth - taken) / size);
      if (share <= 0) {
        break;
      }
      taken += size * share;
      positives += b[1] * share;
    }
    double fifthRate = taken == 0 ? 0 : positives / taken;
    return new Predictor(
        name,
        kind,
        riskWhen,
        total,
        missing,
        round4(auc(riskiestFirst)),
        round4(fifthRate),
        overall == 0 ? 0 : round2(fifthRate / overall));
  }

  /** P(a random positive is ranked riskier than a random negative), ties counting half. */
  static double auc(long[][] riskiestFirst) {
    long negatives = 0;
    long positives = 0;
    for (long[] b : riskiestFirst) {
      negatives += b[0];
      positives += b[1];
    }
    if (negatives == 0 || positives == 0) {
      return 0.5;
    }
    double wins = 0;
    long negativesAfter = negatives;
    for (long[] b : riskiestFirst) {
      negativesAfter -= b[0];
      wins += b[1] * (negativesAfter + 0.5 * b[0]);
    }
    return wins / ((double) positives * negatives);
  }

  /** The index component a profile field is read into (docs/indices.md). */
  static String feeds(String field) {
    return switch (field) {
      case "csat" -> "experience: satisfaction";
      case "ces" -> "experience: effort";
      case "nps" -> "experience: recommendation";
      case "complaints" -> "experience: complaints";
      case "failedInteractions" -> "experience: failures";
      case "channels" -> "engagement: frequency, recency";
      case "products" -> "engagement: depth";
      case "purchases90d" -> "engagement: purchases";
      case "lastPurchaseDaysAgo", "lastPurchaseAt" -> "engagement: recency";
      case "loyalty" -> "engagement: loyalty";
      case "community" -> "engagement: community";
      case "referrals12m", "reviews12m" -> "engagement: advocacy";
      case "interaction" -> "the live interaction (gaps, routing; its rating is satisfaction)";
      default -> "no index: used by the rules (consent, channel, value, tone)";
    };
  }

  private static double rate(long[] b) {
    return b[0] + b[1] == 0 ? 0 : (double) b[1] / (b[0] + b[1]);
  }

  private static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }

  private static double round4(double d) {
    return Math.round(d * 10_000) / 10_000.0;
  }
}
