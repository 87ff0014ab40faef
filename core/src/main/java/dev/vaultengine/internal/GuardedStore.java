package dev.vaultengine.internal;

import dev.vaultengine.VaultException;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The store as the engine calls it: any failure that is not already a {@link VaultException}
 * becomes an {@code api_error} naming the operation, and the original (which may be an SQL error
 * quoting row data) goes to the log, never to the caller. Written out rather than proxied because
 * it sits on the resolve hot path.
 *
 * <p>It is also where a closed engine stops: once {@link #close()} ran, every call, the resolve hot
 * path's change count included, is the {@code api_error} "The engine is closed." and never reaches
 * the store, whatever the store would do after its own close.
 */
final class GuardedStore implements VaultStore {
  private static final System.Logger LOG = System.getLogger(GuardedStore.class.getName());

  private final VaultStore store;
  private volatile boolean closed;
  private volatile Runnable afterJournal = () -> { };
  private volatile Runnable afterAppend = () -> { };
  /** When set, the change count sessions use instead of the store's (the event feed's). */
  private volatile java.util.function.LongSupplier changeCountSource;

  GuardedStore(VaultStore store) {
    this.store = store;
  }

  /**
   * Makes {@link #changeCount()} answer from {@code source} (the event feed of a shared database)
   * instead of the store, which cannot tell.
   */
  void changeCountFrom(java.util.function.LongSupplier source) {
    this.changeCountSource = source;
  }

  /** Run after every write that carried a journal (to wake local event delivery). */
  void afterJournal(Runnable action) {
    this.afterJournal = action;
  }

  /** Run after every log-only append (to wake local event delivery). */
  void afterAppend(Runnable action) {
    this.afterAppend = action;
  }

  private <T> T journaled(String operation, Supplier<T> call) {
    T result = call(operation, call);
    afterJournal.run();
    return result;
  }

  /** The error of every call on a closed engine. */
  static VaultException closedError() {
    return VaultException.api("The engine is closed.", null);
  }

  /** True once the engine was closed. */
  boolean isClosed() {
    return closed;
  }

  private <T> T call(String operation, Supplier<T> call) {
    if (closed) {
      throw closedError();
    }
    try {
      return call.get();
    } catch (VaultException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.log(System.Logger.Level.WARNING, "store operation " + operation + " failed", e);
      // The cause goes to the log above, not into the message: a caller shows the message to a
      // user, who can do nothing with a driver's exception name.
      throw VaultException.api("The store failed during " + operation + "; nothing was changed "
          + "by this call.", null);
    }
  }

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials,
      Journal journal) {
    return journaled("insertVault", () -> store.insertVault(vault, credentials, journal));
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return call("findVault", () -> store.findVault(accountId, vaultId));
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    return call("listVaults", () -> store.listVaults(accountId, query));
  }

  @Override
  public Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
      Instant now, Instant until) {
    return call("tryLeaseRefresh",
        () -> store.tryLeaseRefresh(accountId, credentialId, owner, now, until));
  }

  @Override
  public boolean releaseRefreshLease(String accountId, String credentialId, String owner) {
    return call("releaseRefreshLease",
        () -> store.releaseRefreshLease(accountId, credentialId, owner));
  }

  @Override
  public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
      Journal journal) {
    return journaled("updateCredential",
        () -> store.updateCredential(updated, expectedUpdatedAt, journal));
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal) {
    return journaled("updateVault", () -> store.updateVault(vault, expectedUpdatedAt, journal));
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at,
      Journal journal) {
    return journaled("archiveVault", () -> store.archiveVault(accountId, vaultId, at, journal));
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId, Journal journal) {
    return journaled("deleteVault", () -> store.deleteVault(accountId, vaultId, journal));
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential, Journal journal) {
    return journaled("insertCredential", () -> store.insertCredential(credential, journal));
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return call("findCredential", () -> store.findCredential(accountId, vaultId, id));
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    return call("listCredentials", () -> store.listCredentials(accountId, vaultId, query));
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at,
      Journal journal) {
    return journaled("archiveCredential",
        () -> store.archiveCredential(accountId, vaultId, id, at, journal));
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id,
      Journal journal) {
    return journaled("deleteCredential",
        () -> store.deleteCredential(accountId, vaultId, id, journal));
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement, Journal journal) {
    return journaled("rotateCredential",
        () -> store.rotateCredential(accountId, vaultId, id, at, replacement, journal));
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    return call("findActiveCredentials",
        () -> store.findActiveCredentials(accountId, vaultIds, urlKey));
  }

  @Override
  public long changeCount() {
    if (closed) {
      throw closedError();
    }
    java.util.function.LongSupplier source = changeCountSource;
    if (source != null) {
      return source.getAsLong();
    }
    try {
      return store.changeCount();
    } catch (RuntimeException e) {
      return -1; // cannot tell: the session reads the store, which reports the failure
    }
  }

  @Override
  public boolean oneChangeBetween(long before, long after) {
    if (changeCountSource != null) {
      return after == before + 1; // the feed's version moves by one at each own write
    }
    try {
      return store.oneChangeBetween(before, after);
    } catch (RuntimeException e) {
      return false; // cannot tell: sessions read the store
    }
  }


  @Override
  public Optional<byte[]> loadKeyset() {
    return call("loadKeyset", store::loadKeyset);
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal) {
    return journaled("replaceKeyset", () -> store.replaceKeyset(expected, replacement, journal));
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    return call("findTokensOnKey", () -> store.findTokensOnKey(keyId, afterId, limit));
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return call("countTokensNotOnKey", () -> store.countTokensNotOnKey(keyId));
  }

  @Override
  public boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
      EncryptedSecrets replacement) {
    return call("replaceSecrets",
        () -> store.replaceSecrets(accountId, credentialId, expected, replacement));
  }

  @Override
  public void append(Journal journal) {
    call("append", () -> {
      store.append(journal);
      return null;
    });
    // An append changes no record a resolve reads (a refusal, a disclosure, a failed refresh):
    // delivery is woken for its events, but it is not an own write sessions must see.
    afterAppend.run();
  }

  @Override
  public List<EventRow> readEvents(long afterSequence, int limit) {
    return call("readEvents", () -> store.readEvents(afterSequence, limit));
  }

  @Override
  public long lastEventSequence() {
    return call("lastEventSequence", store::lastEventSequence);
  }

  @Override
  public OptionalLong subscriberPosition(String name) {
    return call("subscriberPosition", () -> store.subscriberPosition(name));
  }

  @Override
  public void saveSubscriberPosition(String name, long position) {
    call("saveSubscriberPosition", () -> {
      store.saveSubscriberPosition(name, position);
      return null;
    });
  }

  @Override
  public boolean deleteSubscriber(String name) {
    return call("deleteSubscriber", () -> store.deleteSubscriber(name));
  }

  @Override
  public int purgeEvents(Instant before) {
    return call("purgeEvents", () -> store.purgeEvents(before));
  }

  @Override
  public List<AuditRow> readAudit(long afterSequence, int limit) {
    return call("readAudit", () -> store.readAudit(afterSequence, limit));
  }

  @Override
  public AuditHead auditHead() {
    return call("auditHead", store::auditHead);
  }

  @Override
  public Optional<byte[]> loadAuditKey() {
    return call("loadAuditKey", store::loadAuditKey);
  }

  @Override
  public boolean replaceAuditKey(byte[] expected, byte[] replacement) {
    return call("replaceAuditKey", () -> store.replaceAuditKey(expected, replacement));
  }

  @Override
  public AutoCloseable watchEvents(Runnable wake) {
    return call("watchEvents", () -> store.watchEvents(wake));
  }

  /** Closes the store once; later calls of any method get "The engine is closed.". */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the store failed", e);
      throw VaultException.api("Closing the store failed (" + e.getClass().getSimpleName()
          + ").", null);
    }
  }
}
