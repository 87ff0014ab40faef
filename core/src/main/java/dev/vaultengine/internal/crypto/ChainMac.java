package dev.vaultengine.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One thread's HMAC-SHA256 on the audit key, fed field by field into a buffer it reuses. The
 * audit key is a Tink keyset (generated, wrapped and parsed by Tink); its MAC, with tags without
 * prefix, is plain HMAC-SHA256, which this computes with the JDK's own HMAC on the key's bytes,
 * checked against Tink's primitive when the key is opened. Tink's {@code Mac} takes one array, so
 * every entry had to be built as one array of its fields' UTF-8 copies first: that copying cost
 * as much as the MAC itself (a profile of a create put 8% of its time in building the input and
 * 8% in the MAC). Not thread-safe; {@link AuditKey} keeps one per thread.
 */
final class ChainMac {
  private final Mac mac;
  private byte[] buffer = new byte[512];
  private int length;

  ChainMac(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
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
   * Appends {@code s} as a field of its UTF-8 bytes ({@link #field}), or -1 when null. Ids,
   * operations and outcomes are ASCII, encoded here without a copy; other text goes through
   * {@link String#getBytes}.
   */
  void text(String s) {
    if (s == null) {
      putInt(-1);
      return;
    }
    int n = s.length();
    int start = length;
    putInt(n);
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        length = start;
        field(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      buffer[length + i] = (byte) c;
    }
    length += n;
  }

  /** The HMAC of what was appended since {@link #begin}; the buffer is wiped. */
  byte[] finish() {
    try {
      mac.update(buffer, 0, length);
      return mac.doFinal();
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
