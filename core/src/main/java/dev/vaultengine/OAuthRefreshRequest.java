package dev.vaultengine;

/**
 * The {@code refresh} block of an {@code mcp_oauth} create request. Unvalidated: the service
 * checks every field and names the bad one ({@code refresh.client_id}, ...).
 *
 * @param tokenEndpoint the OAuth token endpoint: https, or http only for a loopback host
 * @param clientId 1-1024 characters
 * @param scope the scope to ask for, or null
 * @param resource the RFC 8707 resource indicator (an absolute URI), or null
 * @param refreshToken the write-only refresh token, 1-8192 characters
 * @param tokenEndpointAuth the client authentication; null means {@code none}
 */
public record OAuthRefreshRequest(
    String tokenEndpoint,
    String clientId,
    String scope,
    String resource,
    Secret refreshToken,
    TokenEndpointAuth tokenEndpointAuth) {}
