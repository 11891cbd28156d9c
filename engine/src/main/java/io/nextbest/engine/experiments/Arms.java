package io.nextbest.engine.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which arm a customer is in: a pure function of the customer and the experiment, so arms are
 * sticky on every node.
 */
public final class Arms {
  private Arms() {}

  /**
   * The customer's bucket in the experiment, uniform in [0, 1): the first 53 bits of
   * SHA-256(experimentId, 0x00, customerId). A customer is in the declared share when it is below
   * it.
   */
  public static double bucket(String customerId, String experimentId) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    sha.update(experimentId.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] h = sha.digest(customerId.getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(h, 0, 8).getLong() >>> 11) * 0x1.0p-53;
  }

  /** Whether the customer falls in the experiment's declared share. */
  public static boolean inShare(String customerId, String experimentId, double share) {
    return bucket(customerId, experimentId) < share;
  }
}
