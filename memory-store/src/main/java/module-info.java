/** The in-memory store: {@code dev.vaultengine.memory.InMemoryVaultStore}. */
module dev.vaultengine.memory {
  requires transitive dev.vaultengine.core;

  exports dev.vaultengine.memory;
}
