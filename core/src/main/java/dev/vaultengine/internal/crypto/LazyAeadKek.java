package dev.vaultengine.internal.crypto;

import com.google.crypto.tink.Aead;
import dev.vaultengine.KeyEncryptionKey;
import java.security.GeneralSecurityException;

/**
 * A KEK whose Tink {@link Aead} is found on first use (a key file read, a KMS client looked up) and
 * then kept: what the local-file and KMS KEKs share.
 */
abstract class LazyAeadKek implements KeyEncryptionKey {
  private volatile Aead aead;

  /** Finds the AEAD; called at most once while it succeeds, and again after it threw. */
  abstract Aead load();

  @Override
  public final byte[] encrypt(byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    return aead().encrypt(plaintext, associatedData);
  }

  @Override
  public final byte[] decrypt(byte[] ciphertext, byte[] associatedData)
      throws GeneralSecurityException {
    return aead().decrypt(ciphertext, associatedData);
  }

  private Aead aead() {
    Aead a = aead;
    if (a == null) {
      synchronized (this) {
        if (aead == null) {
          aead = load();
        }
        a = aead;
      }
    }
    return a;
  }
}
