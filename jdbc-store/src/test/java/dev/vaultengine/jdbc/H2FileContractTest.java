package dev.vaultengine.jdbc;

import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.testkit.VaultStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file, the embedded default. */
class H2FileContractTest extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TempDir
  static Path dir;

  @Override
  protected VaultStore newStore() {
    return EmbeddedStores.h2File(dir.resolve("db" + COUNTER.incrementAndGet()));
  }
}
