package dev.vaultengine.jdbc;

import dev.vaultengine.testkit.StoreFixture;
import dev.vaultengine.testkit.VaultStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The contract and the reliability suite on a shared server: each test and each sequence gets
 * tables of its own prefix, reopened by a new store on the same prefix and dropped when disposed.
 */
abstract class ServerContractTests extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final String classPrefix = "ct" + Integer.toHexString(getClass().getSimpleName()
      .hashCode() & 0xfff) + "_";

  abstract DataSource dataSource();

  @Override
  protected StoreFixture fixture() {
    return () -> {
      // The counter ends with "_", so no prefix is the start of another (ct1_ and ct10_).
      String prefix = classPrefix + COUNTER.incrementAndGet() + "_";
      DataSource ds = dataSource();
      return StoreFixture.data(() -> JdbcVaultStore.builder(ds).tablePrefix(prefix).build(),
          () -> Databases.dropTables(ds, prefix));
    };
  }
}
