package dev.vaultengine.spi;

import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuthMethod;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One refresh-token grant request (RFC 6749 section 6) as the engine hands it to a
 * {@link TokenRefresher}: everything an {@code mcp_oauth} credential's refresh block holds, with its
 * secrets decrypted for this one call. The secrets print as redacted; the engine destroys them when
 * the call returns.
 *
 * @param tokenEndpoint where to send the request
 * @param clientId the OAuth client id
 * @param authMethod how the client authenticates
 * @param clientSecret the client secret, or null for {@code none}
 * @param refreshToken the refresh token
 * @param scope the scope to ask for, if set
 * @param resource the RFC 8707 resource indicator, if set
 */
public record RefreshGrant(
    URI tokenEndpoint,
    String clientId,
    TokenEndpointAuthMethod authMethod,
    Secret clientSecret,
    Secret refreshToken,
    Optional<String> scope,
    Optional<String> resource) {

  /** Requires every part but the client secret, which {@code none} does not have. */
  public RefreshGrant {
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(authMethod, "authMethod");
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(resource, "resource");
    if (authMethod.needsSecret() != (clientSecret != null)) {
      throw new IllegalArgumentException("a client secret goes with exactly the secret methods");
    }
  }
}
