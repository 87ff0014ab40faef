package dev.vaultengine.jdbc;

import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.testkit.VaultStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default, a SQLite file, with each durability setting. */
class SqliteContractTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TempDir
  static Path dir;

  /** {@link Durability#SURVIVES_POWER_LOSS}, the default. */
  @Nested
  class PowerLoss extends VaultStoreContract {
    @Override
    protected VaultStore newStore() {
      return EmbeddedStores.sqlite(dir.resolve("db" + COUNTER.incrementAndGet()));
    }
  }

  /** {@link Durability#SURVIVES_PROCESS_KILL}. */
  @Nested
  class ProcessKill extends VaultStoreContract {
    @Override
    protected VaultStore newStore() {
      return EmbeddedStores.sqlite(dir.resolve("db" + COUNTER.incrementAndGet()),
          Durability.SURVIVES_PROCESS_KILL);
    }
  }
}
