package dev.vaultengine.jdbc;

import dev.vaultengine.testkit.StoreFixture;
import dev.vaultengine.testkit.VaultStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract and the reliability suite on an H2 file: each test and each sequence gets a
 * directory of its own, and reopening closes the database and opens the file again.
 */
class H2FileContractTest extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @TempDir
  static Path dir;

  @Override
  protected StoreFixture fixture() {
    return () -> {
      Path db = dir.resolve("db" + COUNTER.incrementAndGet());
      return StoreFixture.data(() -> EmbeddedStores.h2File(db), () -> { });
    };
  }

  @Override
  protected String storeName() {
    return "h2-file";
  }
}
