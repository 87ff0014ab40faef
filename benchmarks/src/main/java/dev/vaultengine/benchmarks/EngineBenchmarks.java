package dev.vaultengine.benchmarks;

import dev.vaultengine.Credential;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Vault;
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
 * The engine's operations on each store, with 10,000 credentials already stored: create
 * credential, get vault, resolve (hot). Stores: see {@link Fixtures#store} ({@code sqlite} is the
 * default durability, {@code synchronous=FULL}; {@code sqlite_normal} is
 * {@code synchronous=NORMAL}). The ratios measure create and resolve inside
 * {@link Interleaved}, with their baselines in the same fork; run.sh runs this class for what no
 * ratio uses (get vault, PostgreSQL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EngineBenchmarks {
  static final String HOT_URL = Ops.HOT_URL;

  @Param({"memory", "h2file", "postgres", "sqlite", "sqlite_normal"})
  public String store;

  private Ops.Engine engine;
  private Ops.Create create;

  @Setup(Level.Trial)
  public void setUp() {
    engine = new Ops.Engine(store);
    create = new Ops.Create(engine, false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** See {@link Ops.Create}: every iteration creates into a vault of its own, deleted after it. */
  @Setup(Level.Iteration)
  public void newTargetVault() {
    create.beforeIteration();
  }

  @TearDown(Level.Iteration)
  public void dropTargetVault() {
    create.afterIteration();
  }

  /**
   * Warms up ten seconds even in quick mode (as long as the full mode's 5 x 2 s): an H2 file that
   * takes a commit per create costs 2-4x more for its first seconds (1,250 us, then 350 us after
   * ten seconds here), and so does its floor, each on its own schedule.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public Credential createCredential() {
    return create.run();
  }

  @Benchmark
  public Vault getVault() {
    return engine.getVault();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolve() {
    return engine.resolve();
  }
}
