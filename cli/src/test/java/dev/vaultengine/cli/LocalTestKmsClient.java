package dev.vaultengine.cli;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A KMS for the CLI tests, found through META-INF/services like a real KMS integration jar. */
public final class LocalTestKmsClient implements KmsClient {
  private static final Map<String, Aead> KEYS = new ConcurrentHashMap<>();

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null && keyUri.startsWith("cli-test-kms://");
  }

  @Override
  public KmsClient withCredentials(String credentialPath) {
    return this;
  }

  @Override
  public KmsClient withDefaultCredentials() {
    return this;
  }

  @Override
  public Aead getAead(String keyUri) throws GeneralSecurityException {
    AeadConfig.register();
    Aead aead = KEYS.get(keyUri);
    if (aead == null) {
      aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
          RegistryConfiguration.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
      KEYS.putIfAbsent(keyUri, aead);
    }
    return KEYS.get(keyUri);
  }
}
