package dev.vaultengine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Body of "update vault". A null field is left unchanged; in {@code metadataPatch} a key mapped to
 * null is removed and any other key is set. At least one field must be given.
 *
 * @param displayName new display name, or null to keep it
 * @param metadataPatch keys to set or (mapped to null) remove, or null to keep the metadata
 */
public record UpdateVaultRequest(String displayName, Map<String, String> metadataPatch) {

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private String displayName;
    private Map<String, String> patch;

    private Builder() {}

    /** Sets a new {@code display_name}. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
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
      if (patch == null) {
        patch = new LinkedHashMap<>();
      }
      return patch;
    }

    /** The request, unvalidated. */
    public UpdateVaultRequest build() {
      return new UpdateVaultRequest(
          displayName,
          patch == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(patch)));
    }
  }
}
