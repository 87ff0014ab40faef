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
 * A view of a store whose {@code close()} does nothing, so that several engines (standing in for
 * several host processes) can share one store and only its owner closes it.
 */
public final class NonClosingStore implements VaultStore {
  private final VaultStore store;

  /** Shares {@code store}. */
  public NonClosingStore(VaultStore store) {
    this.store = store;
  }

  /** Closes the shared store. */
  public void closeForReal() {
    store.close();
  }

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials) {
    return store.insertVault(vault, credentials);
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return store.findVault(accountId, vaultId);
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    return store.listVaults(accountId, query);
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt) {
    return store.updateVault(vault, expectedUpdatedAt);
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at) {
    return store.archiveVault(accountId, vaultId, at);
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId) {
    return store.deleteVault(accountId, vaultId);
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential) {
    return store.insertCredential(credential);
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return store.findCredential(accountId, vaultId, id);
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    return store.listCredentials(accountId, vaultId, query);
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at) {
    return store.archiveCredential(accountId, vaultId, id, at);
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id) {
    return store.deleteCredential(accountId, vaultId, id);
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement) {
    return store.rotateCredential(accountId, vaultId, id, at, replacement);
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    return store.findActiveCredentials(accountId, vaultIds, urlKey);
  }

  @Override
  public Optional<byte[]> loadKeyset() {
    return store.loadKeyset();
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement) {
    return store.replaceKeyset(expected, replacement);
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    return store.findTokensOnKey(keyId, afterId, limit);
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return store.countTokensNotOnKey(keyId);
  }

  @Override
  public boolean replaceToken(String accountId, String credentialId, EncryptedToken expected,
      EncryptedToken replacement) {
    return store.replaceToken(accountId, credentialId, expected, replacement);
  }

  @Override
  public void close() {
    // Shared: the owner closes it with closeForReal().
  }
}
