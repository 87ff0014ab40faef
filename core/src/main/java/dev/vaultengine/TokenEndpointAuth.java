package dev.vaultengine;

/**
 * {@code refresh.token_endpoint_auth} of a request: the method, and the client secret the two
 * secret methods need (write-only; refused for {@code none}).
 *
 * @param type how the client authenticates
 * @param clientSecret the client secret, or null (in an update: keep the stored one)
 */
public record TokenEndpointAuth(TokenEndpointAuthMethod type, Secret clientSecret) {

  /** A public client. */
  public static TokenEndpointAuth none() {
    return new TokenEndpointAuth(TokenEndpointAuthMethod.NONE, null);
  }

  /** {@code client_secret_basic} with {@code clientSecret}. */
  public static TokenEndpointAuth basic(Secret clientSecret) {
    return new TokenEndpointAuth(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, clientSecret);
  }

  /** {@code client_secret_post} with {@code clientSecret}. */
  public static TokenEndpointAuth post(Secret clientSecret) {
    return new TokenEndpointAuth(TokenEndpointAuthMethod.CLIENT_SECRET_POST, clientSecret);
  }
}
