package dev.vaultengine.testkit;

import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultStore;

/**
 * The contract, every concern and the reliability suite, run for the in-memory store. One concern
 * alone, by its tag: {@code mvn -pl testkit -am test -Dtest=InMemoryStoreContractTest
 * -Dgroups=listing -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class InMemoryStoreContractTest extends VaultStoreContract {
  @Override
  protected VaultStore newStore() {
    return new InMemoryVaultStore();
  }

  @Override
  protected String storeName() {
    return "memory";
  }
}
