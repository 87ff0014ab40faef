package dev.vaultengine.internal;

import java.nio.charset.StandardCharsets;

/**
 * Lowercase hex for the write path's ids and HMACs. {@link java.util.HexFormat} (JDK 17) formats
 * through a {@code StringBuilder} one character at a time: in a profile of an in-memory create,
 * formatting the secret's 32-byte audit HMAC took a quarter of that hash's time, and the event id
 * was formatted that way too. This writes the digits into one array that becomes the string.
 * It only formats: the few places that parse hex do so where they read it.
 */
public final class Hex {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Hex() {}

  /** The lowercase hex digits of {@code bytes}, two per byte. */
  public static String of(byte[] bytes) {
    byte[] out = new byte[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** {@code prefix} (ASCII) followed by the 32 lowercase hex digits of {@code high, low}. */
  static String of(byte[] prefix, long high, long low) {
    byte[] out = new byte[prefix.length + 32];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    put(out, prefix.length, high);
    put(out, prefix.length + 16, low);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static void put(byte[] out, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = DIGITS[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
