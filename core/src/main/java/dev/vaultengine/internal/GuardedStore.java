package dev.vaultengine.internal;

import dev.vaultengine.VaultException;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

  GuardedStore(VaultStore store) {
    this.store = store;
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
      throw VaultException.api("The store failed during " + operation + "; nothing was changed "
          + "by this call (" + e.getClass().getSimpleName() + ").", null);
    }
  }

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials) {
    return call("insertVault", () -> store.insertVault(vault, credentials));
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
  public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt) {
    return call("updateCredential", () -> store.updateCredential(updated, expectedUpdatedAt));
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt) {
    return call("updateVault", () -> store.updateVault(vault, expectedUpdatedAt));
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at) {
    return call("archiveVault", () -> store.archiveVault(accountId, vaultId, at));
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId) {
    return call("deleteVault", () -> store.deleteVault(accountId, vaultId));
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential) {
    return call("insertCredential", () -> store.insertCredential(credential));
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
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at) {
    return call("archiveCredential", () -> store.archiveCredential(accountId, vaultId, id, at));
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id) {
    return call("deleteCredential", () -> store.deleteCredential(accountId, vaultId, id));
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement) {
    return call("rotateCredential",
        () -> store.rotateCredential(accountId, vaultId, id, at, replacement));
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
    try {
      return store.changeCount();
    } catch (RuntimeException e) {
      return -1; // cannot tell: the session reads the store, which reports the failure
    }
  }

  @Override
  public boolean oneChangeBetween(long before, long after) {
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
  public boolean replaceKeyset(byte[] expected, byte[] replacement) {
    return call("replaceKeyset", () -> store.replaceKeyset(expected, replacement));
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
