package dev.vaultengine.jdbc;

import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.testkit.VaultStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The contract on a shared server: each store gets tables of its own prefix, dropped after. */
abstract class ServerContractTests extends VaultStoreContract {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final String classPrefix = "ct" + Integer.toHexString(getClass().getSimpleName()
      .hashCode() & 0xfff) + "_";

  abstract DataSource dataSource();

  @Override
  protected VaultStore newStore() {
    String prefix = classPrefix + COUNTER.incrementAndGet() + "_";
    return JdbcVaultStore.builder(dataSource()).tablePrefix(prefix).build();
  }

  @AfterEach
  void dropTables() {
    Databases.dropTables(dataSource(), classPrefix);
  }
}
