package io.nextbest.simulator;

import java.util.List;
import java.util.Map;

/**
 * A value computed from one row by a mapping: a constant, a column, a derived value, a count, a
 * sum, a condition, the first matching case, or a seeded random pick, optionally passed through a
 * value map, thresholds, arithmetic, bounds and rounding. Evaluates to a String, a Number (Long or
 * Double), a Boolean, or null (blank).
 */
sealed interface Expr {
  Object eval(Scope s);

  /** The column this value is read from, when there is exactly one (for error messages). */
  default String column() {
    return null;
  }

  record Const(Object value, String text) implements Expr {
    @Override
    public Object eval(Scope s) {
      return value instanceof Number || value instanceof Boolean ? value : text;
    }
  }

  record Column(String name) implements Expr {
    @Override
    public Object eval(Scope s) {
      return s.row.get(name);
    }

    @Override
    public String column() {
      return name;
    }
  }

  record Ref(String name) implements Expr {
    @Override
    public Object eval(Scope s) {
      return s.derived(name);
    }
  }

  /** How many of the columns pass the test (e.g. how many services say "Yes"). */
  record Count(List<String> columns, Cond.Op op, List<Const> operands) implements Expr {
    @Override
    public Object eval(Scope s) {
      int n = 0;
      for (String c : columns) {
        if (Cond.compare(s.row.get(c), op, operands, c)) {
          n++;
        }
      }
      return (double) n;
    }
  }

  record Sum(List<Expr> terms) implements Expr {
    @Override
    public Object eval(Scope s) {
      double total = 0;
      for (Expr t : terms) {
        Double d = Values.number(t.eval(s), t.column(), "sum");
        total += d == null ? 0 : d;
      }
      return total;
    }
  }

  /** A seeded uniform pick in [min, max]; whole numbers when both bounds are whole. */
  record Random(double min, double max, boolean whole, String site) implements Expr {
    @Override
    public Object eval(Scope s) {
      double u = s.uniform(site);
      return whole ? Math.floor(min + u * (max - min + 1)) : min + u * (max - min);
    }
  }

  /** One branch of {@link Cases}. */
  record Case(Cond when, Expr value) {}

  /** The value of the first case whose condition holds; null (so the default) when none does. */
  record Cases(List<Case> cases) implements Expr {
    @Override
    public Object eval(Scope s) {
      for (Case c : cases) {
        if (c.when().test(s)) {
          return c.value().eval(s);
        }
      }
      return null;
    }
  }

  record Test(Cond cond) implements Expr {
    @Override
    public Object eval(Scope s) {
      return cond.test(s);
    }
  }

  /**
   * One band of a thresholds list: values below {@code below} (or every value when null) give
   * {@code value}.
   */
  record Band(Double below, Const value) {}

  /**
   * A base value passed through, in order: value map or thresholds, default, arithmetic, bounds,
   * rounding.
   */
  record Chain(
      Expr base,
      Map<String, Const> map,
      List<Band> thresholds,
      Const fallback,
      Double multiply,
      Double add,
      Double min,
      Double max,
      Integer round,
      String path)
      implements Expr {
    @Override
    public Object eval(Scope s) {
      Object v = base.eval(s);
      if (v != null && map != null) {
        Const hit = map.get(Values.text(v));
        if (hit == null && v instanceof Boolean b) {
          hit = map.get(b ? "true" : "false");
        }
        if (hit == null) {
          if (fallback == null) {
            throw new RowException(
                base.column(),
                path
                    + ": '"
                    + Values.text(v)
                    + "' is not in the value map "
                    + map.keySet()
                    + " and there is no default");
          }
          return fallback.eval(s);
        }
        v = hit.eval(s);
      } else if (v != null && thresholds != null) {
        double d = Values.number(v, base.column(), path);
        Object banded = null;
        boolean found = false;
        for (Band b : thresholds) {
          if (b.below() == null || d < b.below()) {
            banded = b.value().eval(s);
            found = true;
            break;
          }
        }
        if (!found) {
          if (fallback == null) {
            throw new RowException(
                base.column(),
                path + ": " + Values.text(v) + " is above every threshold and there is no default");
          }
          banded = fallback.eval(s);
        }
        v = banded;
      }
      if (v == null) {
        return fallback == null ? null : fallback.eval(s);
      }
      if (multiply == null && add == null && min == null && max == null && round == null) {
        return v;
      }
      double d = Values.number(v, base.column(), path);
      if (multiply != null) {
        d *= multiply;
      }
      if (add != null) {
        d += add;
      }
      if (min != null) {
        d = Math.max(min, d);
      }
      if (max != null) {
        d = Math.min(max, d);
      }
      if (round != null) {
        double f = Math.pow(10, round);
        d = Math.round(d * f) / f;
      }
      return d;
    }

    @Override
    public String column() {
      return base.column();
    }
  }
}
