package dev.vaultengine.jdbc;

import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.testkit.VaultStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

/** The store contract on H2 in memory. */
class H2MemoryContractTest extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Override
  protected VaultStore newStore() {
    return EmbeddedStores.h2InMemory("contract" + COUNTER.incrementAndGet());
  }
}
