package dev.vaultengine.testkit;

import dev.vaultengine.spi.VaultStore;

/**
 * A view of a store whose {@code close()} does nothing, so that several engines (standing in for
 * several host processes) can share one store and only its owner closes it.
 */
public final class NonClosingStore extends ForwardingStore {
  private final VaultStore store;

  /** Shares {@code store}. */
  public NonClosingStore(VaultStore store) {
    super(store);
    this.store = store;
  }

  /** Closes the shared store. */
  public void closeForReal() {
    store.close();
  }

  @Override
  public void close() {
    // Shared: the owner closes it with closeForReal().
  }
}
