package dev.vaultengine.spi;

/** What a conditional write found. The store decides atomically; the engine words the error. */
public enum WriteOutcome {
  /** Written. */
  OK,
  /** The vault or credential does not exist in that account (and vault). */
  NOT_FOUND,
  /** The target (or, for a new credential, its vault) is archived. */
  ARCHIVED,
  /** The row changed since the engine read it (its updated_at differs): read again and retry. */
  STALE,
  /**
   * An active credential with the same identity key (normalized URL, or secret name) already
   * exists in the vault.
   */
  DUPLICATE_URL
}
