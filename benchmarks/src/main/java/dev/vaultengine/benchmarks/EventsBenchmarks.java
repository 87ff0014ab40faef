package dev.vaultengine.benchmarks;

import dev.vaultengine.Credential;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Events and audit (issue 17), each benchmark on its own: create credential with events and audit
 * off ({@link Ops#NO_LOG}; with them on, the defaults, it is
 * {@code EngineBenchmarks.createCredential}); resolve at first disclosure, with the default audit
 * and with the audit off ({@link Ops.FirstResolve}; the repeated resolve is
 * {@code EngineBenchmarks.resolve}). The ratios measure them inside {@link Interleaved} with their
 * baselines in the same fork (groups {@code createWithLog*} and {@code resolveDisclosure*}); this
 * class is what a member's name refers to, and runs one by hand.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EventsBenchmarks {
  /** sqlite_normal: createCredentialWithoutLog only (group createWithLogSqliteNormal). */
  @Param({"memory", "sqlite"})
  public String store;

  private Ops.Op op;
  private Ops.CreateLogged create;
  private Ops.FirstResolve first;

  /** Builds only what the benchmark being run needs. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String b = params.getBenchmark();
    switch (b.substring(b.lastIndexOf('.') + 1)) {
      case "createCredentialWithoutLog" -> op = create = new Ops.CreateLogged(store, Ops.NO_LOG);
      case "resolveFirstDisclosure" -> op = first = new Ops.FirstResolve(store, true);
      case "resolveFirstAuditOff" -> op = first = new Ops.FirstResolve(store, false);
      default -> throw new IllegalStateException("unknown benchmark " + b);
    }
  }

  @Setup(Level.Iteration)
  public void beforeIteration() {
    op.beforeIteration();
  }

  @TearDown(Level.Iteration)
  public void afterIteration() {
    op.afterIteration();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    op.close();
  }

  /** As {@code EngineBenchmarks.createCredential}, warmed up as long (see there). */
  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public Credential createCredentialWithoutLog() throws Exception {
    return create.run();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveFirstDisclosure() {
    return first.run();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveFirstAuditOff() {
    return first.run();
  }
}
