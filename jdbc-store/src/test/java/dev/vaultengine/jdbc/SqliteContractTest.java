package dev.vaultengine.jdbc;

import dev.vaultengine.testkit.StoreFixture;
import dev.vaultengine.testkit.VaultStoreContract;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract and the reliability suite on the embedded default, a SQLite file, with each
 * durability setting: each test and each sequence gets a file of its own, and reopening closes
 * the file and opens it again.
 */
class SqliteContractTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TempDir
  static Path dir;

  /** Stores of one durability setting, each on a fresh file. */
  static StoreFixture files(Durability durability) {
    return () -> {
      Path db = dir.resolve("db" + COUNTER.incrementAndGet());
      return StoreFixture.data(() -> EmbeddedStores.sqlite(db, durability), () -> { });
    };
  }

  /** {@link Durability#SURVIVES_POWER_LOSS}, the default. */
  @Nested
  class PowerLoss extends VaultStoreContract {
    @Override
    protected StoreFixture fixture() {
      return files(Durability.SURVIVES_POWER_LOSS);
    }

    @Override
    protected String storeName() {
      return "sqlite-" + Durability.SURVIVES_POWER_LOSS.name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@link Durability#SURVIVES_PROCESS_KILL}. */
  @Nested
  class ProcessKill extends VaultStoreContract {
    @Override
    protected StoreFixture fixture() {
      return files(Durability.SURVIVES_PROCESS_KILL);
    }

    @Override
    protected String storeName() {
      return "sqlite-" + Durability.SURVIVES_PROCESS_KILL.name().toLowerCase(Locale.ROOT);
    }
  }
}
