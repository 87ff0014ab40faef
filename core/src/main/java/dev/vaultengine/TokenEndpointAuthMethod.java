package dev.vaultengine;

/** How an OAuth client authenticates at the token endpoint ({@code token_endpoint_auth.type}). */
public enum TokenEndpointAuthMethod {
  /** A public client: {@code client_id} in the request body, no secret. */
  NONE("none"),
  /** {@code client_secret} in an HTTP Basic {@code Authorization} header (RFC 6749 2.3.1). */
  CLIENT_SECRET_BASIC("client_secret_basic"),
  /** {@code client_id} and {@code client_secret} in the request body. */
  CLIENT_SECRET_POST("client_secret_post");

  private final String wireName;

  TokenEndpointAuthMethod(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON value, such as {@code client_secret_basic}. */
  public String wireName() {
    return wireName;
  }

  /** True when this method sends a {@code client_secret}. */
  public boolean needsSecret() {
    return this != NONE;
  }

  /**
   * Parses a JSON value.
   *
   * @throws VaultException.InvalidRequest about {@code param} for null or any other value
   */
  public static TokenEndpointAuthMethod fromWire(String value, String param) {
    return WireNames.parse(TokenEndpointAuthMethod.class, values(),
        TokenEndpointAuthMethod::wireName, value, param);
  }
}
