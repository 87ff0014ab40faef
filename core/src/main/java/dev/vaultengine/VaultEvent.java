package dev.vaultengine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that changed, as subscribers receive it: never a secret.
 *
 * @param id the event's id, {@code evt_...}
 * @param sequence its position in the store's event log: increasing in commit order
 * @param type what happened
 * @param accountId the account, empty for a key event
 * @param vaultId the vault, empty for a key event
 * @param credentialId the credential, empty for a vault's own event or a key event
 * @param createdAt when the change was made
 */
public record VaultEvent(String id, long sequence, EventType type, Optional<String> accountId,
    Optional<String> vaultId, Optional<String> credentialId, Instant createdAt) {

  /** Checks that nothing is null. */
  public VaultEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(vaultId, "vaultId");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
