package dev.vaultengine.testkit;

import dev.vaultengine.memory.InMemoryVaultStore;

/** The reliability suite on the in-memory store. */
class InMemoryReliabilityTest extends ReliabilityContract {
  @Override
  protected ModelBasedHarness.Stores stores() {
    return () -> {
      InMemoryVaultStore store = new InMemoryVaultStore();
      return () -> new NonClosingStore(store);
    };
  }

  @Override
  protected String storeName() {
    return "memory";
  }
}
