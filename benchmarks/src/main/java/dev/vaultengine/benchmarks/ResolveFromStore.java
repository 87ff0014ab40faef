package dev.vaultengine.benchmarks;

import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.JdbcVaultStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resolve (hot) on an H2 file that must be read every time: the store is built over the host's own
 * H2 pool, so it reports no change count (another program may write the file) and a session cannot
 * answer from its last answer. This is what every resolve costs on a shared database, and what the
 * first resolve of a URL after any write costs on the {@code h2File} store; the floor is
 * {@link Floors#indexedSelect()}, the raw select of the token alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ResolveFromStore {
  private JdbcConnectionPool pool;
  private VaultEngine engine;
  private VaultSession session;

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Fixtures.tempDir("bench-resolve-store-");
    pool = JdbcConnectionPool.create(Fixtures.h2Url(dir), "sa", "");
    engine = VaultEngine.builder().store(JdbcVaultStore.builder(pool).build())
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
    VaultService vaults = engine.forAccount("bench");
    Fixtures.fill(vaults, 10_000);
    String vaultId = Fixtures.vaultWith(vaults, "hot", EngineBenchmarks.HOT_URL);
    session = vaults.openSession(List.of(vaultId));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    pool.dispose();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveReadingTheStore() {
    return session.resolve(EngineBenchmarks.HOT_URL);
  }
}
