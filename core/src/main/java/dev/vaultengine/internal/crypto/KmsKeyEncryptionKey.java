package dev.vaultengine.internal.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClients;
import dev.vaultengine.KeyEncryptionKey;
import java.security.GeneralSecurityException;

/**
 * A KEK held by a KMS, reached through the Tink {@code KmsClient} registered for its URI. Looked up
 * on first use so that the client may be registered after the engine is configured.
 */
public final class KmsKeyEncryptionKey implements KeyEncryptionKey {
  private final String keyUri;
  private volatile Aead aead;

  /** A KEK for {@code keyUri}. */
  public KmsKeyEncryptionKey(String keyUri) {
    this.keyUri = requireNonNull(keyUri, "keyUri");
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead().encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    return aead().decrypt(ciphertext, associatedData);
  }

  private Aead aead() {
    Aead a = aead;
    if (a == null) {
      try {
        a = KmsClients.get(keyUri).getAead(keyUri);
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("No Tink KmsClient can serve the KEK URI '" + keyUri
            + "'; register one with com.google.crypto.tink.KmsClients.add.");
      }
      aead = a;
    }
    return a;
  }

  @Override
  public String toString() {
    return "KmsKeyEncryptionKey[" + keyUri + "]";
  }
}
