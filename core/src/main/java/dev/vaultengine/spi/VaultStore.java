package dev.vaultengine.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence behind the engine. The engine owns the rules and validates every input before it gets
 * here; a store owns atomic persistence and indexed queries. Each method is atomic on its own, and
 * the rules it reports ({@link WriteOutcome}) must hold across processes sharing one database, so a
 * store decides them inside its own transaction or with a constraint, never by a separate read.
 *
 * <p>Tokens reach a store only as {@link EncryptedToken}. Every lookup is scoped to an account: a
 * row of another account must behave exactly like a missing one. A store is correct when it passes
 * the contract suite in {@code vault-engine-testkit}.
 *
 * <p>Every write takes a {@link Journal}: the events and audit entry the store appends in the same
 * transaction, whatever the outcome (a refused write records its refusal). The log methods at the
 * end read them back, keep durable subscribers' positions and the audit key.
 */
public interface VaultStore extends AutoCloseable {

  /**
   * Inserts a vault with its initial credentials, all or nothing. Ids are unique: a store throws
   * (an {@link IllegalStateException}, say) rather than overwrite a record whose id already exists;
   * the engine reports that as an {@code api_error}.
   *
   * @return {@link WriteOutcome#OK}, or {@link WriteOutcome#DUPLICATE_URL} if two of the given
   *     credentials share a URL key (nothing is written then)
   */
  WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials, Journal journal);

  /** The vault, if it exists in the account. */
  Optional<VaultRow> findVault(String accountId, String vaultId);

  /** Rows of the account's vaults matching {@code query}; see {@link ListQuery} for the order. */
  List<VaultRow> listVaults(String accountId, ListQuery query);

  /**
   * Replaces the display name, metadata and updated_at of an active vault, if its stored updated_at
   * is still {@code expectedUpdatedAt} (optimistic concurrency: two patches never lose each other).
   *
   * @return OK, NOT_FOUND, ARCHIVED, or STALE (nothing written)
   */
  WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal);

  /**
   * Archives an active vault and all its active credentials at {@code at}, purging their tokens.
   *
   * @return OK, NOT_FOUND, or ARCHIVED when it already was (nothing written)
   */
  WriteOutcome archiveVault(String accountId, String vaultId, Instant at, Journal journal);

  /** Deletes the vault and all its credentials; false if it did not exist in the account. */
  boolean deleteVault(String accountId, String vaultId, Journal journal);

  /**
   * Inserts a credential into its vault.
   *
   * @return OK; NOT_FOUND or ARCHIVED for the vault; DUPLICATE_URL if the vault already has an
   *     active credential with the same {@link CredentialRow#identityKey() identity key}
   */
  WriteOutcome insertCredential(CredentialRow credential, Journal journal);

  /**
   * Replaces every mutable field of an active credential (kind, display name, metadata, secrets,
   * updated_at) with those of {@code updated}, if its stored updated_at is still
   * {@code expectedUpdatedAt}. The id, vault, identity key, status and created_at never change
   * here. When {@code updated.secrets()} is null the stored secrets are kept as they are (a
   * re-encryption may have replaced them since they were read, without changing updated_at);
   * when it is not, any refresh lease of the credential ends with the write (new secrets: a hold
   * after the old grant's failure must not keep other hosts from trying the new one).
   *
   * @return OK, NOT_FOUND, ARCHIVED, or STALE (nothing written)
   */
  WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
      Journal journal);

  /** The credential, if it exists in that vault of that account. */
  Optional<CredentialRow> findCredential(String accountId, String vaultId, String credentialId);

  /** Rows of one vault's credentials matching {@code query}; see {@link ListQuery}. */
  List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query);

  /**
   * Archives an active credential at {@code at} and purges its token.
   *
   * @return OK, NOT_FOUND, or ARCHIVED when it already was
   */
  WriteOutcome archiveCredential(String accountId, String vaultId, String credentialId, Instant at,
      Journal journal);

  /** Deletes a credential; false if it did not exist in that vault of that account. */
  boolean deleteCredential(String accountId, String vaultId, String credentialId,
      Journal journal);

  /**
   * In one atomic step, archives the active credential {@code credentialId} at {@code at} (purging
   * its secrets) and inserts {@code replacement}, which has the same vault and identity key. No reader
   * ever sees the URL without an active credential.
   *
   * @return OK, NOT_FOUND, or ARCHIVED when the old credential is archived (nothing written)
   */
  WriteOutcome rotateCredential(
      String accountId, String vaultId, String credentialId, Instant at, CredentialRow replacement,
      Journal journal);

  /**
   * The active credentials for an identity key in any of {@code vaultIds} (at most one per vault,
   * in any order): the resolve hot path, one indexed read however many vaults a session has.
   */
  List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String identityKey);

  /**
   * Takes the refresh lease of an active credential for {@code owner} until {@code until}: the
   * cross-host single flight of OAuth refreshes. Taken when no lease is held, when the held one
   * ended before {@code now} (its host died or gave up), or when {@code owner} holds it (extending
   * it). Decided atomically by the store, so of several hosts asking at once exactly one gets it.
   *
   * @return empty when taken; otherwise when the current holder's lease ends ({@link Instant#MAX}
   *     for a credential that is missing or archived)
   */
  Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
      Instant now, Instant until);

  /**
   * Ends {@code owner}'s refresh lease of the credential, if it still holds it.
   *
   * @return true when a lease was ended (the store changed)
   */
  boolean releaseRefreshLease(String accountId, String credentialId, String owner);

  /** The wrapped data keyset, if one was stored. */
  Optional<byte[]> loadKeyset();

  /**
   * Compare-and-set of the wrapped data keyset.
   *
   * @param expected the bytes last loaded, or null when none was stored
   * @param replacement the new wrapped keyset
   * @return false, writing nothing, if the stored bytes are not {@code expected}
   */
  boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal);

  /**
   * Credentials, across all accounts, whose secrets are on key {@code keyId}, in ascending id order
   * after {@code afterId} (null for the start): an indexed range, so each re-encryption batch
   * costs O(log n + limit). Archived rows have no token and are never returned.
   */
  List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit);

  /** How many credentials hold secrets on a key other than {@code keyId}. */
  long countTokensNotOnKey(int keyId);

  /**
   * Replaces all of a credential's secrets if its primary secret still is {@code expected} (the
   * credential may have been archived, deleted, updated or re-encrypted meanwhile: every change of
   * secrets writes a fresh primary ciphertext). Nothing else of the row changes.
   *
   * @return true if replaced
   */
  boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
      EncryptedSecrets replacement);

  /**
   * A number that changes whenever anything stored changes, by any writer, or {@code -1} if this
   * store cannot tell cheaply (the default). It must be an in-memory read: the engine calls it on
   * the resolve hot path and, while it stays the same, answers a session's repeated resolve of a
   * URL without reading the store again. A store shared with other processes returns -1.
   */
  default long changeCount() {
    return -1;
  }

  /**
   * Whether the change count went from {@code before} to {@code after} by exactly one committed
   * change (no other writer's change in between), so the engine can tell its own write was the
   * only one. The default suits a count that grows by one per change; a store whose count is
   * another kind of number answers from its own layout, or false when it cannot tell (always
   * safe: the engine then reads the store again).
   */
  default boolean oneChangeBetween(long before, long after) {
    return after == before + 1;
  }

  // ---------------------------------------------------------------- the log: events and audit

  /**
   * Appends the entries of an operation that changes nothing else stored (a refused request, a
   * first disclosure, a failed refresh, the end of a re-encryption), all in one transaction:
   * {@code journal.entries(OK, List.of())}.
   */
  void append(Journal journal);

  /** Up to {@code limit} events after sequence {@code afterSequence}, in sequence order. */
  List<EventRow> readEvents(long afterSequence, int limit);

  /** The sequence of the last event appended, 0 if none; purged events keep their numbers. */
  long lastEventSequence();

  /** The position a durable subscriber acknowledged (its last handled sequence), if it has one. */
  java.util.OptionalLong subscriberPosition(String name);

  /** Stores a durable subscriber's position, creating the subscriber if needed. */
  void saveSubscriberPosition(String name, long position);

  /** Forgets a durable subscriber; false if there was none of that name. */
  boolean deleteSubscriber(String name);

  /**
   * Deletes the events made before {@code before} that every durable subscriber has acknowledged
   * (at or below each one's position).
   *
   * @return how many were deleted
   */
  int purgeEvents(Instant before);

  /** Up to {@code limit} audit entries after sequence {@code afterSequence}, in sequence order. */
  List<AuditRow> readAudit(long afterSequence, int limit);

  /** The head of the audit chain as stored apart from the entries; sequence 0 when empty. */
  AuditHead auditHead();

  /** The audit key as the engine wrapped it, if one was stored. */
  Optional<byte[]> loadAuditKey();

  /**
   * Compare-and-set of the wrapped audit key, as {@link #replaceKeyset} is for the data keyset.
   *
   * @return false, writing nothing, if the stored bytes are not {@code expected}
   */
  boolean replaceAuditKey(byte[] expected, byte[] replacement);

  /**
   * Asks the store to call {@code wake} soon after another process commits events, for stores
   * that can push (PostgreSQL's LISTEN/NOTIFY); the engine polls {@link #lastEventSequence()}
   * besides. The default pushes nothing.
   *
   * @return closes the watch
   */
  default AutoCloseable watchEvents(Runnable wake) {
    return () -> { };
  }

  /** Releases the store's resources. */
  @Override
  void close();
}
