package dev.vaultengine.internal;

import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.KeyManager;
import dev.vaultengine.KeysetStatus;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.internal.crypto.AuditKey;
import dev.vaultengine.internal.crypto.DataKeys;

/**
 * The key manager a caller gets from {@code VaultEngine.keys()}: a separate object, so that it
 * cannot be cast to the {@link DataKeys} that decrypts rows, and one that refuses every operation
 * once the engine is closed.
 */
final class ClosableKeyManager implements KeyManager {
  private final DataKeys keys;
  private final AuditKey auditKey;
  private final GuardedStore store;

  ClosableKeyManager(DataKeys keys, AuditKey auditKey, GuardedStore store) {
    this.keys = keys;
    this.auditKey = auditKey;
    this.store = store;
  }

  private DataKeys open() {
    if (store.isClosed()) {
      throw GuardedStore.closedError();
    }
    return keys;
  }

  @Override
  public KeysetStatus status() {
    return open().status();
  }

  @Override
  public int rotateDataKey() {
    return open().rotateDataKey();
  }

  @Override
  public ReencryptionReport reencrypt(int batchSize) {
    return open().reencrypt(batchSize);
  }

  @Override
  public ReencryptionReport reencrypt(int batchSize, Progress progress) {
    return open().reencrypt(batchSize, progress);
  }

  @Override
  public void disableRetiredKeys() {
    DataKeys open = open();
    // The audit key is encrypted by the data keyset: move it to the primary key first.
    auditKey.rewrap();
    open.disableRetiredKeys();
  }

  @Override
  public void rotateKeyEncryptionKey(KeyEncryptionKey newKek) {
    open().rotateKeyEncryptionKey(newKek);
  }

  @Override
  public String toString() {
    return "KeyManager";
  }
}
