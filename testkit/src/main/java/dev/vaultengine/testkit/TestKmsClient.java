package dev.vaultengine.testkit;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Tink {@code KmsClient} for tests: key URIs {@code test-kms://NAME}, one random AES-256-GCM key
 * per name, held in memory for the life of the JVM. Register it with {@code KmsClients.add}, or
 * list it in {@code META-INF/services/com.google.crypto.tink.KmsClient}.
 */
public final class TestKmsClient implements KmsClient {
  /** The URI scheme this client serves. */
  public static final String PREFIX = "test-kms://";
  private static final Map<String, Aead> KEYS = new ConcurrentHashMap<>();

  /** A client for every {@code test-kms://} URI. */
  public TestKmsClient() {}

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null && keyUri.startsWith(PREFIX);
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
    if (!doesSupport(keyUri)) {
      throw new GeneralSecurityException("unsupported key URI");
    }
    AeadConfig.register();
    Aead existing = KEYS.get(keyUri);
    if (existing != null) {
      return existing;
    }
    Aead fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
        RegistryConfiguration.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
    Aead raced = KEYS.putIfAbsent(keyUri, fresh);
    return raced != null ? raced : fresh;
  }
}
