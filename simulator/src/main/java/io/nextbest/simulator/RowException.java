package io.nextbest.simulator;

/** A row the mapping cannot turn into a customer; counted as a bad row unless the run is strict. */
final class RowException extends RuntimeException {
  private final String column;

  RowException(String column, String message) {
    super(message, null, false, false);
    this.column = column;
  }

  /** The column that caused it, or null. */
  String column() {
    return column;
  }

  Problem toProblem(Row row) {
    return new Problem(
        row.file(), row.line(), column == null ? null : row.position(column), column, getMessage());
  }
}
