package dev.vaultengine.internal;

import dev.vaultengine.VaultException;
import java.util.UUID;

/** The id kinds: a prefix and the 32 lowercase hex digits of a time-ordered UUID. */
public enum Ids {
  /** {@code vault_...}. */
  VAULT("vault_", "vault_id", "Vault"),
  /** {@code vcred_...}. */
  CREDENTIAL("vcred_", "credential_id", "Credential"),
  /** {@code evt_...}: an event. */
  EVENT("evt_", "event_id", "Event");

  private final String prefix;
  private final byte[] prefixBytes;
  private final String param;
  private final String noun;

  Ids(String prefix, String param, String noun) {
    this.prefix = prefix;
    this.prefixBytes = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.param = param;
    this.noun = noun;
  }

  /** A new id of this kind. */
  public String format(UUID uuid) {
    return Hex.of(prefixBytes, uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  /** True for a well-formed id of this kind. */
  public boolean matches(String id) {
    if (id == null || id.length() != prefix.length() + 32 || !id.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a path id: null or empty is an invalid_request_error; a string that cannot be an id of
   * this kind is too, so that no caller input of arbitrary shape is echoed into a message.
   */
  public String requireId(String id) {
    return requireId(id, param);
  }

  /** As {@link #requireId(String)}, naming {@code field} in the error. */
  public String requireId(String id, String field) {
    if (id == null || id.isEmpty()) {
      throw VaultException.invalidRequest("Field '" + field + "' is required.", field);
    }
    if (!matches(id)) {
      throw VaultException.invalidRequest(
          "Field '" + field + "' must be '" + prefix + "' followed by 32 lowercase hex digits.",
          field);
    }
    return id;
  }

  /** The documented not-found error, such as "Vault 'vault_...' was not found.". */
  public VaultException notFound(String id) {
    return VaultException.notFound(noun + " '" + id + "' was not found.");
  }

  /** "Vault 'vault_...' is archived." */
  public VaultException archived(String id) {
    return VaultException.conflict(noun + " '" + id + "' is archived.", null);
  }

  /** "Vault 'vault_...' is already archived." */
  public VaultException alreadyArchived(String id) {
    return VaultException.conflict(noun + " '" + id + "' is already archived.", null);
  }
}
