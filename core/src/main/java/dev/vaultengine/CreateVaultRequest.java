package dev.vaultengine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Body of "create vault".
 *
 * @param displayName 1-255 characters
 * @param metadata at most 16 pairs; keys 1-64 characters, values at most 512; may be null
 * @param credentials created atomically with the vault; at least one unless the engine allows
 *     empty vaults
 */
public record CreateVaultRequest(
    String displayName, Map<String, String> metadata, List<CreateCredentialRequest> credentials) {

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private String displayName;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<CreateCredentialRequest> credentials = new ArrayList<>();

    private Builder() {}

    /** Sets {@code display_name}. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /** Adds one metadata pair. */
    public Builder putMetadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    /** Adds every pair of {@code pairs}. */
    public Builder metadata(Map<String, String> pairs) {
      if (pairs != null) {
        metadata.putAll(pairs);
      }
      return this;
    }

    /** Appends an initial credential. */
    public Builder addCredential(CreateCredentialRequest credential) {
      credentials.add(credential);
      return this;
    }

    /** The request, unvalidated; later builder changes do not affect it. */
    public CreateVaultRequest build() {
      return new CreateVaultRequest(
          displayName,
          Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
          Collections.unmodifiableList(new ArrayList<>(credentials)));
    }
  }
}
