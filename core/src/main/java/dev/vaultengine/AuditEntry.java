package dev.vaultengine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One audit entry: who did what to which record, and how it ended. Secrets the operation wrote
 * appear only as HMAC-SHA256 under the store's audit key ({@link AuditTrail#hash}).
 *
 * @param sequence position in the trail, from 1
 * @param at when the operation ran
 * @param accountId the account, empty for a key operation
 * @param actor who acted, as the host labelled it ({@link VaultEngine#forAccount(String, String)})
 * @param operation such as {@code credential.rotate} or {@code credential.disclose}
 * @param vaultId the vault, if any
 * @param credentialId the credential, if any
 * @param outcome {@code ok}, or the error type that refused it
 * @param secretHashes field name to lowercase-hex HMAC of each secret written
 * @param detail more of what happened, never a secret
 * @param mac the entry's chain MAC, lowercase hex: record the last one outside the database as an
 *     anchor ({@link AuditTrail#verify(long, String)})
 */
public record AuditEntry(long sequence, Instant at, Optional<String> accountId,
    Optional<String> actor, String operation, Optional<String> vaultId,
    Optional<String> credentialId, String outcome, Map<String, String> secretHashes,
    Optional<String> detail, String mac) {

  /** Copies the map. */
  public AuditEntry {
    secretHashes = Map.copyOf(secretHashes);
  }
}
