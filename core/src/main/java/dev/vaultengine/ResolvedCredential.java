package dev.vaultengine;

import java.net.http.HttpRequest;

/**
 * A credential chosen for injection, with its token. The token prints as redacted.
 *
 * @param vaultId the vault it came from
 * @param credentialId the credential
 * @param mcpServerUrl the credential's URL as written
 * @param protocol MCP transport
 * @param accessToken the token, the only place plaintext leaves the engine
 */
public record ResolvedCredential(
    String vaultId, String credentialId, String mcpServerUrl, Protocol protocol, Secret accessToken) {

  /** The {@code Authorization} header value, {@code Bearer <token>}. */
  public String authorizationHeader() {
    return "Bearer " + accessToken.reveal();
  }

  /** Sets the {@code Authorization} header on {@code request} and returns it. */
  public HttpRequest.Builder applyTo(HttpRequest.Builder request) {
    return request.setHeader("Authorization", authorizationHeader());
  }
}
