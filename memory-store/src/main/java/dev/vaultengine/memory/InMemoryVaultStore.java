package dev.vaultengine.memory;

import dev.vaultengine.Status;
import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A thread-safe store held in memory, for tests and for hosts that need no persistence. It holds
 * ciphertext only, like every store.
 *
 * <p>Records live in sorted maps keyed by their time-ordered ids, per account and per vault, so a
 * page is a seek plus {@code limit} steps: O(log n + limit) at any depth.
 *
 * <p>Writers take a {@link StampedLock}'s write lock, so every multi-row change is atomic. Readers
 * take no lock: they read optimistically and keep their result only if no write started meanwhile
 * ({@link StampedLock#validate}), otherwise they read again under the read lock. A read-write lock
 * made every reader update one shared counter, so reads slowed down as threads were added (a
 * 16-core run of {@code getVault}: 5.7 operations per microsecond on one thread, 2.4 on sixteen
 * together). Optimistic readers may run beside a writer, so everything they touch is a concurrent
 * map (weakly consistent, never throwing or looping mid-change) and rows are immutable records.
 */
public final class InMemoryVaultStore implements VaultStore {
  private final StampedLock lock = new StampedLock();
  private final Map<String, NavigableMap<String, VaultEntry>> vaultsByAccount =
      new ConcurrentHashMap<>();
  /** Every vault and credential id stored and not deleted, across accounts: ids are unique. */
  private final java.util.Set<String> storedVaultIds = new java.util.HashSet<>();
  private final java.util.Set<String> credentialIds = new java.util.HashSet<>();
  private final Map<String, Lease> leases = new HashMap<>();
  /** How many stored tokens each data key encrypted. */
  private final KeyCounts tokensPerKey = new KeyCounts();
  /**
   * Credentials with a token, by key id then credential id: the re-encryption index, built for a
   * key the first time re-encryption asks for it and kept up to date from then on. Not built for
   * the key that encrypts new tokens until it is retired, because keeping a sorted index of every
   * token was the largest single cost of an in-memory create (JFR profile, docs/BENCHMARKS.md).
   */
  private final Map<Integer, NavigableMap<String, CredentialRow>> tokensByKey = new HashMap<>();
  private byte[] keyset;
  private byte[] auditKey;
  /** Events, audit entries and subscriber positions; guarded by the write lock. */
  private final MemoryLog log = new MemoryLog();
  /** Bumped by every write while it holds the write lock; see {@link #changeCount()}. */
  private volatile long changes;

  /** One vault and its credentials; optimistic readers read it while a writer may change it. */
  private static final class VaultEntry {
    volatile VaultRow row;
    final NavigableMap<String, CredentialRow> credentials = newestFirst();
    /**
     * Active credential id by URL key. Sorted rather than hashed: a hash table that grows with a
     * vault re-homes every entry at each doubling (with its inserts, 29% of a create's samples in a
     * JFR profile), and a create into a vault of 500,000 credentials cost 3.4 us with it against
     * 3.0 us with a sorted map (docs/BENCHMARKS.md); lookups are O(log n), which only a resolve
     * that must read the store sees, and only in a vault of thousands. A skip list, not a
     * {@code TreeMap}: a reader walking a red-black tree during a rotation can loop.
     */
    final Map<String, String> activeByUrlKey = new ConcurrentSkipListMap<>();

    VaultEntry(VaultRow row) {
      this.row = row;
    }
  }

  /** An empty store. */
  public InMemoryVaultStore() {}

  // ---------------------------------------------------------------- vaults

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials,
      Journal journal) {
    VaultEntry entry = new VaultEntry(vault);
    boolean duplicate = false;
    for (CredentialRow c : credentials) {
      if (entry.activeByUrlKey.putIfAbsent(c.identityKey(), c.id()) != null) {
        duplicate = true;
        break;
      }
      entry.credentials.put(c.id(), c);
    }
    boolean refused = duplicate;
    return journaled(journal, () -> {
      if (refused) {
        return Decision.refused(WriteOutcome.DUPLICATE_URL);
      }
      if (storedVaultIds.contains(vault.id())) {
        throw new IllegalStateException("a vault with this id already exists");
      }
      for (CredentialRow c : credentials) {
        requireNewCredentialId(c.id());
      }
      return Decision.ok(() -> {
        NavigableMap<String, VaultEntry> vaults = vaultsByAccount.computeIfAbsent(
            vault.accountId(), a -> newestFirst());
        storedVaultIds.add(vault.id());
        vaults.put(vault.id(), entry);
        credentials.forEach(this::indexCredential);
      });
    });
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return read(() -> Optional.ofNullable(entry(accountId, vaultId)).map(e -> e.row));
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    return read(() -> {
      NavigableMap<String, VaultEntry> vaults = vaultsByAccount.get(accountId);
      if (vaults == null) {
        return List.of();
      }
      return page(vaults, query, e -> e.row, v -> v.displayName(), VaultRow::status,
          VaultRow::createdAt);
    });
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(vault.accountId(), vault.id());
      if (e == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (e.row.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      if (!e.row.updatedAt().equals(expectedUpdatedAt)) {
        return Decision.refused(WriteOutcome.STALE);
      }
      return Decision.ok(() -> e.row = vault);
    });
  }

  @Override
  public Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
      Instant now, Instant until) {
    return leaseWrite(() -> {
      if (!isActive(accountId, credentialId)) {
        return new LeaseAnswer<>(Optional.of(Instant.MAX), false);
      }
      Lease held = leases.get(credentialId);
      if (held == null || held.until().isBefore(now) || held.owner().equals(owner)) {
        leases.put(credentialId, new Lease(owner, until));
        return new LeaseAnswer<>(Optional.<Instant>empty(), true);
      }
      return new LeaseAnswer<>(Optional.of(held.until()), false);
    });
  }

  @Override
  public boolean releaseRefreshLease(String accountId, String credentialId, String owner) {
    return leaseWrite(() -> {
      Lease held = leases.get(credentialId);
      boolean released = held != null && held.owner().equals(owner);
      if (released) {
        leases.remove(credentialId);
      }
      return new LeaseAnswer<>(released, released);
    });
  }

  /** A lease operation's answer, and whether it changed the store. */
  private record LeaseAnswer<T>(T value, boolean changed) {}

  /**
   * A lease operation under the write lock that counts as a change only when it took or ended a
   * lease: like every write, so that the engine can tell its own writes from others' by the
   * count; but a refused attempt (another host's lease) changes nothing and counts nothing.
   */
  private <T> T leaseWrite(java.util.function.Supplier<LeaseAnswer<T>> action) {
    long stamp = lock.writeLock();
    try {
      LeaseAnswer<T> answer = action.get();
      if (answer.changed()) {
        changes++;
      }
      return answer.value();
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  private boolean isActive(String accountId, String credentialId) {
    NavigableMap<String, VaultEntry> vaults = vaultsByAccount.get(accountId);
    if (vaults == null) {
      return false;
    }
    for (VaultEntry e : vaults.values()) {
      CredentialRow c = e.credentials.get(credentialId);
      if (c != null) {
        return c.status() == Status.ACTIVE;
      }
    }
    return false;
  }

  @Override
  public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
      Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(updated.accountId(), updated.vaultId());
      CredentialRow c = e == null ? null : e.credentials.get(updated.id());
      if (c == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (c.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      if (!c.updatedAt().equals(expectedUpdatedAt)) {
        return Decision.refused(WriteOutcome.STALE);
      }
      return Decision.ok(() -> {
        // Identity, status and creation stay as stored, whatever the row says.
        CredentialRow row = new CredentialRow(c.accountId(), c.id(), c.vaultId(),
            c.identityKey(), updated.kind(), updated.displayName(), updated.metadata(),
            c.status(), null, c.createdAt(), updated.updatedAt(),
            updated.secrets() == null ? c.secrets() : updated.secrets());
        unindexToken(c);
        e.credentials.put(c.id(), row);
        indexToken(row);
        if (updated.secrets() != null) {
          leases.remove(c.id()); // new secrets: a hold for the old grant's failure is over
        }
      });
    });
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at,
      Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(accountId, vaultId);
      if (e == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (e.row.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      List<String> archived = new ArrayList<>(e.activeByUrlKey.values());
      java.util.Collections.sort(archived);
      return new Decision<>(WriteOutcome.OK, WriteOutcome.OK, archived, () -> {
        e.row = e.row.archived(at);
        for (String id : archived) {
          CredentialRow c = e.credentials.get(id);
          unindexToken(c);
          e.credentials.put(id, c.archived(at));
        }
        e.activeByUrlKey.clear();
      });
    });
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId, Journal journal) {
    return journaled(journal, () -> {
      NavigableMap<String, VaultEntry> vaults = vaultsByAccount.get(accountId);
      VaultEntry e = vaults == null ? null : vaults.get(vaultId);
      if (e == null) {
        return new Decision<>(false, WriteOutcome.NOT_FOUND, List.of(), null);
      }
      // Ascending, as cascades are reported: the map is newest first.
      List<String> deleted = new ArrayList<>(e.credentials.descendingKeySet());
      return new Decision<>(true, WriteOutcome.OK, deleted, () -> {
        vaults.remove(vaultId);
        storedVaultIds.remove(vaultId);
        e.credentials.values().forEach(c -> {
          unindexToken(c);
          credentialIds.remove(c.id());
        });
      });
    });
  }

  // ---------------------------------------------------------------- credentials

  @Override
  public WriteOutcome insertCredential(CredentialRow credential, Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(credential.accountId(), credential.vaultId());
      if (e == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (e.row.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      requireNewCredentialId(credential.id());
      if (e.activeByUrlKey.containsKey(credential.identityKey())) {
        return Decision.refused(WriteOutcome.DUPLICATE_URL);
      }
      return Decision.ok(() -> {
        e.activeByUrlKey.put(credential.identityKey(), credential.id());
        e.credentials.put(credential.id(), credential);
        indexCredential(credential);
      });
    });
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return read(() -> {
      VaultEntry e = entry(accountId, vaultId);
      return e == null ? Optional.empty() : Optional.ofNullable(e.credentials.get(id));
    });
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    return read(() -> {
      VaultEntry e = entry(accountId, vaultId);
      if (e == null) {
        return List.of();
      }
      return page(e.credentials, query, Function.identity(), InMemoryVaultStore::searchable,
          CredentialRow::status, CredentialRow::createdAt);
    });
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at,
      Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(accountId, vaultId);
      CredentialRow c = e == null ? null : e.credentials.get(id);
      if (c == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (c.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      return Decision.ok(() -> archive(e, c, at));
    });
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id,
      Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(accountId, vaultId);
      CredentialRow c = e == null ? null : e.credentials.get(id);
      if (c == null) {
        return new Decision<>(false, WriteOutcome.NOT_FOUND, List.of(), null);
      }
      return new Decision<>(true, WriteOutcome.OK, List.of(), () -> {
        e.credentials.remove(id);
        e.activeByUrlKey.remove(c.identityKey(), c.id());
        unindexToken(c);
        credentialIds.remove(c.id());
      });
    });
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement, Journal journal) {
    return journaled(journal, () -> {
      VaultEntry e = entry(accountId, vaultId);
      CredentialRow c = e == null ? null : e.credentials.get(id);
      if (c == null) {
        return Decision.refused(WriteOutcome.NOT_FOUND);
      }
      if (c.status() == Status.ARCHIVED) {
        return Decision.refused(WriteOutcome.ARCHIVED);
      }
      requireNewCredentialId(replacement.id());
      return Decision.ok(() -> {
        archive(e, c, at);
        e.activeByUrlKey.put(replacement.identityKey(), replacement.id());
        e.credentials.put(replacement.id(), replacement);
        indexCredential(replacement);
      });
    });
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    return read(() -> {
      List<CredentialRow> found = new ArrayList<>(1);
      for (String vaultId : vaultIds) {
        VaultEntry e = entry(accountId, vaultId);
        String id = e == null ? null : e.activeByUrlKey.get(urlKey);
        if (id != null) {
          found.add(e.credentials.get(id));
        }
      }
      return found;
    });
  }

  // ---------------------------------------------------------------- keys

  @Override
  public Optional<byte[]> loadKeyset() {
    return lockedRead(() -> Optional.ofNullable(keyset).map(byte[]::clone));
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal) {
    return journaled(journal, () -> {
      if (!Arrays.equals(keyset, expected)) {
        return new Decision<>(false, WriteOutcome.STALE, List.of(), null);
      }
      byte[] copy = replacement.clone();
      return new Decision<>(true, WriteOutcome.OK, List.of(), () -> keyset = copy);
    });
  }

  @Override
  public Optional<byte[]> loadAuditKey() {
    return lockedRead(() -> Optional.ofNullable(auditKey).map(byte[]::clone));
  }

  @Override
  public boolean replaceAuditKey(byte[] expected, byte[] replacement) {
    return logWrite(() -> {
      if (!Arrays.equals(auditKey, expected)) {
        return false;
      }
      auditKey = replacement.clone();
      return true;
    });
  }

  // ---------------------------------------------------------------- the log

  @Override
  public void append(Journal journal) {
    logWrite(() -> {
      log.commit(journal, WriteOutcome.OK, List.of(), null);
      return null;
    });
  }

  @Override
  public List<EventRow> readEvents(long afterSequence, int limit) {
    return lockedRead(() -> log.events(afterSequence, limit));
  }

  @Override
  public long lastEventSequence() {
    return lockedRead(log::lastEventSequence);
  }

  @Override
  public OptionalLong subscriberPosition(String name) {
    return lockedRead(() -> log.position(name));
  }

  @Override
  public void saveSubscriberPosition(String name, long position) {
    logWrite(() -> {
      log.savePosition(name, position);
      return null;
    });
  }

  @Override
  public boolean deleteSubscriber(String name) {
    return logWrite(() -> log.deleteSubscriber(name));
  }

  @Override
  public int purgeEvents(Instant before) {
    return logWrite(() -> log.purge(before));
  }

  /**
   * A change of the log (or the audit key) under the write lock, not counted as a change: it
   * touches nothing a resolve reads, so sessions keep their answers.
   */
  private <T> T logWrite(java.util.function.Supplier<T> action) {
    long stamp = lock.writeLock();
    try {
      return action.get();
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public List<AuditRow> readAudit(long afterSequence, int limit) {
    return lockedRead(() -> log.audit(afterSequence, limit));
  }

  @Override
  public AuditHead auditHead() {
    return lockedRead(log::head);
  }

  /**
   * What a write decided under the lock: its result, its outcome for the journal, the credentials
   * a cascade changes, and the change to apply (null: nothing to change). The journal's entries
   * are built and sealed before the change is applied, so an entry that cannot be made (a
   * fail-closed audit) leaves the store as it was.
   */
  private record Decision<T>(T result, WriteOutcome outcome, List<String> cascaded,
      Runnable apply) {
    static Decision<WriteOutcome> refused(WriteOutcome outcome) {
      return new Decision<>(outcome, outcome, List.of(), null);
    }

    static Decision<WriteOutcome> ok(Runnable apply) {
      return new Decision<>(WriteOutcome.OK, WriteOutcome.OK, List.of(), apply);
    }
  }

  private <T> T journaled(Journal journal, java.util.function.Supplier<Decision<T>> decide) {
    java.util.Objects.requireNonNull(journal, "journal");
    long stamp = lock.writeLock();
    try {
      Decision<T> d = decide.get();
      log.commit(journal, d.outcome(), d.cascaded(), d.apply());
      return d.result();
    } finally {
      // Bumped even when the write changed nothing: a spurious change only costs a re-read.
      changes++;
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    // The write lock, as the first call for a key builds its index; it changes nothing stored, so
    // it does not count as a change.
    long stamp = lock.writeLock();
    try {
      NavigableMap<String, CredentialRow> onKey = tokensOnKey(keyId);
      NavigableMap<String, CredentialRow> tail =
          afterId == null ? onKey : onKey.tailMap(afterId, false);
      return tail.values().stream().limit(limit).toList();
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return lockedRead(() -> tokensPerKey.totalExcept(keyId));
  }

  @Override
  public boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
      EncryptedSecrets replacement) {
    return write(() -> {
      CredentialRow c = tokensOnKey(expected.keyId()).get(credentialId);
      if (c == null || !c.accountId().equals(accountId) || !expected.equals(c.token())) {
        return false;
      }
      VaultEntry e = entry(accountId, c.vaultId());
      CredentialRow updated = c.withSecrets(replacement);
      unindexToken(c);
      e.credentials.put(credentialId, updated);
      indexToken(updated);
      return true;
    });
  }

  /** A credential's refresh lease: a host may refresh it until {@code until}. */
  private record Lease(String owner, Instant until) {}

  /**
   * What a credential list's name filter searches: the URL or secret name, and the display name.
   * The line break keeps a match from spanning both: a filter never holds control characters.
   */
  private static String searchable(CredentialRow c) {
    return c.displayName() == null ? c.searchableKey() : c.searchableKey() + "\n" + c.displayName();
  }

  @Override
  public void close() {
    // Nothing to release: the data lives as long as the object.
  }

  // ---------------------------------------------------------------- internals

  private VaultEntry entry(String accountId, String vaultId) {
    NavigableMap<String, VaultEntry> vaults = vaultsByAccount.get(accountId);
    return vaults == null ? null : vaults.get(vaultId);
  }

  private void archive(VaultEntry e, CredentialRow c, Instant at) {
    e.activeByUrlKey.remove(c.identityKey(), c.id());
    unindexToken(c);
    e.credentials.put(c.id(), c.archived(at));
  }

  private void requireNewCredentialId(String id) {
    if (credentialIds.contains(id)) {
      throw new IllegalStateException("a credential with this id already exists");
    }
  }

  private void indexCredential(CredentialRow c) {
    credentialIds.add(c.id());
    indexToken(c);
  }

  private void indexToken(CredentialRow c) {
    if (c.token() != null) {
      int keyId = c.token().keyId();
      tokensPerKey.add(keyId, 1);
      if (!tokensByKey.isEmpty()) {
        NavigableMap<String, CredentialRow> byKey = tokensByKey.get(keyId);
        if (byKey != null) {
          byKey.put(c.id(), c);
        }
      }
    }
  }

  private void unindexToken(CredentialRow c) {
    if (c.token() != null) {
      int keyId = c.token().keyId();
      if (tokensPerKey.add(keyId, -1) == 0) {
        tokensByKey.remove(keyId);
      } else if (!tokensByKey.isEmpty()) {
        NavigableMap<String, CredentialRow> byKey = tokensByKey.get(keyId);
        if (byKey != null) {
          byKey.remove(c.id());
        }
      }
    }
  }

  /**
   * The index of key {@code keyId}, built by one pass over every credential the first time; empty,
   * and not built, for a key that encrypts no stored token.
   */
  private NavigableMap<String, CredentialRow> tokensOnKey(int keyId) {
    if (tokensPerKey.get(keyId) == 0) {
      return java.util.Collections.emptyNavigableMap();
    }
    NavigableMap<String, CredentialRow> byKey = tokensByKey.get(keyId);
    if (byKey == null) {
      byKey = new TreeMap<>();
      for (NavigableMap<String, VaultEntry> vaults : vaultsByAccount.values()) {
        for (VaultEntry e : vaults.values()) {
          for (CredentialRow c : e.credentials.values()) {
            if (c.token() != null && c.token().keyId() == keyId) {
              byKey.put(c.id(), c);
            }
          }
        }
      }
      tokensByKey.put(keyId, byKey);
    }
    return byKey;
  }

  /** Token counts for the few data keys a store sees, without boxing their 32-bit ids. */
  private static final class KeyCounts {
    private int[] keys = new int[4];
    private long[] counts = new long[4];
    private int size;

    long get(int key) {
      for (int i = 0; i < size; i++) {
        if (keys[i] == key) {
          return counts[i];
        }
      }
      return 0;
    }

    /** Adds {@code delta} to the count of {@code key} and returns the new count. */
    long add(int key, long delta) {
      for (int i = 0; i < size; i++) {
        if (keys[i] == key) {
          counts[i] += delta;
          if (counts[i] == 0) { // forget the key: retired keys do not pile up
            size--;
            keys[i] = keys[size];
            counts[i] = counts[size];
            return 0;
          }
          return counts[i];
        }
      }
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        counts = java.util.Arrays.copyOf(counts, size * 2);
      }
      keys[size] = key;
      counts[size] = delta;
      size++;
      return delta;
    }

    long totalExcept(int key) {
      long total = 0;
      for (int i = 0; i < size; i++) {
        if (keys[i] != key) {
          total += counts[i];
        }
      }
      return total;
    }
  }

  /** Walks from the cursor in the direction of travel, keeping matches until limit + 1. */
  private static <E, R> List<R> page(NavigableMap<String, E> byId, ListQuery q, Function<E, R> row,
      Function<R, String> name, Function<R, Status> status, Function<R, Instant> createdAt) {
    // byId is newest first (newestFirst()): the pages people turn (the first, and those after a
    // cursor) walk it forwards; only a page before a cursor walks it backwards.
    NavigableMap<String, E> range;
    if (q.beforeId() != null) {
      range = byId.headMap(q.beforeId(), false).descendingMap();
    } else if (q.afterId() != null) {
      range = byId.tailMap(q.afterId(), false);
    } else {
      range = byId;
    }
    Predicate<R> matches = r -> (q.includeArchived() || status.apply(r) == Status.ACTIVE)
        && (q.nameFolded() == null
            || name.apply(r).toLowerCase(Locale.ROOT).contains(q.nameFolded()))
        && (q.createdAtGte() == null || !createdAt.apply(r).isBefore(q.createdAtGte()))
        && (q.createdAtLte() == null || !createdAt.apply(r).isAfter(q.createdAtLte()));
    List<R> out = new ArrayList<>(q.fetchSize());
    for (E e : range.values()) {
      R r = row.apply(e);
      if (matches.test(r)) {
        out.add(r);
        if (out.size() == q.fetchSize()) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * A map of records by id, newest (greatest id) first. Lists are newest first, and a skip list
   * walks backwards by searching again from its top for every step (its nodes link forwards
   * only): a page of 20 at the middle of a million vaults cost 11.4 us walked backwards against
   * 4.3 us at a thousand (docs/BENCHMARKS.md). Kept in the order pages are read, it is one search
   * and then one step per row.
   */
  private static <V> NavigableMap<String, V> newestFirst() {
    return new ConcurrentSkipListMap<>(java.util.Comparator.reverseOrder());
  }

  /**
   * A read of the concurrent maps without a lock, kept only if no write started meanwhile, else
   * done again under the read lock. {@code action} must touch nothing but the concurrent maps,
   * {@link VaultEntry#row} and immutable rows, and must not keep its result elsewhere.
   */
  private <T> T read(java.util.function.Supplier<T> action) {
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      try {
        T result = action.get();
        if (lock.validate(stamp)) {
          return result;
        }
      } catch (RuntimeException inconsistent) {
        // A write ran meanwhile and the maps showed half of it: read again under the lock.
      }
    }
    return lockedRead(action);
  }

  /** A read under the read lock: for state that only writers' lock protects. */
  private <T> T lockedRead(java.util.function.Supplier<T> action) {
    long stamp = lock.readLock();
    try {
      return action.get();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private <T> T write(java.util.function.Supplier<T> action) {
    long stamp = lock.writeLock();
    try {
      return action.get();
    } finally {
      // Bumped even when the write changed nothing: a spurious change only costs a re-read.
      changes++;
      lock.unlockWrite(stamp);
    }
  }

  /** Every write of this store bumps it; no other process can write here. */
  @Override
  public long changeCount() {
    return changes;
  }
}
