package dev.vaultengine;

import java.util.Optional;

/**
 * The refresh grant of an {@code mcp_oauth} credential as the API returns it: everything but its
 * secrets ({@code refresh_token} and {@code client_secret} are write-only).
 *
 * @param tokenEndpoint the OAuth token endpoint (https, or http on a loopback host)
 * @param clientId the OAuth client id
 * @param scope the scope to ask for, if any
 * @param resource the RFC 8707 resource indicator, if any
 * @param tokenEndpointAuth how the client authenticates at the token endpoint
 */
public record OAuthRefresh(
    String tokenEndpoint,
    String clientId,
    Optional<String> scope,
    Optional<String> resource,
    TokenEndpointAuthMethod tokenEndpointAuth) {}
