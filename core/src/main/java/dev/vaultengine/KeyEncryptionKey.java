package dev.vaultengine;

import dev.vaultengine.internal.crypto.KmsKeyEncryptionKey;
import dev.vaultengine.internal.crypto.LocalKeysetFileKek;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The key-encryption key (KEK) that wraps the engine's data keyset. It is used once when the engine
 * opens and when keys rotate, never per token. Implement it to plug in any key service; the
 * factories cover a local keyset file and any Tink {@code KmsClient} key URI.
 */
public interface KeyEncryptionKey {

  /** Authenticated encryption of {@code plaintext} bound to {@code associatedData}. */
  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /**
   * Decrypts what {@link #encrypt} produced under the same associated data.
   *
   * @throws GeneralSecurityException when the ciphertext was not made by this key
   */
  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;

  /**
   * A KEK kept in a local Tink keyset file, created on first use with owner-only permissions. On
   * a POSIX file system, a file with any permission beyond its owner's read and write (as
   * {@code chmod 600} leaves it) is refused when the engine opens, and so is a directory.
   */
  static KeyEncryptionKey localKeysetFile(Path file) {
    return new LocalKeysetFileKek(file);
  }

  /**
   * A KEK held by a key management service, reached through the Tink {@code KmsClient} registered
   * for {@code keyUri} (for example {@code gcp-kms://...} or {@code aws-kms://...}).
   */
  static KeyEncryptionKey kmsKeyUri(String keyUri) {
    return new KmsKeyEncryptionKey(keyUri);
  }
}
