package dev.vaultengine.benchmarks;

import java.util.concurrent.TimeUnit;
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
 * The peer: what many Java programs use instead, a PKCS12 {@code KeyStore} file as the secret store,
 * one entry per credential, saved after each write, with 10,000 secrets in it at the start of every
 * iteration ({@link Ops.Pkcs12Write}). The write-rate ratios measure it inside {@link Interleaved},
 * in the same fork as the engine's create; this class runs it on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Pkcs12Peer {
  private Ops.Pkcs12Write peer;

  @Setup(Level.Trial)
  public void setUp() {
    peer = new Ops.Pkcs12Write();
  }

  @TearDown(Level.Iteration)
  public void removeAdded() {
    peer.afterIteration();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    peer.close();
  }

  /** One secret written the way such programs do: set the entry, save the whole file. */
  @Benchmark
  public void pkcs12Write() throws Exception {
    peer.run();
  }
}
