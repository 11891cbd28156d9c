package io.nextbest.simulator;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished simulation: where its files are, the headline figures, and how the run went.
 *
 * @param json {@code report.json}: the complete, deterministic report
 * @param csv {@code customers.csv}: one row per customer decision point, baseline beside candidate
 * @param html {@code report.html}: the self-contained report with its charts
 * @param runJson {@code run.json}: timings and machine, which differ on every run
 * @param baselineVersion the baseline rule set's version label
 * @param candidateVersion the candidate's, or null for a baseline-only run
 * @param customers customers simulated
 * @param badRows rows or histories that could not be simulated
 * @param topActionChanged decisions whose top action differs between the sides
 * @param quadrantChanged decisions whose quadrant differs between the sides
 * @param problems the first bad rows, each with file, line and column
 * @param run timings and throughput
 */
public record SimulationResult(
    Path json,
    Path csv,
    Path html,
    Path runJson,
    String baselineVersion,
    String candidateVersion,
    long customers,
    long badRows,
    long topActionChanged,
    long quadrantChanged,
    List<Problem> problems,
    RunInfo run) {}
