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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * OAuth refresh (issue 15), each benchmark on its own: resolve of an {@code mcp_oauth} credential
 * that is not due ({@link Ops.ResolveOAuthNotDue}); resolve round-robin over 1,000 sessions alone,
 * while other credentials are refreshed at 10 per second, and while ordinary writes run at 10 per
 * second ({@link Ops.ManySessions}). The ratios measure them inside {@link Interleaved}, with
 * their baselines in the same fork (groups {@code resolveOAuth*} and {@code resolveManySessions*});
 * this class is what a member's name refers to, and runs one by hand.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RefreshBenchmarks {
  @Param({"memory", "sqlite"})
  public String store;

  private Ops.Op op;
  private Ops.ResolveOAuthNotDue oauth;
  private Ops.ManySessionsResolve alone;
  private Ops.ManySessionsWhileRefreshing refreshing;
  private Ops.ManySessionsWhileWriting writing;

  /** Builds only what the benchmark being run needs. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String b = params.getBenchmark();
    switch (b.substring(b.lastIndexOf('.') + 1)) {
      case "resolveOAuthNotDue" -> op = oauth = new Ops.ResolveOAuthNotDue(store);
      case "resolveManySessions" -> op = alone =
          new Ops.ManySessionsResolve(new Ops.ManySessions(store));
      case "resolveManySessionsWhileRefreshing" -> op = refreshing =
          new Ops.ManySessionsWhileRefreshing(new Ops.ManySessions(store));
      case "resolveManySessionsWhileWriting" -> op = writing =
          new Ops.ManySessionsWhileWriting(new Ops.ManySessions(store));
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

  @Benchmark
  public Optional<ResolvedCredential> resolveOAuthNotDue() {
    return oauth.run();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveManySessions() {
    return alone.run();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveManySessionsWhileRefreshing() {
    return refreshing.run();
  }

  @Benchmark
  public Optional<ResolvedCredential> resolveManySessionsWhileWriting() {
    return writing.run();
  }
}
