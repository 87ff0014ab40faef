package dev.vaultengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit entry: who did what to which record, and how it ended; a secret appears only as an
 * HMAC under the audit key. Entries form a chain: each one's {@link #mac} covers the previous
 * entry's MAC and this entry's fields, so a removed, altered, inserted or reordered entry breaks
 * it.
 *
 * @param sequence the position in the trail, from 1 in commit order; 0 before the store numbered it
 * @param at when the operation ran
 * @param accountId the account, or null for a key operation
 * @param actor the label the host passed for who acted, or null
 * @param operation what was asked, such as {@code credential.rotate}
 * @param vaultId the vault, or null
 * @param credentialId the credential, or null
 * @param outcome {@code ok}, or the error type that refused it (such as {@code not_found_error})
 * @param secrets the secrets the operation wrote, as {@code field=hex HMAC} pairs separated by
 *     commas, or null
 * @param detail more of what happened, never a secret, or null
 * @param mac the chain MAC; null before the store sealed the entry
 */
public record AuditRow(long sequence, Instant at, String accountId, String actor,
    String operation, String vaultId, String credentialId, String outcome, String secrets,
    String detail, byte[] mac) {

  /** Checks the required fields. */
  public AuditRow {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** This entry at {@code position} of the trail, before sealing. */
  public AuditRow numbered(long position) {
    return new AuditRow(position, at, accountId, actor, operation, vaultId, credentialId, outcome,
        secrets, detail, null);
  }

  /** This entry with its chain MAC. */
  public AuditRow sealed(byte[] chainMac) {
    return new AuditRow(sequence, at, accountId, actor, operation, vaultId, credentialId, outcome,
        secrets, detail, chainMac.clone());
  }

  /** Prints the fields but not the MAC bytes. */
  @Override
  public String toString() {
    return "AuditRow[" + sequence + " " + at + " " + operation + " " + outcome + " account="
        + accountId + " vault=" + vaultId + " credential=" + credentialId + "]";
  }
}
