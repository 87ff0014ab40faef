package dev.vaultengine.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One thread's HMAC-SHA256 on the audit key, fed field by field into a buffer it reuses. The
 * audit key is a Tink keyset (generated, wrapped and parsed by Tink); its MAC, with tags without
 * prefix, is plain HMAC-SHA256, which this computes on the JDK's SHA-256 from the key's bytes,
 * checked against Tink's primitive when the key is opened. Tink's {@code Mac} takes one array, so
 * every entry had to be built as one array of its fields' UTF-8 copies first: that copying cost
 * as much as the MAC itself (a profile of a create put 8% of its time in building the input and
 * 8% in the MAC). Not thread-safe; {@link AuditKey} keeps one per thread.
 *
 * <p>The HMAC (RFC 2104) is computed on the JDK's SHA-256 from the two digests of the padded key,
 * hashed once here and cloned for every MAC. The JDK's {@code Mac} hashes the padded key again at
 * every MAC: two of the eight SHA-256 blocks of a 300-byte audit entry, two of the five of a
 * secret's hash (figures in docs/decisions.md, session 8). It is checked against Tink's
 * {@code Mac} whenever the key opens, and by the tests.
 */
final class ChainMac {
  private static final int BLOCK = 64; // SHA-256's block, the HMAC key's padded length

  /** SHA-256 after the key XOR ipad block, and after the key XOR opad block. */
  private final MessageDigest innerStart;
  private final MessageDigest outerStart;
  private byte[] buffer = new byte[512];
  private int length;

  ChainMac(byte[] key) {
    byte[] padded = new byte[BLOCK];
    try {
      innerStart = MessageDigest.getInstance("SHA-256");
      outerStart = MessageDigest.getInstance("SHA-256");
      if (key.length > BLOCK) {
        // RFC 2104: a key longer than a block is hashed first (Tink's keys are 32 bytes).
        byte[] hashed = MessageDigest.getInstance("SHA-256").digest(key);
        System.arraycopy(hashed, 0, padded, 0, hashed.length);
        Arrays.fill(hashed, (byte) 0);
      } else {
        System.arraycopy(key, 0, padded, 0, key.length);
      }
      for (int i = 0; i < BLOCK; i++) {
        padded[i] ^= 0x36;
      }
      innerStart.update(padded);
      for (int i = 0; i < BLOCK; i++) {
        padded[i] ^= 0x36 ^ 0x5c;
      }
      outerStart.update(padded);
      innerStart.clone(); // fails here, not at the first MAC, where SHA-256 cannot be cloned
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 is not available as a cloneable digest", e);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
  }

  /** Starts a new input. */
  ChainMac begin() {
    length = 0;
    return this;
  }

  /** Appends {@code len} bytes of {@code b} from {@code off}, as they are. */
  void bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buffer, length, len);
    length += len;
  }

  /** Appends {@code b}'s length as 4 bytes big-endian, then {@code b}. */
  void field(byte[] b) {
    putInt(b.length);
    bytes(b, 0, b.length);
  }

  /** Appends 8 (the length of a long), then {@code v} big-endian. */
  void longField(long v) {
    putInt(8);
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (v >>> shift);
    }
  }

  /**
   * Appends {@code s} as a field of its UTF-8 bytes ({@link #field}), or -1 when null.
   * {@link String#getBytes} is the JDK's intrinsic copy for ASCII text, about twice as fast as
   * encoding char by char into the buffer (docs/decisions.md, session 8).
   */
  void text(String s) {
    if (s == null) {
      putInt(-1);
      return;
    }
    field(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The HMAC of what was appended since {@link #begin}; the buffer is wiped. */
  byte[] finish() {
    try {
      MessageDigest inner = (MessageDigest) innerStart.clone();
      inner.update(buffer, 0, length);
      byte[] innerHash = inner.digest();
      MessageDigest outer = (MessageDigest) outerStart.clone();
      outer.update(innerHash);
      return outer.digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 could be cloned once and not now", e);
    } finally {
      Arrays.fill(buffer, 0, length, (byte) 0);
      length = 0;
    }
  }

  private void putInt(int v) {
    ensure(4);
    buffer[length++] = (byte) (v >>> 24);
    buffer[length++] = (byte) (v >>> 16);
    buffer[length++] = (byte) (v >>> 8);
    buffer[length++] = (byte) v;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      byte[] bigger = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
      Arrays.fill(buffer, (byte) 0);
      buffer = bigger;
    }
  }

  @Override
  public String toString() {
    return "ChainMac[HMAC-SHA256]";
  }
}
