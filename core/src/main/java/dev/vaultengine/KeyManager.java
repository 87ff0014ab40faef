package dev.vaultengine;

/**
 * Administration of the engine's keys: data-key rotation, online re-encryption, retirement of old
 * keys, and KEK rotation. Every step is safe while other threads and processes read and write.
 * Get it from {@link VaultEngine#keys()}.
 */
public interface KeyManager {

  /** The data keys and how many tokens are still on keys other than the primary. */
  KeysetStatus status();

  /**
   * Adds a new data key and makes it primary. New tokens use it at once; older keys keep
   * decrypting until {@link #disableRetiredKeys()}.
   *
   * @return the new primary key id
   */
  int rotateDataKey();

  /**
   * Re-encrypts, batch by batch, every token not on the primary key. Online and resumable: the
   * progress is the rows themselves, so a stopped run continues where it was when called again.
   * A row that does not decrypt is skipped and reported; the others go on.
   *
   * @param batchSize rows per batch, 1-10,000
   */
  ReencryptionReport reencrypt(int batchSize);

  /**
   * As {@link #reencrypt(int)}, telling {@code progress} after each batch how many rows were
   * re-encrypted so far out of how many were on older keys when the run began (rows written
   * meanwhile can make the count end below or above that total).
   *
   * @throws VaultException.InvalidRequest for a batch size out of range or a null
   *     {@code progress}
   */
  ReencryptionReport reencrypt(int batchSize, Progress progress);

  /** Told after each re-encryption batch; called on the re-encrypting thread. */
  @FunctionalInterface
  interface Progress {
    /** {@code done} rows re-encrypted so far, of about {@code total}. */
    void update(long done, long total);
  }

  /**
   * Disables every data key but the primary.
   *
   * @throws VaultException.Conflict while tokens are still on those keys (run {@link #reencrypt})
   */
  void disableRetiredKeys();

  /**
   * Re-wraps the data keyset under {@code newKek}. Tokens are untouched; from now on the engine must
   * be opened with the new KEK.
   */
  void rotateKeyEncryptionKey(KeyEncryptionKey newKek);
}
