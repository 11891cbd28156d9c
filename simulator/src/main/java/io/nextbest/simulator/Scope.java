package io.nextbest.simulator;

import java.util.HashMap;
import java.util.Map;

/**
 * What a mapping expression sees while one row is mapped: the row, the derived values so far, the
 * seed.
 */
final class Scope {
  private static final Object NULL = new Object();

  final Row row;
  final long seed;
  final Map<String, Expr> derive;
  private final Map<String, Object> derived = new HashMap<>();
  private final java.util.Set<String> evaluating = new java.util.HashSet<>();
  String customerId = "";
  int item;

  Scope(Row row, long seed, Map<String, Expr> derive) {
    this.row = row;
    this.seed = seed;
    this.derive = derive;
  }

  Object derived(String name) {
    Object v = derived.get(name);
    if (v == null) {
      if (!evaluating.add(name)) {
        throw new RowException(null, "derived value '" + name + "' refers to itself");
      }
      Object computed = derive.get(name).eval(this);
      evaluating.remove(name);
      derived.put(name, computed == null ? NULL : computed);
      return computed;
    }
    return v == NULL ? null : v;
  }

  /**
   * A uniform double in [0, 1), the same for the same seed, customer, mapping site and repeat
   * index.
   */
  double uniform(String site) {
    return Hash.unit(Hash.of(seed, customerId, site, item));
  }
}
