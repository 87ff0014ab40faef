package dev.vaultengine.jdbc;

import dev.vaultengine.testkit.StoreFixture;
import dev.vaultengine.testkit.VaultStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store contract and the reliability suite on H2 in memory: the database lives as long as its
 * store object, so reopening hands out the same store (the data is dropped when it is disposed).
 */
class H2MemoryContractTest extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Override
  protected StoreFixture fixture() {
    return StoreFixture.shared(() -> EmbeddedStores.h2InMemory(
        "contract" + COUNTER.incrementAndGet()));
  }

  @Override
  protected String storeName() {
    return "h2-memory";
  }
}
