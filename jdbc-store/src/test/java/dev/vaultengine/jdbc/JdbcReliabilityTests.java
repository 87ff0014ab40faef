package dev.vaultengine.jdbc;

import dev.vaultengine.testkit.ModelBasedHarness;
import dev.vaultengine.testkit.NonClosingStore;
import dev.vaultengine.testkit.ReliabilityContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** The reliability suite on every JDBC database. */
final class JdbcReliabilityTests {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private JdbcReliabilityTests() {}

  /** Stores of an embedded file kind: each sequence a fresh directory, reopened for real. */
  static ModelBasedHarness.Stores inFreshDirectory(
      java.util.function.Function<Path, dev.vaultengine.spi.VaultStore> open) {
    return () -> {
      Path dir;
      try {
        dir = Files.createTempDirectory("vault-rel-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return () -> open.apply(dir);
    };
  }

  /** H2 in memory: reopening makes a new engine on the same database. */
  static class H2Memory extends ReliabilityContract {
    @Override
    protected ModelBasedHarness.Stores stores() {
      return () -> {
        JdbcVaultStore store = EmbeddedStores.h2InMemory("rel" + COUNTER.incrementAndGet());
        return new ModelBasedHarness.Reopenable() {
          @Override
          public dev.vaultengine.spi.VaultStore open() {
            return new NonClosingStore(store);
          }

          @Override
          public void dispose() {
            store.close();
          }
        };
      };
    }

    @Override
    protected String storeName() {
      return "h2-memory";
    }
  }

  /** H2 file: reopening closes the database and opens the file again. */
  static class H2File extends ReliabilityContract {
    @Override
    protected ModelBasedHarness.Stores stores() {
      return inFreshDirectory(EmbeddedStores::h2File);
    }

    @Override
    protected String storeName() {
      return "h2-file";
    }
  }

  /** SQLite file, the embedded default: reopening closes the file and opens it again. */
  abstract static class Sqlite extends ReliabilityContract {
    abstract Durability durability();

    @Override
    protected ModelBasedHarness.Stores stores() {
      return inFreshDirectory(dir -> EmbeddedStores.sqlite(dir, durability()));
    }

    @Override
    protected String storeName() {
      return "sqlite-" + durability().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A server database: each sequence has tables of its own prefix, reopened by a new store. */
  abstract static class Server extends ReliabilityContract {
    abstract DataSource dataSource();

    @Override
    protected ModelBasedHarness.Stores stores() {
      return () -> {
        String prefix = "rel" + COUNTER.incrementAndGet() + "_";
        DataSource ds = dataSource();
        return new ModelBasedHarness.Reopenable() {
          @Override
          public dev.vaultengine.spi.VaultStore open() {
            return JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
          }

          @Override
          public void dispose() {
            Databases.dropTables(ds, prefix);
          }
        };
      };
    }
  }
}
