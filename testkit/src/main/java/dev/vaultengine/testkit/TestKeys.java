package dev.vaultengine.testkit;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.KeyEncryptionKey;
import java.security.GeneralSecurityException;

/** Key-encryption keys for tests: a fresh random one per call, held only in memory. */
public final class TestKeys {
  private TestKeys() {}

  /** A new random in-memory KEK (AES-256-GCM). */
  public static KeyEncryptionKey randomKek() {
    try {
      AeadConfig.register();
      Aead aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
              RegistryConfiguration.get())
          .getPrimitive(RegistryConfiguration.get(), Aead.class);
      return new KeyEncryptionKey() {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData)
            throws GeneralSecurityException {
          return aead.encrypt(plaintext, associatedData);
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData)
            throws GeneralSecurityException {
          return aead.decrypt(ciphertext, associatedData);
        }

        @Override
        public String toString() {
          return "TestKeys.randomKek";
        }
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not make a test key", e);
    }
  }
}
