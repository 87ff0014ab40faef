package dev.vaultengine.benchmarks;

import dev.vaultengine.ResolvedCredential;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The shared-database option of issue 17 ({@code resolveFromEventFeed(500 ms)}, poll 250 ms;
 * {@link Ops#FEED}) on the database servers (PostgreSQL: LISTEN/NOTIFY wakes the feed; MariaDB:
 * polling only):
 *
 * <ul>
 *   <li>{@code resolveFromEventFeed}: the repeated resolve (10,000 credentials stored), answered
 *       from the session's memory while the feed shows no change. Its ratio to the in-memory
 *       resolve is measured in {@link Interleaved} (group {@code resolveFromFeedPostgres}, with
 *       the default PostgreSQL resolve, which reads the database every time).
 *   <li>{@code rotationSeenByOtherHost}: one shot per rotation ({@link Ops.TwoHosts}): host A
 *       rotates a token (untimed, committed before the shot starts), host B's session resolves in
 *       a tight loop until it returns the new token; the shot's time is how long another host
 *       takes to see a committed rotation. Median and p99 from JMH's percentiles over the shots.
 * </ul>
 *
 * Run it with {@code -p store=postgres} or {@code -p store=mariadb} for one server.
 */
public class FeedBenchmarks {

  /** One engine with the option on a server. */
  @State(Scope.Benchmark)
  public static class Feed {
    @Param({"postgres", "mariadb"})
    public String store;

    Ops.FeedResolve resolve;

    @Setup(Level.Trial)
    public void open() {
      resolve = new Ops.FeedResolve(store);
    }

    @TearDown(Level.Trial)
    public void close() {
      resolve.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  @Fork(1)
  public Optional<ResolvedCredential> resolveFromEventFeed(Feed f) {
    return f.resolve.run();
  }

  /** Two hosts on one server; host A rotates before each shot. */
  @State(Scope.Benchmark)
  public static class Hosts {
    @Param({"postgres", "mariadb"})
    public String store;

    Ops.TwoHosts hosts;

    @Setup(Level.Trial)
    public void open() {
      hosts = new Ops.TwoHosts(store);
    }

    /** Untimed: the rotation is committed when the shot starts. */
    @Setup(Level.Invocation)
    public void rotate() {
      hosts.rotate();
    }

    @TearDown(Level.Trial)
    public void close() {
      hosts.close();
    }
  }

  /**
   * 200 shots (rotations) after 20 warm-up shots: with the 250 ms poll on MariaDB a shot takes up
   * to about 250 ms, so the run takes about a minute there and seconds on PostgreSQL.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 20)
  @Measurement(iterations = 200)
  @Fork(1)
  public long rotationSeenByOtherHost(Hosts h) {
    return h.hosts.awaitSeen();
  }
}
