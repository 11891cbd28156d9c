package io.nextbest.simulator;

/** One record of a population file: its cells by column name, and where it was read. */
interface Row {
  String file();

  long line();

  /** The cell: a String, Double, Long or Boolean, or null when blank or absent. */
  Object get(String column);

  /**
   * The column's number (CSV field) or character column (JSON), for messages; null when unknown.
   */
  Integer position(String column);
}
