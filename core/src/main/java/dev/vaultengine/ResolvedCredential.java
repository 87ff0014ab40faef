package dev.vaultengine;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * A credential chosen for injection, with its token. The token prints as redacted.
 *
 * @param vaultId the vault it came from
 * @param credentialId the credential
 * @param mcpServerUrl the credential's URL as written
 * @param protocol MCP transport
 * @param accessToken the token, the only place plaintext leaves the engine
 * @param type {@code static_bearer} or {@code mcp_oauth}
 * @param expiresAt when the token expires, if known ({@code mcp_oauth})
 * @param refreshProblem why the token is not fresh, when it is due for refresh and could not be
 *     refreshed; empty when it is fresh
 */
public record ResolvedCredential(
    String vaultId,
    String credentialId,
    String mcpServerUrl,
    Protocol protocol,
    Secret accessToken,
    CredentialType type,
    Optional<Instant> expiresAt,
    Optional<RefreshProblem> refreshProblem) {

  /** A {@code static_bearer} credential: no expiry, never a refresh problem. */
  public ResolvedCredential(String vaultId, String credentialId, String mcpServerUrl,
      Protocol protocol, Secret accessToken) {
    this(vaultId, credentialId, mcpServerUrl, protocol, accessToken, CredentialType.STATIC_BEARER,
        Optional.empty(), Optional.empty());
  }

  /** The {@code Authorization} header value, {@code Bearer <token>}. */
  public String authorizationHeader() {
    return "Bearer " + accessToken.reveal();
  }

  /** Sets the {@code Authorization} header on {@code request} and returns it. */
  public HttpRequest.Builder applyTo(HttpRequest.Builder request) {
    return request.setHeader("Authorization", authorizationHeader());
  }

  /** True when the token has a known expiry at or before {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
  }
}
