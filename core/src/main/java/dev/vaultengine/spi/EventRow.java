package dev.vaultengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored event: what changed, never a secret. Ids of the account, vault and credential are
 * null where the event has none (a key event names no account).
 *
 * @param sequence the position in the store's event log, from 1 in commit order; 0 before the
 *     store numbered it
 * @param id the event's id, {@code evt_...}
 * @param type the event's wire name, such as {@code vault_credential.archived}
 * @param accountId the account, or null
 * @param vaultId the vault, or null
 * @param credentialId the credential, or null
 * @param at when the change was made, in microseconds
 */
public record EventRow(long sequence, String id, String type, String accountId, String vaultId,
    String credentialId, Instant at) {

  /** Checks the required fields. */
  public EventRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
  }

  /** This event at {@code position} of the log. */
  public EventRow numbered(long position) {
    return new EventRow(position, id, type, accountId, vaultId, credentialId, at);
  }
}
