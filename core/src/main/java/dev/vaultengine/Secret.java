package dev.vaultengine;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A token value that does not print. {@code toString} is redacted, the class is not
 * {@code Serializable}, equality is identity (use {@link #sameAs} for a constant-time comparison),
 * and {@link #destroy()} wipes the engine's copy of the value.
 *
 * <p>The value is held as UTF-8 bytes, the form it is encrypted and compared in, so handing it to
 * encryption or copying it for a caller moves half the bytes of a {@code char[]} and converts
 * nothing. A character that has no UTF-8 form (a lone surrogate) is held as U+FFFD, which no token
 * rule accepts.
 */
public final class Secret implements Destroyable {
  static {
    dev.vaultengine.internal.SecretBytes.install(Secret::revealUtf8);
  }

  /** U+FFFD in UTF-8: what a lone surrogate becomes, so that it can never pass as ASCII. */
  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private final byte[] utf8;
  private final int length;
  private volatile boolean destroyed;

  private Secret(byte[] utf8, int length) {
    this.utf8 = utf8;
    this.length = length;
  }

  /**
   * Wraps a token. The string itself cannot be wiped; prefer {@link #of(char[])} where the caller
   * holds the token in an array it can clear.
   *
   * @throws NullPointerException never: a null token is rejected when a request is validated, so
   *     this returns a secret that reports {@link #isNull()}
   */
  public static Secret of(String value) {
    if (value == null) {
      return new Secret(null, 0);
    }
    char[] chars = value.toCharArray();
    try {
      return of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Wraps a copy of {@code value}; the caller may clear its array afterwards. */
  public static Secret of(char[] value) {
    if (value == null) {
      return new Secret(null, 0);
    }
    return new Secret(encode(value), value.length);
  }

  /**
   * Wraps a copy of {@code utf8}, a token in UTF-8; the caller may clear its array afterwards.
   *
   * @throws IllegalArgumentException if the bytes are not well-formed UTF-8 (the message never
   *     contains them)
   */
  public static Secret ofUtf8(byte[] utf8) {
    if (utf8 == null) {
      return new Secret(null, 0);
    }
    return new Secret(utf8.clone(), utf16Length(utf8));
  }

  /** True when this secret was made from a null value (and so fails validation). */
  public boolean isNull() {
    return utf8 == null;
  }

  /** Number of UTF-16 characters. */
  public int length() {
    checkUsable();
    return length;
  }

  /**
   * The token in clear. Call it only where the token must leave the process, such as an
   * {@code Authorization} header.
   *
   * @throws IllegalStateException if destroyed
   */
  public String reveal() {
    checkUsable();
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /**
   * The token as UTF-8 bytes, for encryption; the caller should clear the array after use. Not
   * public: the engine reaches it through {@code internal.SecretBytes}, a caller never needs it.
   */
  byte[] revealUtf8() {
    checkUsable();
    return utf8.clone();
  }

  /**
   * An independent copy: destroying one does not affect the other.
   *
   * @throws IllegalStateException if destroyed, also when {@link #destroy()} runs in another
   *     thread while the value is being copied (the half-wiped copy is wiped and not returned)
   */
  public Secret copy() {
    checkUsable();
    byte[] copy = utf8.clone();
    // A seqlock read, as in StampedLock.validate: destroy() marks before it wipes, so a copy that
    // may have seen any wiped byte sees the mark once its own loads are fenced off from this one.
    VarHandle.acquireFence();
    if (destroyed) {
      Arrays.fill(copy, (byte) 0);
      throw new IllegalStateException("Secret has been destroyed");
    }
    return new Secret(copy, length);
  }

  /** Constant-time comparison of two secrets' values. */
  public boolean sameAs(Secret other) {
    if (other == null || utf8 == null || other.utf8 == null) {
      return false;
    }
    checkUsable();
    other.checkUsable();
    return MessageDigest.isEqual(utf8, other.utf8);
  }

  /** Wipes the value; later use throws {@link IllegalStateException}. */
  @Override
  public void destroy() {
    destroyed = true; // first: see copy()
    if (utf8 != null) {
      Arrays.fill(utf8, (byte) 0);
    }
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
    if (utf8 == null) {
      throw new IllegalStateException("Secret is null");
    }
  }

  /**
   * UTF-8 of {@code chars} in an array of exactly its size. Tokens are ASCII in practice, where
   * UTF-8 is the characters themselves; anything else goes through the JDK's encoder, whose
   * scratch buffer is wiped.
   */
  private static byte[] encode(char[] chars) {
    byte[] ascii = new byte[chars.length];
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 0x80) {
        Arrays.fill(ascii, (byte) 0);
        return encodeWithEncoder(chars);
      }
      ascii[i] = (byte) c;
    }
    return ascii;
  }

  private static byte[] encodeWithEncoder(char[] chars) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(REPLACEMENT);
    // At most three bytes per UTF-16 char; a surrogate pair is four bytes for two chars.
    ByteBuffer out = ByteBuffer.allocate(chars.length * 3);
    try {
      encoder.encode(CharBuffer.wrap(chars), out, true);
      encoder.flush(out);
      return Arrays.copyOf(out.array(), out.position());
    } finally {
      Arrays.fill(out.array(), (byte) 0);
    }
  }

  private static int utf16Length(byte[] utf8) {
    boolean ascii = true;
    for (byte b : utf8) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return utf8.length;
    }
    CharBuffer chars;
    try {
      chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("The value is not well-formed UTF-8.");
    }
    Arrays.fill(chars.array(), '\0');
    return chars.remaining();
  }
}
