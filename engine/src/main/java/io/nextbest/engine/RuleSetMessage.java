package io.nextbest.engine;

/**
 * A compile or validation message about a rule-set file: its level (ERROR, WARNING, INFO), the
 * file, the line and the model element where the library reports them (null otherwise), and the
 * text.
 */
public record RuleSetMessage(String level, String file, Integer line, String element, String text) {
  public boolean error() {
    return "ERROR".equals(level);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(level).append(' ').append(file);
    if (line != null && line > 0) {
      sb.append(':').append(line);
    }
    if (element != null) {
      sb.append(" [").append(element).append(']');
    }
    return sb.append(": ").append(text).toString();
  }
}
