package dev.vaultengine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Body of "update credential" ({@code POST /v1/vaults/{vault_id}/credentials/{credential_id}}): a
 * merge patch. {@code type} is required and must be the credential's. Fields omitted keep their
 * values; secrets given replace the stored ones; {@code expires_at}, {@code display_name},
 * {@code refresh} and {@code refresh.scope}/{@code resource} given as null are cleared. The
 * identity and its locks ({@code mcp_server_url}, {@code secret_name},
 * {@code refresh.token_endpoint}, {@code refresh.client_id}) are refused when given.
 *
 * @param type the credential's type
 * @param displayName a new name, or cleared
 * @param metadataPatch keys to set or (mapped to null) remove, or null to keep the metadata
 * @param mcpServerUrl locked: must be omitted
 * @param protocol MCP kinds: a new transport (cannot be cleared)
 * @param accessToken MCP kinds: a new access token (cannot be cleared)
 * @param expiresAt {@code mcp_oauth}: a new expiry, or cleared
 * @param refresh {@code mcp_oauth}: a patch of the existing refresh grant, or cleared (removed)
 * @param secretName locked: must be omitted
 * @param secretValue {@code environment_variable}: a new value (cannot be cleared)
 * @param networking {@code environment_variable}: a new networking policy (cannot be cleared)
 * @param injectionLocation {@code environment_variable}: new locations (cannot be cleared)
 */
public record UpdateCredentialRequest(
    CredentialType type,
    Patch<String> displayName,
    Map<String, String> metadataPatch,
    Patch<String> mcpServerUrl,
    Patch<Protocol> protocol,
    Patch<Secret> accessToken,
    Patch<Instant> expiresAt,
    Patch<RefreshPatch> refresh,
    Patch<String> secretName,
    Patch<Secret> secretValue,
    Patch<Networking> networking,
    Patch<InjectionLocation> injectionLocation) {

  /** A null field is omitted; the metadata patch is copied (it may map keys to null). */
  public UpdateCredentialRequest {
    displayName = orOmitted(displayName);
    metadataPatch = metadataPatch == null ? null
        : Collections.unmodifiableMap(new LinkedHashMap<>(metadataPatch));
    mcpServerUrl = orOmitted(mcpServerUrl);
    protocol = orOmitted(protocol);
    accessToken = orOmitted(accessToken);
    expiresAt = orOmitted(expiresAt);
    refresh = orOmitted(refresh);
    secretName = orOmitted(secretName);
    secretValue = orOmitted(secretValue);
    networking = orOmitted(networking);
    injectionLocation = orOmitted(injectionLocation);
  }

  static <T> Patch<T> orOmitted(Patch<T> patch) {
    return patch == null ? Patch.omitted() : patch;
  }

  /** A builder for an update of a credential of {@code type}; every field starts omitted. */
  public static Builder builder(CredentialType type) {
    return new Builder(type);
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private final CredentialType type;
    private Patch<String> displayName = Patch.omitted();
    private Map<String, String> metadataPatch;
    private Patch<String> mcpServerUrl = Patch.omitted();
    private Patch<Protocol> protocol = Patch.omitted();
    private Patch<Secret> accessToken = Patch.omitted();
    private Patch<Instant> expiresAt = Patch.omitted();
    private Patch<RefreshPatch> refresh = Patch.omitted();
    private Patch<String> secretName = Patch.omitted();
    private Patch<Secret> secretValue = Patch.omitted();
    private Patch<Networking> networking = Patch.omitted();
    private Patch<InjectionLocation> injectionLocation = Patch.omitted();

    private Builder(CredentialType type) {
      this.type = type;
    }

    /** Sets {@code display_name}; null clears it. */
    public Builder displayName(String value) {
      this.displayName = Patch.of(value);
      return this;
    }

    /** Sets metadata {@code key} to {@code value}. */
    public Builder putMetadata(String key, String value) {
      patch().put(key, value);
      return this;
    }

    /** Removes metadata {@code key}. */
    public Builder removeMetadata(String key) {
      patch().put(key, null);
      return this;
    }

    private Map<String, String> patch() {
      if (metadataPatch == null) {
        metadataPatch = new LinkedHashMap<>();
      }
      return metadataPatch;
    }

    /** Gives {@code mcp_server_url}, which is locked: the service refuses it. */
    public Builder mcpServerUrl(String value) {
      this.mcpServerUrl = Patch.of(value);
      return this;
    }

    /** Sets {@code protocol}. */
    public Builder protocol(Protocol value) {
      this.protocol = Patch.of(value);
      return this;
    }

    /** Replaces {@code access_token}. */
    public Builder accessToken(Secret value) {
      this.accessToken = Patch.of(value);
      return this;
    }

    /** Replaces {@code access_token} with a string, wrapped at once in a {@link Secret}. */
    public Builder accessToken(String value) {
      return accessToken(value == null ? null : Secret.of(value));
    }

    /** Sets {@code expires_at}; null clears it. */
    public Builder expiresAt(Instant value) {
      this.expiresAt = Patch.of(value);
      return this;
    }

    /** Patches the refresh grant; null removes it. */
    public Builder refresh(RefreshPatch value) {
      this.refresh = Patch.of(value);
      return this;
    }

    /** Gives {@code secret_name}, which is locked: the service refuses it. */
    public Builder secretName(String value) {
      this.secretName = Patch.of(value);
      return this;
    }

    /** Replaces {@code secret_value}. */
    public Builder secretValue(Secret value) {
      this.secretValue = Patch.of(value);
      return this;
    }

    /** Replaces {@code networking}. */
    public Builder networking(Networking value) {
      this.networking = Patch.of(value);
      return this;
    }

    /** Replaces {@code injection_location}. */
    public Builder injectionLocation(InjectionLocation value) {
      this.injectionLocation = Patch.of(value);
      return this;
    }

    /** The request, unvalidated. */
    public UpdateCredentialRequest build() {
      return new UpdateCredentialRequest(type, displayName,
          metadataPatch == null ? null
              : Collections.unmodifiableMap(new LinkedHashMap<>(metadataPatch)),
          mcpServerUrl, protocol, accessToken, expiresAt, refresh, secretName, secretValue,
          networking, injectionLocation);
    }
  }
}
