package dev.vaultengine;

/**
 * The {@code refresh} object of an update: a merge patch of an {@code mcp_oauth} credential's
 * refresh grant. {@code token_endpoint} and {@code client_id} are locked after creation and refused
 * when given; {@code scope} and {@code resource} given as null are cleared; a secret given replaces
 * the stored one, a secret omitted is kept.
 *
 * @param tokenEndpoint locked: must be omitted
 * @param clientId locked: must be omitted
 * @param scope a new scope, or cleared
 * @param resource a new resource indicator, or cleared
 * @param refreshToken a new refresh token (cannot be cleared: clear the whole block instead)
 * @param tokenEndpointAuth a new client authentication; its {@code client_secret} may be null to
 *     keep the stored one when the method still needs one
 */
public record RefreshPatch(
    Patch<String> tokenEndpoint,
    Patch<String> clientId,
    Patch<String> scope,
    Patch<String> resource,
    Patch<Secret> refreshToken,
    Patch<TokenEndpointAuth> tokenEndpointAuth) {

  /** A null field is omitted. */
  public RefreshPatch {
    tokenEndpoint = UpdateCredentialRequest.orOmitted(tokenEndpoint);
    clientId = UpdateCredentialRequest.orOmitted(clientId);
    scope = UpdateCredentialRequest.orOmitted(scope);
    resource = UpdateCredentialRequest.orOmitted(resource);
    refreshToken = UpdateCredentialRequest.orOmitted(refreshToken);
    tokenEndpointAuth = UpdateCredentialRequest.orOmitted(tokenEndpointAuth);
  }

  /** Every field omitted: patch nothing. */
  public static RefreshPatch empty() {
    return new RefreshPatch(Patch.omitted(), Patch.omitted(), Patch.omitted(), Patch.omitted(),
        Patch.omitted(), Patch.omitted());
  }

  /** True when no field is given. */
  public boolean isEmpty() {
    return !tokenEndpoint.given() && !clientId.given() && !scope.given() && !resource.given()
        && !refreshToken.given() && !tokenEndpointAuth.given();
  }

  /** This patch with {@code scope} given. */
  public RefreshPatch withScope(String value) {
    return new RefreshPatch(tokenEndpoint, clientId, Patch.of(value), resource, refreshToken,
        tokenEndpointAuth);
  }

  /** This patch with {@code resource} given. */
  public RefreshPatch withResource(String value) {
    return new RefreshPatch(tokenEndpoint, clientId, scope, Patch.of(value), refreshToken,
        tokenEndpointAuth);
  }

  /** This patch with a new {@code refresh_token}. */
  public RefreshPatch withRefreshToken(Secret value) {
    return new RefreshPatch(tokenEndpoint, clientId, scope, resource, Patch.of(value),
        tokenEndpointAuth);
  }

  /** This patch with a new {@code token_endpoint_auth}. */
  public RefreshPatch withTokenEndpointAuth(TokenEndpointAuth value) {
    return new RefreshPatch(tokenEndpoint, clientId, scope, resource, refreshToken,
        Patch.of(value));
  }

  /** This patch with {@code token_endpoint} given (which the service refuses: it is locked). */
  public RefreshPatch withTokenEndpoint(String value) {
    return new RefreshPatch(Patch.of(value), clientId, scope, resource, refreshToken,
        tokenEndpointAuth);
  }

  /** This patch with {@code client_id} given (which the service refuses: it is locked). */
  public RefreshPatch withClientId(String value) {
    return new RefreshPatch(tokenEndpoint, Patch.of(value), scope, resource, refreshToken,
        tokenEndpointAuth);
  }
}
