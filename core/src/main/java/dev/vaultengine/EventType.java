package dev.vaultengine;

import java.util.Optional;

/**
 * What an event says happened. The names are the hosted APIs' webhook names where they have one
 * ({@code vault.archived}, {@code vault_credential.refresh_failed}, ...).
 */
public enum EventType {
  /** A vault was created (its initial credentials each emit {@link #CREDENTIAL_CREATED}). */
  VAULT_CREATED("vault.created"),
  /** A vault's display name or metadata changed. */
  VAULT_UPDATED("vault.updated"),
  /** A vault was archived; each credential it archived emits {@link #CREDENTIAL_ARCHIVED}. */
  VAULT_ARCHIVED("vault.archived"),
  /** A vault was deleted; each of its credentials emits {@link #CREDENTIAL_DELETED}. */
  VAULT_DELETED("vault.deleted"),
  /** A credential was created. */
  CREDENTIAL_CREATED("vault_credential.created"),
  /** A credential was updated in place. */
  CREDENTIAL_UPDATED("vault_credential.updated"),
  /**
   * A credential was rotated: this event names the new credential; the old one emits
   * {@link #CREDENTIAL_ARCHIVED} just before it.
   */
  CREDENTIAL_ROTATED("vault_credential.rotated"),
  /** An {@code mcp_oauth} credential's access token was refreshed. */
  CREDENTIAL_REFRESHED("vault_credential.refreshed"),
  /** A refresh of an {@code mcp_oauth} credential failed. */
  CREDENTIAL_REFRESH_FAILED("vault_credential.refresh_failed"),
  /** A credential was archived (by itself, by its vault's archival, or by a rotation). */
  CREDENTIAL_ARCHIVED("vault_credential.archived"),
  /** A credential was deleted (by itself or with its vault). */
  CREDENTIAL_DELETED("vault_credential.deleted"),
  /** A new primary data key was added to the data keyset. */
  KEYSET_DATA_KEY_ROTATED("keyset.data_key_rotated"),
  /** A re-encryption run ended. */
  KEYSET_REENCRYPTED("keyset.reencrypted"),
  /** The data keyset was wrapped with a new key-encryption key. */
  KEYSET_KEK_ROTATED("keyset.kek_rotated"),
  /** Retired data keys were disabled. */
  KEYSET_RETIRED_KEYS_DISABLED("keyset.retired_keys_disabled");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The event's name, such as {@code vault_credential.archived}. */
  public String wireName() {
    return wireName;
  }

  /** The type named {@code wireName}, if there is one. */
  public static Optional<EventType> fromWireName(String wireName) {
    for (EventType t : values()) {
      if (t.wireName.equals(wireName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
