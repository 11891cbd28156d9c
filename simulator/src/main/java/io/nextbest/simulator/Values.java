package io.nextbest.simulator;

import java.util.Locale;

/** Conversions between the loose values of a population file and the types of the context model. */
final class Values {
  private Values() {}

  static boolean isNumber(Object v) {
    return v instanceof Number;
  }

  /** A number, parsing text; null stays null. */
  static Double number(Object v, String column, String target) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    String s = v.toString().trim();
    try {
      double d = Double.parseDouble(s);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new RowException(column, target + ": '" + v + "' is not a number");
    }
  }

  static Integer integer(Object v, String column, String target) {
    Double d = number(v, column, target);
    return d == null ? null : (int) Math.round(d);
  }

  static Boolean bool(Object v, String column, String target) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "on" -> {
        return true;
      }
      case "false", "no", "n", "0", "off" -> {
        return false;
      }
      default -> throw new RowException(column, target + ": '" + v + "' is not true or false");
    }
  }

  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return v.toString();
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, Object v, String column, String target) {
    if (v == null) {
      return null;
    }
    String s = text(v).trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw new RowException(
          column,
          target
              + ": '"
              + v
              + "' is not one of "
              + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /**
   * Whether a cell equals a constant written in the mapping. Numbers compare as numbers when both
   * sides are numeric; otherwise the text as written is compared, so {@code Yes} matches "Yes".
   */
  static boolean same(Object cell, Object constant, String constantText) {
    if (cell == null || constantText == null) {
      return cell == null && constantText == null;
    }
    if (cell instanceof Boolean b && constant instanceof Boolean c) {
      return b.equals(c);
    }
    Double a = tryNumber(cell);
    Double c = tryNumber(constant instanceof Number ? constant : constantText);
    if (a != null && c != null) {
      return a.doubleValue() == c.doubleValue();
    }
    return text(cell).equals(constantText);
  }

  static Double tryNumber(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s && !s.isBlank()) {
      char c = s.trim().charAt(0);
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
        try {
          return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
