package io.nextbest.engine.learning;

import java.util.random.RandomGenerator;

/** Draws from Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Marsaglia and Tsang). */
final class BetaSampler {
  private BetaSampler() {}

  static double beta(RandomGenerator rng, double a, double b) {
    double x = gamma(rng, a);
    double y = gamma(rng, b);
    return x + y == 0 ? a / (a + b) : x / (x + y);
  }

  static double gamma(RandomGenerator rng, double shape) {
    if (shape < 1) {
      // Gamma(k) = Gamma(k + 1) * U^(1/k) lifts small shapes into the method's range.
      return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
