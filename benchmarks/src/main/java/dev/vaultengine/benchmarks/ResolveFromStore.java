package dev.vaultengine.benchmarks;

import dev.vaultengine.ResolvedCredential;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resolve (hot) on a file that must be read every time ({@link Ops.ResolveReadingTheStore}): the
 * store is built over the host's own pool, so it reports no change count and a session cannot
 * answer from its last answer. The floor is {@link Floors#indexedSelect} (H2) or
 * {@link Floors#sqliteIndexedSelect}, the raw select of the token alone; the ratios measure both
 * inside {@link Interleaved}, in one fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ResolveFromStore {
  @Param({"h2file", "sqlite"})
  public String store;

  private Ops.ResolveReadingTheStore resolve;

  @Setup(Level.Trial)
  public void setUp() {
    resolve = new Ops.ResolveReadingTheStore(store);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    resolve.close();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveReadingTheStore() {
    return resolve.run();
  }
}
