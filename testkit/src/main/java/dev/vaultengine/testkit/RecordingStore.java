package dev.vaultengine.testkit;

import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A store decorator that counts calls and can inject a failure, for tests that must show that bad
 * input never reaches the store, that the hot path costs one read, or that a failing store leaves
 * nothing half-done.
 */
public final class RecordingStore implements VaultStore {
  private final VaultStore delegate;
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicReference<String> failOn = new AtomicReference<>();

  /** Wraps {@code delegate}. */
  public RecordingStore(VaultStore delegate) {
    this.delegate = delegate;
  }

  /** The wrapped store. */
  public VaultStore delegate() {
    return delegate;
  }

  /** Write calls so far. */
  public long writes() {
    return writes.get();
  }

  /** Read calls so far. */
  public long reads() {
    return reads.get();
  }

  /** Makes the next call of the SPI method named {@code method} throw, once. */
  public void failNext(String method) {
    failOn.set(method);
  }

  private void write(String method) {
    writes.incrementAndGet();
    maybeFail(method);
  }

  private void read(String method) {
    reads.incrementAndGet();
    maybeFail(method);
  }

  private void maybeFail(String method) {
    if (failOn.compareAndSet(method, null)) {
      throw new IllegalStateException("injected failure in " + method);
    }
  }

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials) {
    write("insertVault");
    return delegate.insertVault(vault, credentials);
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    read("findVault");
    return delegate.findVault(accountId, vaultId);
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    read("listVaults");
    return delegate.listVaults(accountId, query);
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt) {
    write("updateVault");
    return delegate.updateVault(vault, expectedUpdatedAt);
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at) {
    write("archiveVault");
    return delegate.archiveVault(accountId, vaultId, at);
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId) {
    write("deleteVault");
    return delegate.deleteVault(accountId, vaultId);
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential) {
    write("insertCredential");
    return delegate.insertCredential(credential);
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    read("findCredential");
    return delegate.findCredential(accountId, vaultId, id);
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    read("listCredentials");
    return delegate.listCredentials(accountId, vaultId, query);
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at) {
    write("archiveCredential");
    return delegate.archiveCredential(accountId, vaultId, id, at);
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id) {
    write("deleteCredential");
    return delegate.deleteCredential(accountId, vaultId, id);
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement) {
    write("rotateCredential");
    return delegate.rotateCredential(accountId, vaultId, id, at, replacement);
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    read("findActiveCredentials");
    return delegate.findActiveCredentials(accountId, vaultIds, urlKey);
  }

  /** Forwarded and not counted: an in-memory number, not a read of stored data. */
  @Override
  public long changeCount() {
    return delegate.changeCount();
  }

  @Override
  public Optional<byte[]> loadKeyset() {
    read("loadKeyset");
    return delegate.loadKeyset();
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement) {
    write("replaceKeyset");
    return delegate.replaceKeyset(expected, replacement);
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    read("findTokensOnKey");
    return delegate.findTokensOnKey(keyId, afterId, limit);
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    read("countTokensNotOnKey");
    return delegate.countTokensNotOnKey(keyId);
  }

  @Override
  public boolean replaceToken(String accountId, String credentialId, EncryptedToken expected,
      EncryptedToken replacement) {
    write("replaceToken");
    return delegate.replaceToken(accountId, credentialId, expected, replacement);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
