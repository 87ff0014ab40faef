package dev.vaultengine.benchmarks;

import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Status;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.internal.Ids;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A page of 20 vaults at depth (the cursor in the middle of the account) with N vaults stored.
 * Keyset pagination should cost the same at any N. The rows are loaded in bulk (SPI for memory,
 * one batched INSERT for H2) so that a million fit in the quick run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Quick-mode iterations (run.sh full overrides them). Two more warmups than the others: with
// a million rows just loaded, the first three seconds after the trial setup run 2-6x slower
// while the heap settles (measured), whatever the store does.
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 3, time = 1)
public class ListBenchmark {
  @Param({"memory", "h2file"})
  public String store;

  @Param({"1000", "100000", "1000000"})
  public int n;

  private VaultEngine engine;
  private VaultService vaults;
  private String cursor;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Fixtures.tempDir("bench-list-");
    IdGenerator ids = IdGenerator.uuidV7(Clock.systemUTC(), 1);
    Instant now = Instant.parse("2026-11-22T00:00:00Z");
    String[] all = new String[n];
    for (int i = 0; i < n; i++) {
      all[i] = Ids.VAULT.format(ids.next());
    }
    VaultStore s;
    if (store.equals("memory")) {
      InMemoryVaultStore memory = new InMemoryVaultStore();
      for (String id : all) {
        memory.insertVault(new VaultRow("bench", id, "vault " + id.substring(30), Map.of(),
            Status.ACTIVE, null, now, now), java.util.List.of());
      }
      s = memory;
    } else {
      dev.vaultengine.jdbc.EmbeddedStores.h2File(dir).close(); // the schema
      JdbcConnectionPool pool = JdbcConnectionPool.create(Fixtures.h2Url(dir), "sa", "");
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ve_vaults (id, account_id, "
            + "display_name, name_folded, metadata, status, created_at, updated_at) VALUES "
            + "(?, 'bench', ?, ?, '{}', 'active', ?, ?)")) {
          for (int i = 0; i < n; i++) {
            ps.setString(1, all[i]);
            ps.setString(2, "vault " + i);
            ps.setString(3, "vault " + i);
            ps.setLong(4, i);
            ps.setLong(5, i);
            ps.addBatch();
            if (i % 10_000 == 9_999) {
              ps.executeBatch();
              c.commit();
            }
          }
          ps.executeBatch();
          c.commit();
        }
      }
      pool.dispose();
      s = dev.vaultengine.jdbc.EmbeddedStores.h2File(dir);
    }
    engine = VaultEngine.builder().store(s)
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
    vaults = engine.forAccount("bench");
    cursor = all[n / 2];
    // Settle the heap after the bulk load: without this the young collections that promote a
    // million freshly loaded rows land in the measured iterations of the quick mode (seen: 10.8 us
    // per page at 1M with two 1 s warmups, 0.63 us once they are behind).
    System.gc();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public Page<Vault> listPageAtDepth() {
    return vaults.listVaults(ListRequest.builder().limit(20).afterId(cursor).build());
  }
}
