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

/**
 * A store that forwards every call to another: the base of test doubles that change one behaviour
 * (a store that breaks a rule, one that fails on demand, one that does not close).
 */
public class ForwardingStore implements VaultStore {
  private final VaultStore delegate;

  /** Forwards to {@code delegate}. */
  public ForwardingStore(VaultStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials) {
    return delegate.insertVault(vault, credentials);
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return delegate.findVault(accountId, vaultId);
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    return delegate.listVaults(accountId, query);
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt) {
    return delegate.updateVault(vault, expectedUpdatedAt);
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at) {
    return delegate.archiveVault(accountId, vaultId, at);
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId) {
    return delegate.deleteVault(accountId, vaultId);
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential) {
    return delegate.insertCredential(credential);
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return delegate.findCredential(accountId, vaultId, id);
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    return delegate.listCredentials(accountId, vaultId, query);
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at) {
    return delegate.archiveCredential(accountId, vaultId, id, at);
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id) {
    return delegate.deleteCredential(accountId, vaultId, id);
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement) {
    return delegate.rotateCredential(accountId, vaultId, id, at, replacement);
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    return delegate.findActiveCredentials(accountId, vaultIds, urlKey);
  }

  @Override
  public long changeCount() {
    return delegate.changeCount();
  }

  @Override
  public Optional<byte[]> loadKeyset() {
    return delegate.loadKeyset();
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement) {
    return delegate.replaceKeyset(expected, replacement);
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    return delegate.findTokensOnKey(keyId, afterId, limit);
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return delegate.countTokensNotOnKey(keyId);
  }

  @Override
  public boolean replaceToken(String accountId, String credentialId, EncryptedToken expected,
      EncryptedToken replacement) {
    return delegate.replaceToken(accountId, credentialId, expected, replacement);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
