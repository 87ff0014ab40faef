package dev.vaultengine.testkit;

import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultStore;

/** The contract, run for the in-memory store. */
class InMemoryStoreContractTest extends VaultStoreContract {
  @Override
  protected VaultStore newStore() {
    return new InMemoryVaultStore();
  }
}
