package dev.vaultengine.internal.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.VaultException;
import java.security.GeneralSecurityException;

/** Registers Tink's AEAD key types once and hands out the configuration to build primitives. */
final class TinkSupport {
  private static final Configuration CONFIGURATION = init();

  private TinkSupport() {}

  private static Configuration init() {
    try {
      AeadConfig.register();
      return RegistryConfiguration.get();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static Configuration configuration() {
    return CONFIGURATION;
  }

  /** A new keyset of one AES-256-GCM key; AEAD is registered first, whatever ran before. */
  static KeysetHandle newAes256GcmKeyset() throws GeneralSecurityException {
    return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, CONFIGURATION);
  }

  /** Tink's view of a project {@code KeyEncryptionKey}. */
  static Aead asAead(dev.vaultengine.KeyEncryptionKey kek) {
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        return kek.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        return kek.decrypt(ciphertext, associatedData);
      }
    };
  }

  static VaultException apiError(String message) {
    return VaultException.api(message, null);
  }
}
