package dev.vaultengine;

/**
 * Body of "create credential", also an element of "create vault". Validation happens in the
 * service, so a request may hold anything; the service answers bad fields with an
 * {@code invalid_request_error} naming them.
 *
 * @param mcpServerUrl absolute http or https URL, at most 2048 characters, no fragment
 * @param protocol MCP transport
 * @param type credential type; {@link #builder()} defaults it to {@code static_bearer}
 * @param accessToken the write-only token, 1-8192 printable ASCII characters
 */
public record CreateCredentialRequest(
    String mcpServerUrl, Protocol protocol, CredentialType type, Secret accessToken) {

  /** A builder with {@code type} preset to {@code static_bearer}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private String mcpServerUrl;
    private Protocol protocol;
    private CredentialType type = CredentialType.STATIC_BEARER;
    private Secret accessToken;

    private Builder() {}

    /** Sets {@code mcp_server_url}. */
    public Builder mcpServerUrl(String url) {
      this.mcpServerUrl = url;
      return this;
    }

    /** Sets {@code protocol}. */
    public Builder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    /**
     * Sets {@code protocol} from its JSON name.
     *
     * @throws VaultException.InvalidRequest for a name other than {@code sse} or
     *     {@code streamable_http}
     */
    public Builder protocol(String wireName) {
      this.protocol = Protocol.fromWire(wireName);
      return this;
    }

    /** Sets {@code type}. */
    public Builder type(CredentialType type) {
      this.type = type;
      return this;
    }

    /** Sets {@code access_token}. */
    public Builder accessToken(Secret token) {
      this.accessToken = token;
      return this;
    }

    /** Sets {@code access_token} from a string, wrapped at once in a {@link Secret}. */
    public Builder accessToken(String token) {
      this.accessToken = token == null ? null : Secret.of(token);
      return this;
    }

    /** The request, unvalidated. */
    public CreateCredentialRequest build() {
      return new CreateCredentialRequest(mcpServerUrl, protocol, type, accessToken);
    }
  }
}
