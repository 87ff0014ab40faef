package dev.vaultengine.spi;

import java.util.Objects;

/**
 * The encrypted secrets of one credential, all made by one data key so that "rows still on an old
 * key" stays one indexed column: the primary secret ({@code access_token} of the MCP kinds,
 * {@code secret_value} of an {@code environment_variable}) and, for an {@code mcp_oauth} credential
 * with a refresh grant, its {@code refresh_token} and {@code client_secret}. Each ciphertext is
 * bound to its credential and field, so one moved to another row or field does not decrypt.
 *
 * @param token the primary secret
 * @param refreshToken the refresh token, or null
 * @param clientSecret the client secret, or null
 */
public record EncryptedSecrets(EncryptedToken token, EncryptedToken refreshToken,
    EncryptedToken clientSecret) {

  /**
   * Requires the primary secret, and every secret on the same data key.
   *
   * @throws IllegalArgumentException when the secrets are on different keys
   */
  public EncryptedSecrets {
    Objects.requireNonNull(token, "token");
    if (refreshToken != null && refreshToken.keyId() != token.keyId()
        || clientSecret != null && clientSecret.keyId() != token.keyId()) {
      throw new IllegalArgumentException("a credential's secrets must share one data key");
    }
  }

  /** Only a primary secret. */
  public static EncryptedSecrets of(EncryptedToken token) {
    return new EncryptedSecrets(token, null, null);
  }

  /** The id of the data key every secret here was made with. */
  public int keyId() {
    return token.keyId();
  }
}
