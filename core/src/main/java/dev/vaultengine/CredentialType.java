package dev.vaultengine;

/**
 * Kind of credential, the {@code type} field of a request and a response. The seeds know only
 * {@code static_bearer}; the newer hosted Vaults APIs add the other two.
 */
public enum CredentialType {
  /** A fixed token sent as {@code Authorization: Bearer <token>}. */
  STATIC_BEARER("static_bearer"),
  /** An OAuth access token for an MCP server, with an expiry and optionally a refresh grant. */
  MCP_OAUTH("mcp_oauth"),
  /** A named secret that tools see only as a placeholder, substituted at egress. */
  ENVIRONMENT_VARIABLE("environment_variable");

  private final String wireName;

  CredentialType(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON value, such as {@code static_bearer}. */
  public String wireName() {
    return wireName;
  }

  /** True for the kinds a session hands to an MCP connection ({@code mcp_server_url} kinds). */
  public boolean isMcp() {
    return this != ENVIRONMENT_VARIABLE;
  }

  /**
   * Parses a JSON value.
   *
   * @throws VaultException.InvalidRequest about {@code type} for null or any other value
   */
  public static CredentialType fromWire(String value) {
    return WireNames.parse(CredentialType.class, values(), CredentialType::wireName, value, "type");
  }
}
