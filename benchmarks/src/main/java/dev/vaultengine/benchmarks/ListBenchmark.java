package dev.vaultengine.benchmarks;

import dev.vaultengine.Page;
import dev.vaultengine.Vault;
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
 * A page of 20 vaults at depth (the cursor in the middle of the account) with N vaults stored
 * ({@link Ops.ListPage}). Keyset pagination should cost the same at any N. The ratios measure the
 * three N of a store inside {@link Interleaved}, in one fork; this class runs one on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Two more warmups than the others: with a million rows just loaded, the first three seconds after
// the trial setup run 2-6x slower while the heap settles (measured), whatever the store does.
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 3, time = 1)
public class ListBenchmark {
  @Param({"memory", "h2file", "sqlite"})
  public String store;

  @Param({"1000", "100000", "1000000"})
  public int n;

  private Ops.ListPage page;

  @Setup(Level.Trial)
  public void setUp() {
    page = new Ops.ListPage(store, n);
    // Settle the heap after the bulk load: without this the young collections that promote a
    // million freshly loaded rows land in the measured iterations of the quick mode (seen: 10.8 us
    // per page at 1M with two 1 s warmups, 0.63 us once they are behind).
    System.gc();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    page.close();
  }

  @Benchmark
  public Page<Vault> listPageAtDepth() {
    return page.run();
  }
}
