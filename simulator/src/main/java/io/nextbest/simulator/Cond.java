package io.nextbest.simulator;

import java.util.List;

/** A condition over one row: a comparison, all / any / not, or a seeded chance. */
sealed interface Cond {
  boolean test(Scope s);

  enum Op {
    EQUALS("equals"),
    NOT_EQUALS("notEquals"),
    IN("in"),
    NOT_IN("notIn"),
    ABOVE("above"),
    BELOW("below"),
    AT_LEAST("atLeast"),
    AT_MOST("atMost"),
    BLANK("blank");

    final String key;

    Op(String key) {
      this.key = key;
    }

    static Op byKey(String key) {
      for (Op op : values()) {
        if (op.key.equals(key)) {
          return op;
        }
      }
      return null;
    }
  }

  record Compare(Expr operand, Op op, List<Expr.Const> operands) implements Cond {
    @Override
    public boolean test(Scope s) {
      return compare(operand.eval(s), op, operands, operand.column());
    }
  }

  record All(List<Cond> conds) implements Cond {
    @Override
    public boolean test(Scope s) {
      for (Cond c : conds) {
        if (!c.test(s)) {
          return false;
        }
      }
      return true;
    }
  }

  record Any(List<Cond> conds) implements Cond {
    @Override
    public boolean test(Scope s) {
      for (Cond c : conds) {
        if (c.test(s)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(Cond cond) implements Cond {
    @Override
    public boolean test(Scope s) {
      return !cond.test(s);
    }
  }

  /**
   * True for a seeded share {@code p} of customers, the same ones on every run with the same seed.
   */
  record Chance(double p, String site) implements Cond {
    @Override
    public boolean test(Scope s) {
      return s.uniform(site) < p;
    }
  }

  /**
   * A comparison against constants; a blank value passes only {@code blank: true} and the negative
   * tests.
   */
  static boolean compare(Object v, Op op, List<Expr.Const> operands, String column) {
    switch (op) {
      case BLANK -> {
        boolean wantBlank = !Boolean.FALSE.equals(operands.get(0).value());
        return (v == null) == wantBlank;
      }
      case EQUALS, IN -> {
        for (Expr.Const c : operands) {
          if (Values.same(v, c.value(), c.text())) {
            return true;
          }
        }
        return false;
      }
      case NOT_EQUALS, NOT_IN -> {
        for (Expr.Const c : operands) {
          if (Values.same(v, c.value(), c.text())) {
            return false;
          }
        }
        return true;
      }
      default -> {
        if (v == null) {
          return false;
        }
        double d = Values.number(v, column, op.key);
        double bound = ((Number) operands.get(0).value()).doubleValue();
        return switch (op) {
          case ABOVE -> d > bound;
          case BELOW -> d < bound;
          case AT_LEAST -> d >= bound;
          default -> d <= bound;
        };
      }
    }
  }
}
