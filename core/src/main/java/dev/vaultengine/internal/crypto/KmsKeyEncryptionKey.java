package dev.vaultengine.internal.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClients;
import java.security.GeneralSecurityException;

/**
 * A KEK held by a KMS, reached through the Tink {@code KmsClient} registered for its URI. Looked up
 * on first use so that the client may be registered after the engine is configured.
 */
public final class KmsKeyEncryptionKey extends LazyAeadKek {
  private final String keyUri;

  /** A KEK for {@code keyUri}. */
  public KmsKeyEncryptionKey(String keyUri) {
    this.keyUri = requireNonNull(keyUri, "keyUri");
  }

  @Override
  Aead load() {
    try {
      return KmsClients.get(keyUri).getAead(keyUri);
    } catch (GeneralSecurityException e) {
      throw TinkSupport.apiError("No Tink KmsClient can serve the KEK URI '" + keyUri
          + "'; register one with com.google.crypto.tink.KmsClients.add.");
    }
  }

  @Override
  public String toString() {
    return "KmsKeyEncryptionKey[" + keyUri + "]";
  }
}
