package dev.vaultengine.internal;

import dev.vaultengine.Secret;
import java.util.Objects;
import java.util.function.Function;

/**
 * The engine's one way to a {@link Secret}'s UTF-8 bytes, which encryption and validation need and
 * no caller should: {@code Secret} keeps that method package-private and hands it to this class
 * when it is first loaded. Not exported, so only core reaches it.
 */
public final class SecretBytes {
  private static volatile Function<Secret, byte[]> reader;

  private SecretBytes() {}

  /** Called once, by {@code Secret}'s static initializer. */
  public static synchronized void install(Function<Secret, byte[]> utf8) {
    if (reader != null) {
      throw new IllegalStateException("already installed");
    }
    reader = Objects.requireNonNull(utf8, "utf8");
  }

  /**
   * A fresh copy of {@code secret}'s UTF-8 bytes; the caller clears it after use.
   *
   * @throws IllegalStateException if the secret was destroyed
   */
  public static byte[] utf8(Secret secret) {
    // Holding a Secret means its class, and so its static initializer, has run.
    return reader.apply(secret);
  }
}
