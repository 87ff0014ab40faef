package dev.vaultengine;

import java.time.Instant;
import java.util.Optional;

/**
 * What a credential is, beside what every credential has: the closed set of kinds, each with its
 * non-secret fields. Secrets are never part of a kind; they are write-only.
 */
public sealed interface CredentialKind
    permits CredentialKind.StaticBearer, CredentialKind.McpOAuth,
        CredentialKind.EnvironmentVariable {

  /** The {@code type} of this kind. */
  CredentialType type();

  /**
   * The URL a session matches for the MCP kinds, exactly as written; null for
   * {@code environment_variable}.
   */
  default String mcpServerUrl() {
    return null;
  }

  /** The MCP transport for the MCP kinds; null for {@code environment_variable}. */
  default Protocol protocol() {
    return null;
  }

  /**
   * {@code static_bearer}: a fixed token for one MCP server.
   *
   * @param mcpServerUrl the URL exactly as written
   * @param protocol the MCP transport
   */
  record StaticBearer(String mcpServerUrl, Protocol protocol) implements CredentialKind {
    @Override
    public CredentialType type() {
      return CredentialType.STATIC_BEARER;
    }
  }

  /**
   * {@code mcp_oauth}: an OAuth access token for one MCP server.
   *
   * @param mcpServerUrl the URL exactly as written
   * @param protocol the MCP transport
   * @param expiresAt when the access token expires, if known
   * @param refresh the refresh grant, if the credential has one
   */
  record McpOAuth(String mcpServerUrl, Protocol protocol, Optional<Instant> expiresAt,
      Optional<OAuthRefresh> refresh) implements CredentialKind {
    @Override
    public CredentialType type() {
      return CredentialType.MCP_OAUTH;
    }
  }

  /**
   * {@code environment_variable}: a named secret a tool sees only as a placeholder.
   *
   * @param secretName the variable's name, unique among the vault's active credentials
   * @param networking the hosts its value may be sent to
   * @param injectionLocation where in a request its value may be substituted
   */
  record EnvironmentVariable(String secretName, Networking networking,
      InjectionLocation injectionLocation) implements CredentialKind {
    @Override
    public CredentialType type() {
      return CredentialType.ENVIRONMENT_VARIABLE;
    }
  }
}
