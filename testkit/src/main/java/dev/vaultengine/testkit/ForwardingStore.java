package dev.vaultengine.testkit;

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

/**
 * A store that forwards every call to another: the base of test doubles that change one behaviour
 * (a store that breaks a rule, one that counts or fails calls, one that does not close).
 */
public class ForwardingStore implements VaultStore {
  private final VaultStore delegate;

  /** Forwards to {@code delegate}. */
  public ForwardingStore(VaultStore delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The store calls are forwarded to. */
  public VaultStore delegate() {
    return delegate;
  }

  /**
   * Runs before each read or write of stored data is forwarded (not before {@code changeCount} or
   * {@code close}): a subclass counts calls or throws here. Does nothing by default.
   *
   * @param method the SPI method's name
   * @param write true for a method that may change stored data ({@code append}, which adds to
   *     the log only, is false)
   */
  protected void before(String method, boolean write) {}

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials, Journal journal) {
    before("insertVault", true);
    return delegate.insertVault(vault, credentials, journal);
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    before("findVault", false);
    return delegate.findVault(accountId, vaultId);
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery query) {
    before("listVaults", false);
    return delegate.listVaults(accountId, query);
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal) {
    before("updateVault", true);
    return delegate.updateVault(vault, expectedUpdatedAt, journal);
  }

  @Override
  public Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
      Instant now, Instant until) {
    before("tryLeaseRefresh", true);
    return delegate.tryLeaseRefresh(accountId, credentialId, owner, now, until);
  }

  @Override
  public boolean releaseRefreshLease(String accountId, String credentialId, String owner) {
    before("releaseRefreshLease", true);
    return delegate.releaseRefreshLease(accountId, credentialId, owner);
  }

  @Override
  public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt, Journal journal) {
    before("updateCredential", true);
    return delegate.updateCredential(updated, expectedUpdatedAt, journal);
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at, Journal journal) {
    before("archiveVault", true);
    return delegate.archiveVault(accountId, vaultId, at, journal);
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId, Journal journal) {
    before("deleteVault", true);
    return delegate.deleteVault(accountId, vaultId, journal);
  }

  @Override
  public WriteOutcome insertCredential(CredentialRow credential, Journal journal) {
    before("insertCredential", true);
    return delegate.insertCredential(credential, journal);
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    before("findCredential", false);
    return delegate.findCredential(accountId, vaultId, id);
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery query) {
    before("listCredentials", false);
    return delegate.listCredentials(accountId, vaultId, query);
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at, Journal journal) {
    before("archiveCredential", true);
    return delegate.archiveCredential(accountId, vaultId, id, at, journal);
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id, Journal journal) {
    before("deleteCredential", true);
    return delegate.deleteCredential(accountId, vaultId, id, journal);
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement, Journal journal) {
    before("rotateCredential", true);
    return delegate.rotateCredential(accountId, vaultId, id, at, replacement, journal);
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    before("findActiveCredentials", false);
    return delegate.findActiveCredentials(accountId, vaultIds, urlKey);
  }

  @Override
  public long changeCount() {
    return delegate.changeCount();
  }

  @Override
  public boolean oneChangeBetween(long before, long after) {
    return delegate.oneChangeBetween(before, after);
  }

  @Override
  public Optional<byte[]> loadKeyset() {
    before("loadKeyset", false);
    return delegate.loadKeyset();
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal) {
    before("replaceKeyset", true);
    return delegate.replaceKeyset(expected, replacement, journal);
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    before("findTokensOnKey", false);
    return delegate.findTokensOnKey(keyId, afterId, limit);
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    before("countTokensNotOnKey", false);
    return delegate.countTokensNotOnKey(keyId);
  }

  @Override
  public boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
      EncryptedSecrets replacement) {
    before("replaceSecrets", true);
    return delegate.replaceSecrets(accountId, credentialId, expected, replacement);
  }

  @Override
  public void append(Journal journal) {
    before("append", false); // the log only: no record a read returns changes
    delegate.append(journal);
  }

  @Override
  public List<EventRow> readEvents(long afterSequence, int limit) {
    before("readEvents", false);
    return delegate.readEvents(afterSequence, limit);
  }

  @Override
  public long lastEventSequence() {
    before("lastEventSequence", false);
    return delegate.lastEventSequence();
  }

  @Override
  public OptionalLong subscriberPosition(String name) {
    before("subscriberPosition", false);
    return delegate.subscriberPosition(name);
  }

  @Override
  public void saveSubscriberPosition(String name, long position) {
    before("saveSubscriberPosition", true);
    delegate.saveSubscriberPosition(name, position);
  }

  @Override
  public boolean deleteSubscriber(String name) {
    before("deleteSubscriber", true);
    return delegate.deleteSubscriber(name);
  }

  @Override
  public int purgeEvents(Instant before) {
    before("purgeEvents", true);
    return delegate.purgeEvents(before);
  }

  @Override
  public List<AuditRow> readAudit(long afterSequence, int limit) {
    before("readAudit", false);
    return delegate.readAudit(afterSequence, limit);
  }

  @Override
  public AuditHead auditHead() {
    before("auditHead", false);
    return delegate.auditHead();
  }

  @Override
  public Optional<byte[]> loadAuditKey() {
    before("loadAuditKey", false);
    return delegate.loadAuditKey();
  }

  @Override
  public boolean replaceAuditKey(byte[] expected, byte[] replacement) {
    before("replaceAuditKey", true);
    return delegate.replaceAuditKey(expected, replacement);
  }

  @Override
  public AutoCloseable watchEvents(Runnable wake) {
    return delegate.watchEvents(wake);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
