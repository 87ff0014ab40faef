package dev.vaultengine.testkit;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import dev.vaultengine.CredentialType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.VaultStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Reads a stored credential's secrets without the engine: unwraps the store's data keyset with the
 * KEK and decrypts each secret with the associated data of the stored format (format 1, no field,
 * for a {@code static_bearer} token, as every database made before the other kinds holds it;
 * format 2, ending with the field's name, for every other secret). The engine never gives a refresh
 * token or a client secret back, so this is how the contract checks that each one holds exactly
 * the value written, and that a ciphertext is bound to its row and field. It also pins the stored
 * format: a change under which old rows no longer decrypt fails here.
 */
final class StoredSecrets {
  /** A secret field of a stored row. */
  enum Field {
    /** The primary secret of the MCP kinds. */
    ACCESS_TOKEN("access_token"),
    /** The primary secret of an {@code environment_variable}. */
    SECRET_VALUE("secret_value"),
    /** An {@code mcp_oauth} refresh token. */
    REFRESH_TOKEN("refresh_token"),
    /** An {@code mcp_oauth} client secret. */
    CLIENT_SECRET("client_secret");

    final String wireName;

    Field(String wireName) {
      this.wireName = wireName;
    }

    /** The primary field of {@code type}. */
    static Field primary(CredentialType type) {
      return type == CredentialType.ENVIRONMENT_VARIABLE ? SECRET_VALUE : ACCESS_TOKEN;
    }
  }

  /** Thrown when a stored secret does not decrypt at its place; never holds a secret. */
  static final class Undecryptable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Undecryptable(String message) {
      super(message);
    }
  }

  private static final byte[] KEYSET_AAD =
      "vault-engine/data-keyset/v1".getBytes(StandardCharsets.UTF_8);
  private static final String LABEL = "vault-engine/token";

  private final Aead aead;

  private StoredSecrets(Aead aead) {
    this.aead = aead;
  }

  /** A reader of {@code store}'s secrets as its keyset stands now. */
  static StoredSecrets of(VaultStore store, KeyEncryptionKey kek) {
    byte[] wrapped = store.loadKeyset().orElseThrow(
        () -> new AssertionError("the store holds no data keyset"));
    try {
      AeadConfig.register();
      Aead kekAead = new Aead() {
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
      KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kekAead,
          KEYSET_AAD);
      return new StoredSecrets(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("the KEK does not unwrap the store's data keyset", e);
    }
  }

  /**
   * The secret {@code field} of {@code row} in clear, or null when the row holds none.
   *
   * @throws Undecryptable when the ciphertext is not this row's and field's
   */
  String read(CredentialRow row, Field field) {
    EncryptedSecrets secrets = row.secrets();
    if (secrets == null) {
      return null;
    }
    EncryptedToken token = switch (field) {
      case ACCESS_TOKEN, SECRET_VALUE -> field == Field.primary(row.type()) ? secrets.token() : null;
      case REFRESH_TOKEN -> secrets.refreshToken();
      case CLIENT_SECRET -> secrets.clientSecret();
    };
    if (token == null) {
      return null;
    }
    try {
      byte[] plain = aead.decrypt(token.ciphertext(), associatedData(row, field));
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new Undecryptable("the stored " + field.wireName + " of credential '" + row.id()
          + "' does not decrypt at its place");
    }
  }

  /** True when {@code field} of {@code row} is absent or decrypts at its place. */
  boolean decrypts(CredentialRow row, Field field) {
    try {
      read(row, field);
      return true;
    } catch (Undecryptable e) {
      return false;
    }
  }

  /** The associated data a secret of {@code row} is bound to, as the stored format defines it. */
  static byte[] associatedData(CredentialRow row, Field field) {
    boolean format1 = row.type() == CredentialType.STATIC_BEARER && field == Field.ACCESS_TOKEN;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lengthPrefixed(out, LABEL);
    int version = format1 ? 1 : 2;
    out.write(version >>> 24);
    out.write(version >>> 16);
    out.write(version >>> 8);
    out.write(version);
    lengthPrefixed(out, row.accountId());
    lengthPrefixed(out, row.vaultId());
    lengthPrefixed(out, row.id());
    lengthPrefixed(out, row.type().wireName());
    if (!format1) {
      lengthPrefixed(out, field.wireName);
    }
    return out.toByteArray();
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.writeBytes(b);
  }
}
