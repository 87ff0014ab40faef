package dev.vaultengine;

import java.util.List;

/**
 * The audit trail of every engine on the store: hash-chained entries without secrets. Get it from
 * {@link VaultEngine#audit()}.
 */
public interface AuditTrail {
  /** Up to {@code limit} (1-1000) entries after sequence {@code afterSequence}, oldest first. */
  List<AuditEntry> list(long afterSequence, int limit);

  /**
   * Checks the whole chain with the audit key: names the first entry deleted, altered, inserted
   * or reordered, and a tail cut off while the stored head was kept.
   */
  AuditVerification verify();

  /**
   * As {@link #verify()}, and also checks an anchor recorded earlier outside the database: entry
   * {@code anchorSequence} must still be there with MAC {@code anchorMac}. This finds what the
   * chain alone cannot: a trail cut back to an earlier entry with its head rolled back too.
   */
  AuditVerification verify(long anchorSequence, String anchorMac);

  /**
   * The HMAC under which audit entries record {@code secret}, lowercase hex: search the trail for
   * it to learn whether the token was ever stored, without the token being in the trail.
   *
   * @throws VaultException.InvalidRequest about {@code secret} when it is null, holds null or was
   *     destroyed
   */
  String hash(Secret secret);

  /**
   * Every entry that recorded {@code secret} (a scan of the whole trail).
   *
   * @throws VaultException.InvalidRequest as {@link #hash}
   */
  List<AuditEntry> find(Secret secret);

  /** How many entries this engine could not write in best-effort mode since it opened. */
  long failures();
}
