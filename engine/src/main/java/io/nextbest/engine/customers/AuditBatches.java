package io.nextbest.engine.customers;

import io.nextbest.engine.store.StoreException;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * How the embedded store keeps the audit records of one write together (schema 5 on): their JSON
 * bodies one after the other, compressed as one LZ4 block, with each record's place in the block
 * kept in its index row. Records of one batch repeat most of each other's text (the same keys,
 * actions and reasons), so the block is a small fraction of the bodies and costs little to make;
 * storing it is one row instead of a row (and its overflow pages) per record.
 *
 * <p>A stored block: one format byte ({@value #LZ4_BLOCK}), the bodies' length as four bytes (big
 * endian), then the LZ4 block.
 */
final class AuditBatches {
  /** The only format so far: an LZ4 block of the bodies. */
  static final byte LZ4_BLOCK = 1;

  /**
   * At most this many bytes of bodies in one block (a record larger than that gets a block of its
   * own): reading one record decompresses its whole block.
   */
  static final int MAX_BODIES = 256 * 1024;

  private static final int HEADER = 5;
  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

  private AuditBatches() {}

  /** The stored form of the first {@code length} bytes of {@code bodies}. */
  static byte[] compress(byte[] bodies, int length) {
    LZ4Compressor c = LZ4.fastCompressor();
    byte[] out = new byte[HEADER + c.maxCompressedLength(length)];
    out[0] = LZ4_BLOCK;
    out[1] = (byte) (length >>> 24);
    out[2] = (byte) (length >>> 16);
    out[3] = (byte) (length >>> 8);
    out[4] = (byte) length;
    int n = c.compress(bodies, 0, length, out, HEADER, out.length - HEADER);
    return Arrays.copyOf(out, HEADER + n);
  }

  /** The bodies a stored block holds. */
  static byte[] decompress(byte[] stored) {
    if (stored == null || stored.length < HEADER || stored[0] != LZ4_BLOCK) {
      throw new StoreException(
          "an audit batch in the embedded store has an unknown format"
              + (stored == null || stored.length == 0 ? "" : " (" + stored[0] + ")"));
    }
    int length =
        (stored[1] & 0xff) << 24
            | (stored[2] & 0xff) << 16
            | (stored[3] & 0xff) << 8
            | (stored[4] & 0xff);
    byte[] bodies = new byte[length];
    try {
      int n =
          LZ4.safeDecompressor()
              .decompress(stored, HEADER, stored.length - HEADER, bodies, 0, length);
      if (n != length) {
        throw new StoreException(
            "an audit batch in the embedded store holds " + n + " bytes, not " + length);
      }
    } catch (LZ4Exception e) {
      throw new StoreException("an audit batch in the embedded store cannot be read back", e);
    }
    return bodies;
  }
}
