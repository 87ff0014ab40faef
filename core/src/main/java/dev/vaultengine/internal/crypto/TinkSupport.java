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

  /**
   * Tink's view of a project {@code KeyEncryptionKey}. A host's KEK is foreign code: a KMS SDK
   * throws unchecked exceptions, and a careless one may return null. Both become the
   * {@link GeneralSecurityException} the callers already turn into their {@code api_error} ("the
   * KEK cannot unwrap...", "nothing was changed"), so neither reaches the caller raw. A
   * {@link VaultException} (the project's own KEKs say why they cannot load) passes unchanged.
   */
  static Aead asAead(dev.vaultengine.KeyEncryptionKey kek) {
    return new Aead() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData)
          throws GeneralSecurityException {
        return guarded(() -> kek.encrypt(plaintext, associatedData), "encrypt");
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
          throws GeneralSecurityException {
        return guarded(() -> kek.decrypt(ciphertext, associatedData), "decrypt");
      }
    };
  }

  /** One call into a host's KEK. */
  private interface KekCall {
    byte[] run() throws GeneralSecurityException;
  }

  private static byte[] guarded(KekCall call, String what) throws GeneralSecurityException {
    byte[] result;
    try {
      result = call.run();
    } catch (VaultException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new GeneralSecurityException("the key-encryption key failed to " + what, e);
    }
    if (result == null) {
      throw new GeneralSecurityException("the key-encryption key returned no bytes");
    }
    return result;
  }

  static VaultException apiError(String message) {
    return VaultException.api(message, null);
  }
}
