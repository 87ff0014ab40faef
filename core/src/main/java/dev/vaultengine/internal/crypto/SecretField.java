package dev.vaultengine.internal.crypto;

/**
 * The secret fields a credential can hold. A ciphertext is bound to its field by associated data,
 * so a refresh token moved into the access-token column (or the other way round) does not decrypt.
 */
public enum SecretField {
  /** The primary secret of the MCP kinds. */
  ACCESS_TOKEN("access_token"),
  /** The primary secret of an {@code environment_variable}. */
  SECRET_VALUE("secret_value"),
  /** An {@code mcp_oauth} refresh token. */
  REFRESH_TOKEN("refresh_token"),
  /** An {@code mcp_oauth} client secret. */
  CLIENT_SECRET("client_secret");

  private final String wireName;

  SecretField(String wireName) {
    this.wireName = wireName;
  }

  /** The request field's name. */
  public String wireName() {
    return wireName;
  }
}
