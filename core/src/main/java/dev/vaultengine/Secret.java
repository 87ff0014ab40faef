package dev.vaultengine;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A token value that does not print. {@code toString} is redacted, the class is not
 * {@code Serializable}, equality is identity (use {@link #sameAs} for a constant-time comparison),
 * and {@link #destroy()} wipes the engine's copy of the characters.
 */
public final class Secret implements Destroyable {
  private final char[] value;
  private volatile boolean destroyed;

  private Secret(char[] value) {
    this.value = value;
  }

  /**
   * Wraps a token. The string itself cannot be wiped; prefer {@link #of(char[])} where the caller
   * holds the token in an array it can clear.
   *
   * @throws NullPointerException never: a null token is rejected when a request is validated, so
   *     this returns a secret that reports {@link #isNull()}
   */
  public static Secret of(String value) {
    return new Secret(value == null ? null : value.toCharArray());
  }

  /** Wraps a copy of {@code value}; the caller may clear its array afterwards. */
  public static Secret of(char[] value) {
    return new Secret(value == null ? null : value.clone());
  }

  /** True when this secret was made from a null value (and so fails validation). */
  public boolean isNull() {
    return value == null;
  }

  /** Number of UTF-16 characters. */
  public int length() {
    checkUsable();
    return value.length;
  }

  /**
   * The token in clear. Call it only where the token must leave the process, such as an
   * {@code Authorization} header.
   *
   * @throws IllegalStateException if destroyed
   */
  public String reveal() {
    checkUsable();
    return new String(value);
  }

  /** The token as UTF-8 bytes, for encryption; the caller should clear the array after use. */
  public byte[] revealUtf8() {
    checkUsable();
    var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }

  /** An independent copy: destroying one does not affect the other. */
  public Secret copy() {
    checkUsable();
    return new Secret(value.clone());
  }

  /** Constant-time comparison of two secrets' values. */
  public boolean sameAs(Secret other) {
    if (other == null || value == null || other.value == null) {
      return false;
    }
    checkUsable();
    other.checkUsable();
    byte[] a = revealUtf8();
    byte[] b = other.revealUtf8();
    try {
      return MessageDigest.isEqual(a, b);
    } finally {
      Arrays.fill(a, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Wipes the characters; later use throws {@link IllegalStateException}. */
  @Override
  public void destroy() {
    if (value != null) {
      Arrays.fill(value, '\0');
    }
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Always {@code Secret[redacted]}, whatever the value. */
  @Override
  public String toString() {
    return "Secret[redacted]";
  }

  private void checkUsable() {
    if (destroyed) {
      throw new IllegalStateException("Secret has been destroyed");
    }
    if (value == null) {
      throw new IllegalStateException("Secret is null");
    }
  }
}
