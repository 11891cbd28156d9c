package io.nextbest.engine.learning;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * SplitMix64 with the polar method for normals: a generator fully specified here, so a recorded
 * seed gives the same draws on every node and every JDK, and an auditor can re-derive them.
 */
final class SeededDraws implements RandomGenerator {
  private long state;
  private double spare = Double.NaN;

  SeededDraws(long seed) {
    this.state = seed;
  }

  @Override
  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  @Override
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  @Override
  public double nextGaussian() {
    if (!Double.isNaN(spare)) {
      double s = spare;
      spare = Double.NaN;
      return s;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double m = Math.sqrt(-2 * Math.log(s) / s);
    spare = v * m;
    return u * m;
  }

  /** The SplitMix64 finaliser: a bijection that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * FNV-1a over the UTF-8 bytes of {@code parts}, each followed by a 0 byte, finalised by {@link
   * #mix}.
   */
  static long hash(long seed, Object... parts) {
    long h = 0xCBF29CE484222325L ^ seed;
    for (Object part : parts) {
      for (byte b : String.valueOf(part).getBytes(StandardCharsets.UTF_8)) {
        h = (h ^ (b & 0xFF)) * 0x100000001B3L;
      }
      h = (h ^ 0) * 0x100000001B3L;
    }
    return mix(h);
  }
}
