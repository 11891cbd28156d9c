package io.nextbest.simulator;

/** CSV cell quoting (RFC 4180). */
final class Csv {
  private Csv() {}

  static void cell(StringBuilder sb, Object value) {
    if (value == null) {
      return;
    }
    String s = value.toString();
    boolean quote =
        s.indexOf(',') >= 0
            || s.indexOf('"') >= 0
            || s.indexOf('\n') >= 0
            || s.indexOf('\r') >= 0
            || (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' '));
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  static void row(StringBuilder sb, Object... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      cell(sb, cells[i]);
    }
    sb.append('\n');
  }
}
