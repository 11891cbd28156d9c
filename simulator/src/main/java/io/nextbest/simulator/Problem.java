package io.nextbest.simulator;

/**
 * One thing wrong with a mapping, a data row or an event: where it is and what is wrong.
 *
 * @param file the file as the user named it
 * @param line 1-based line, or 0 when the problem is not on one line
 * @param column 1-based column (a CSV field number, or a character column in YAML and JSON), or
 *     null
 * @param field the column, field or mapping path concerned, or null
 * @param message what is wrong, in words
 */
public record Problem(String file, long line, Integer column, String field, String message)
    implements java.io.Serializable {

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file == null ? "<input>" : file);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (column != null) {
      sb.append(", column ").append(column);
    }
    if (field != null) {
      sb.append(" (").append(field).append(')');
    }
    return sb.append(": ").append(message).toString();
  }
}
