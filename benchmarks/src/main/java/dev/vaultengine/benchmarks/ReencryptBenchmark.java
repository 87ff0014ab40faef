package dev.vaultengine.benchmarks;

import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.VaultEngine;
import java.nio.file.Path;
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
 * Re-encryption after a data-key rotation: each invocation moves all 2,000 tokens to a freshly
 * rotated primary key. Time per invocation / 2,000 = time per token.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20) // single shots: fewer left the JIT cold (63-79k tokens/s in memory, not ~150k)
@Measurement(iterations = 10)
public class ReencryptBenchmark {
  static final int TOKENS = 2_000;

  // Not SQLite yet: a smoke run (loaded machine) took seconds per invocation there, the time in
  // SQLite's commits; 30 invocations would take minutes of the run. Pass -p store=sqlite to try.
  @Param({"memory", "h2file"})
  public String store;

  private VaultEngine engine;

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Fixtures.tempDir("bench-reencrypt-");
    engine = Fixtures.engine(store, dir);
    Fixtures.fill(engine.forAccount("bench"), TOKENS);
  }

  @Setup(Level.Iteration)
  public void rotate() {
    engine.keys().rotateDataKey();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public ReencryptionReport reencryptAll() {
    ReencryptionReport r = engine.keys().reencrypt(500);
    if (r.reencrypted() != TOKENS) {
      throw new IllegalStateException("moved " + r.reencrypted() + " of " + TOKENS);
    }
    return r;
  }
}
