package io.nextbest.simulator;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic hashing: every "random" choice in a simulation is a pure function of the seed and
 * names.
 */
final class Hash {
  private Hash() {}

  /** SplitMix64's finaliser: a well-spread 64-bit value for any input. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long of(long seed, String a) {
    return mix(fnv(seed, a));
  }

  static long of(long seed, String a, String b) {
    return mix(fnv(fnv(seed, a) ^ 0x9e3779b97f4a7c15L, b));
  }

  static long of(long seed, String a, String b, long n) {
    return mix(of(seed, a, b) + n * 0x9e3779b97f4a7c15L);
  }

  /** A uniform double in [0, 1) from a hash. */
  static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  static String hex(long hash) {
    String h = Long.toHexString(hash);
    return "0".repeat(16 - h.length()) + h;
  }

  private static long fnv(long seed, String s) {
    long h = 0xcbf29ce484222325L ^ seed;
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
