package dev.vaultengine.jdbc;

/**
 * What {@link StoreCopy#copy} did and checked.
 *
 * @param keysetCopied true when the wrapped data keyset was copied (the target had none)
 * @param vaults vault rows copied, brought up to date, and already present
 * @param credentials credential rows copied, brought up to date, and already present
 * @param accounts accounts whose vault, credential and token counts were found equal on both sides
 * @param tokensVerified active credentials that resolved on the target to the same token as on
 *     the source, or -1 when no key-encryption key was given (tokens not checked)
 * @param events events copied with their sequences, and already present (never updated)
 * @param auditEntries audit entries copied as stored (sequence, fields, chain MAC), and already
 *     present (never updated)
 */
public record CopyReport(boolean keysetCopied, Counts vaults, Counts credentials, long accounts,
    long tokensVerified, Counts events, Counts auditEntries) {

  /**
   * Rows of one table.
   *
   * @param copied rows the target did not have, inserted
   * @param updated rows the target had in an older state (the source changed them later), brought
   *     up to date
   * @param alreadyPresent rows the target already had, identical
   */
  public record Counts(long copied, long updated, long alreadyPresent) {
    /** Every row of the source. */
    public long total() {
      return copied + updated + alreadyPresent;
    }

    Counts plus(Counts other) {
      return new Counts(copied + other.copied, updated + other.updated,
          alreadyPresent + other.alreadyPresent);
    }
  }

  /** True when nothing was written to the target: a rerun of a finished copy. */
  public boolean nothingCopied() {
    return !keysetCopied && vaults.copied() + vaults.updated() + credentials.copied()
        + credentials.updated() + events.copied() + auditEntries.copied() == 0;
  }
}
