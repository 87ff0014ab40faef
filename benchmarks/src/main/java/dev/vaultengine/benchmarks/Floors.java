package dev.vaultengine.benchmarks;

import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.spi.CredentialRow;
import java.security.GeneralSecurityException;
import java.util.Optional;
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
 * The physical floor of each operation: what the work costs with no engine at all (see
 * {@link Ops} for each). The ratios measure these inside {@link Interleaved}, each in the same
 * fork as the engine benchmark it is compared with; this class runs one on its own. Each floor has
 * a state of its own, so that a fork sets up only what its floor uses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Floors {

  /** Holds one operation for the trial; clears what it wrote after each iteration. */
  public abstract static class Holder<T extends Ops.Op> {
    T op;

    abstract T open();

    @Setup(Level.Trial)
    public void setUp() {
      op = open();
    }

    @TearDown(Level.Iteration)
    public void afterIteration() {
      op.afterIteration();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      op.close();
    }
  }

  @State(Scope.Benchmark)
  public static class MemoryFloor extends Holder<Ops.MemoryFloor> {
    @Override
    Ops.MemoryFloor open() {
      return new Ops.MemoryFloor();
    }
  }

  @State(Scope.Benchmark)
  public static class H2Floor extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return new Ops.JdbcFloor("h2file");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteFloor extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return new Ops.JdbcFloor("sqlite");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteFloorWithLogRows extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return Ops.JdbcFloor.withLogRows("sqlite");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteFloorWithOneLogTable extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return Ops.JdbcFloor.withOneLogTable("sqlite");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteNormalFloor extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return new Ops.JdbcFloor("sqlite_normal");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteNormalFloorWithLogRows extends Holder<Ops.JdbcFloor> {
    @Override
    Ops.JdbcFloor open() {
      return Ops.JdbcFloor.withLogRows("sqlite_normal");
    }
  }

  @State(Scope.Benchmark)
  public static class MemoryLogWork extends Holder<Ops.MemoryLogWork> {
    @Override
    Ops.MemoryLogWork open() {
      return new Ops.MemoryLogWork();
    }
  }

  @State(Scope.Benchmark)
  public static class MapGet extends Holder<Ops.MapGet> {
    @Override
    Ops.MapGet open() {
      return new Ops.MapGet();
    }
  }

  @State(Scope.Benchmark)
  public static class ResultOnly extends Holder<Ops.ResultOnly> {
    @Override
    Ops.ResultOnly open() {
      return new Ops.ResultOnly();
    }
  }

  @State(Scope.Benchmark)
  public static class H2Select extends Holder<Ops.IndexedSelect> {
    @Override
    Ops.IndexedSelect open() {
      return new Ops.IndexedSelect("h2file");
    }
  }

  @State(Scope.Benchmark)
  public static class SqliteSelect extends Holder<Ops.IndexedSelect> {
    @Override
    Ops.IndexedSelect open() {
      return new Ops.IndexedSelect("sqlite");
    }
  }

  /** Tink AEAD encrypt plus a ConcurrentSkipListMap put of the same row the engine keeps. */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public CredentialRow memoryFloor(MemoryFloor s) throws GeneralSecurityException {
    return s.op.run();
  }

  /** Tink AEAD encrypt plus one raw INSERT (prepared once) of the same row into an H2 file. */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int jdbcFloor(H2Floor s) throws GeneralSecurityException,
      java.sql.SQLException {
    return s.op.run();
  }

  /**
   * Tink AEAD encrypt plus one raw INSERT (prepared once), autocommit, of the same row into a
   * SQLite file opened with the store's settings, {@code synchronous=FULL} (the default
   * durability).
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int sqliteFloor(SqliteFloor s) throws GeneralSecurityException,
      java.sql.SQLException {
    return s.op.run();
  }

  /**
   * As {@link #sqliteFloor}, with the rows a create with events and audit adds, in one
   * transaction ({@link Ops.JdbcFloor#withLogRows}).
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int sqliteFloorWithLogRows(SqliteFloorWithLogRows s) throws GeneralSecurityException,
      java.sql.SQLException {
    return s.op.run();
  }

  /**
   * A design probe: as {@link #sqliteFloor}, with one row of a one-table log and its head's
   * update in the same transaction ({@link Ops.JdbcFloor#withOneLogTable}).
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int sqliteFloorWithOneLogTable(SqliteFloorWithOneLogTable s)
      throws GeneralSecurityException, java.sql.SQLException {
    return s.op.run();
  }

  /** As {@link #sqliteFloor}, with {@code synchronous=NORMAL} (survives a killed process). */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int sqliteNormalFloor(SqliteNormalFloor s) throws GeneralSecurityException,
      java.sql.SQLException {
    return s.op.run();
  }

  /** As {@link #sqliteFloorWithLogRows}, with {@code synchronous=NORMAL}. */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int sqliteNormalFloorWithLogRows(SqliteNormalFloorWithLogRows s)
      throws GeneralSecurityException, java.sql.SQLException {
    return s.op.run();
  }

  /**
   * What the log of an in-memory create must do at least, without the engine
   * ({@link Ops.MemoryLogWork}): two HMAC-SHA256s, an event and a chained audit entry kept.
   */
  @Benchmark
  public Object memoryLogWork(MemoryLogWork s) {
    return s.op.run();
  }

  /** Resolve floor (memory): a plain map get of a token by URL. */
  @Benchmark
  public byte[] mapGet(MapGet s) {
    return s.op.run();
  }

  /**
   * What building resolve's result alone costs: a fresh token copy in a new
   * {@code ResolvedCredential} and {@code Optional}, no lookup.
   */
  @Benchmark
  public Optional<ResolvedCredential> resolveResultOnly(ResultOnly s) {
    return s.op.run();
  }

  /** Resolve floor (H2): the raw indexed select of the token, nothing else. */
  @Benchmark
  public byte[] indexedSelect(H2Select s) {
    return s.op.run();
  }

  /** Resolve floor (SQLite): the raw indexed select of the token, nothing else. */
  @Benchmark
  public byte[] sqliteIndexedSelect(SqliteSelect s) {
    return s.op.run();
  }
}
