package dev.vaultengine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Body of "create credential", also an element of "create vault": the REST API's flat shape, where
 * {@code type} chooses the kind and only that kind's fields may be given. Validation happens in the
 * service, so a request may hold anything; the service answers bad fields with an
 * {@code invalid_request_error} naming them.
 *
 * @param type the kind; {@link #builder()} defaults it to {@code static_bearer}
 * @param mcpServerUrl MCP kinds: absolute http or https URL, at most 2048 characters
 * @param protocol MCP kinds: the transport
 * @param accessToken MCP kinds: the write-only token, 1-8192 printable ASCII characters
 * @param expiresAt {@code mcp_oauth}: when the access token expires (not in the past), or null
 * @param refresh {@code mcp_oauth}: the refresh grant, or null
 * @param secretName {@code environment_variable}: {@code [A-Za-z_][A-Za-z0-9_]*}, at most 255
 * @param secretValue {@code environment_variable}: the write-only value, 1-8192 characters
 * @param networking {@code environment_variable}: where the value may be sent (required)
 * @param injectionLocation {@code environment_variable}: where it may be substituted (required)
 * @param displayName any kind: optional name, up to 255 characters
 * @param metadata any kind: up to 16 pairs, keys up to 64 and values up to 512 characters
 */
public record CreateCredentialRequest(
    CredentialType type,
    String mcpServerUrl,
    Protocol protocol,
    Secret accessToken,
    Instant expiresAt,
    OAuthRefreshRequest refresh,
    String secretName,
    Secret secretValue,
    Networking networking,
    InjectionLocation injectionLocation,
    String displayName,
    Map<String, String> metadata) {

  /** The seeds' request: a {@code static_bearer} (or another MCP type) with no other field. */
  public CreateCredentialRequest(String mcpServerUrl, Protocol protocol, CredentialType type,
      Secret accessToken) {
    this(type, mcpServerUrl, protocol, accessToken, null, null, null, null, null, null, null,
        null);
  }

  /** A builder with {@code type} preset to {@code static_bearer}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private CredentialType type = CredentialType.STATIC_BEARER;
    private String mcpServerUrl;
    private Protocol protocol;
    private Secret accessToken;
    private Instant expiresAt;
    private OAuthRefreshRequest refresh;
    private String secretName;
    private Secret secretValue;
    private Networking networking;
    private InjectionLocation injectionLocation;
    private String displayName;
    private Map<String, String> metadata;

    private Builder() {}

    /** Sets {@code type}. */
    public Builder type(CredentialType type) {
      this.type = type;
      return this;
    }

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

    /** Sets {@code expires_at} ({@code mcp_oauth}). */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Sets the {@code refresh} block ({@code mcp_oauth}). */
    public Builder refresh(OAuthRefreshRequest refresh) {
      this.refresh = refresh;
      return this;
    }

    /** Sets {@code secret_name} ({@code environment_variable}). */
    public Builder secretName(String secretName) {
      this.secretName = secretName;
      return this;
    }

    /** Sets {@code secret_value} ({@code environment_variable}). */
    public Builder secretValue(Secret secretValue) {
      this.secretValue = secretValue;
      return this;
    }

    /** Sets {@code networking} ({@code environment_variable}). */
    public Builder networking(Networking networking) {
      this.networking = networking;
      return this;
    }

    /** Sets {@code injection_location} ({@code environment_variable}). */
    public Builder injectionLocation(InjectionLocation injectionLocation) {
      this.injectionLocation = injectionLocation;
      return this;
    }

    /** Sets {@code display_name}. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /** Sets metadata {@code key} to {@code value}. */
    public Builder putMetadata(String key, String value) {
      if (metadata == null) {
        metadata = new LinkedHashMap<>();
      }
      metadata.put(key, value);
      return this;
    }

    /** Replaces the whole metadata map (null for none). */
    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata == null ? null : new LinkedHashMap<>(metadata);
      return this;
    }

    /** The request, unvalidated. */
    public CreateCredentialRequest build() {
      return new CreateCredentialRequest(type, mcpServerUrl, protocol, accessToken, expiresAt,
          refresh, secretName, secretValue, networking, injectionLocation, displayName,
          metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
    }
  }
}
