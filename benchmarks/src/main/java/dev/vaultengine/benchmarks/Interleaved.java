package dev.vaultengine.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Every ratio's members measured in one fork, taking turns: each benchmark here is a group (an
 * engine benchmark with the baselines it is compared with), and each iteration runs one member
 * only, in the order A B C, C B A, A B C, ... So the members of a ratio run in the same JVM, on the
 * same JIT, the same heap and the same machine load, a second apart; one round (one iteration of
 * each member) gives one value of each ratio, and {@link Report} takes the median over rounds and
 * shows their spread. Measured one after another in forks of their own, as JMH runs benchmarks,
 * a quick run gave 3.04x for a ratio that full runs gave 1.36-1.41x.
 *
 * <p>The score JMH prints for a group mixes its members and means nothing; {@link Report} splits
 * the iterations by member with {@link #memberOf}. {@link Rounds} runs the groups with iteration
 * counts that are multiples of the group's size; a run with other counts drops the last, partial
 * round. A member does exactly what the standalone benchmark of the same name does (both call
 * {@link Ops}); the dispatch adds one switch on an int per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 15, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class Interleaved {

  /**
   * One group: its benchmark method, its members in turn order, named as the standalone benchmark
   * that does the same, and the warm-up iterations (one second each) per member in quick and full
   * mode.
   */
  record Group(String method, List<String> members, int warmupQuick, int warmupFull) {
    int size() {
      return members.size();
    }
  }

  /**
   * The in-memory creates keep every credential they make, so each young collection copies what
   * was created since the last one. With the 4 GB heap's own young generation a collection came
   * every 0.3-2 s, so a half-second iteration held none or one: the same code gave 1.19 and 1.46
   * for the log's ratio in two quick runs, each round's ratio swinging 0.94-2.07. A fixed 128 MB
   * young generation collects several times per iteration, so every member pays its share of
   * copying in every round (1.39-1.45 over three quick runs, rounds 1.31-1.53; session 8).
   */
  static final String YOUNG_GEN_FOR_CREATES = "-Xmn128m";

  private static final String CREATE = "EngineBenchmarks.createCredential[store=";
  private static final String RESOLVE = "EngineBenchmarks.resolve[store=";
  private static final String LIST = "ListBenchmark.listPageAtDepth[n=";
  static final String PKCS12 = "Pkcs12Peer.pkcs12Write";
  static final String OAUTH = "RefreshBenchmarks.resolveOAuthNotDue[store=";
  static final String MANY = "RefreshBenchmarks.resolveManySessions[store=";
  static final String MANY_REFRESHING =
      "RefreshBenchmarks.resolveManySessionsWhileRefreshing[store=";
  static final String MANY_WRITING = "RefreshBenchmarks.resolveManySessionsWhileWriting[store=";
  static final String MCP_FIXED = "McpBenchmarks.toolCallFixedHeader";
  static final String MCP_VAULT = "McpBenchmarks.toolCallThroughVault";
  static final String CREATE_NO_LOG = "EventsBenchmarks.createCredentialWithoutLog[store=";
  static final String FIRST = "EventsBenchmarks.resolveFirstDisclosure[store=";
  static final String FIRST_AUDIT_OFF = "EventsBenchmarks.resolveFirstAuditOff[store=";
  static final String FEED = "FeedBenchmarks.resolveFromEventFeed[store=";

  /**
   * The groups, in the order {@link Rounds} runs them. Create on a file warms up ten seconds per
   * member: an H2 file that takes a commit per create costs 2-4x more for its first seconds (1,250
   * us, then 350 us after ten seconds, session 3), and so does its floor, each file on its own
   * schedule.
   */
  static final List<Group> GROUPS = List.of(
      new Group("createMemory", List.of(CREATE + "memory]", "Floors.memoryFloor"), 4, 6),
      new Group("createH2", List.of("Floors.jdbcFloor", CREATE + "h2file]", PKCS12), 10, 10),
      new Group("createSqlite", List.of("Floors.sqliteFloor", CREATE + "sqlite]", PKCS12), 10,
          10),
      new Group("createSqliteNormal", List.of("Floors.sqliteNormalFloor",
          CREATE + "sqlite_normal]", PKCS12), 10, 10),
      new Group("resolveMemory", List.of("Floors.mapGet", RESOLVE + "memory]",
          "Floors.resolveResultOnly"), 2, 5),
      new Group("resolveH2", List.of(RESOLVE + "h2file]", "Floors.indexedSelect",
          "ResolveFromStore.resolveReadingTheStore[store=h2file]"), 2, 5),
      new Group("resolveSqlite", List.of(RESOLVE + "sqlite]", "Floors.sqliteIndexedSelect",
          "ResolveFromStore.resolveReadingTheStore[store=sqlite]"), 2, 5),
      new Group("listMemory", List.of(LIST + "1000][store=memory]",
          LIST + "1000000][store=memory]", LIST + "100000][store=memory]"), 2, 5),
      new Group("listH2", List.of(LIST + "1000][store=h2file]",
          LIST + "1000000][store=h2file]", LIST + "100000][store=h2file]"), 2, 5),
      new Group("listSqlite", List.of(LIST + "1000][store=sqlite]",
          LIST + "1000000][store=sqlite]", LIST + "100000][store=sqlite]"), 2, 5),
      new Group("resolveOAuthMemory", List.of(RESOLVE + "memory]", OAUTH + "memory]"), 2, 5),
      new Group("resolveOAuthSqlite", List.of(RESOLVE + "sqlite]", OAUTH + "sqlite]"), 2, 5),
      new Group("resolveManySessionsMemory", List.of(MANY + "memory]",
          MANY_REFRESHING + "memory]", MANY_WRITING + "memory]"), 2, 5),
      new Group("resolveManySessionsSqlite", List.of(MANY + "sqlite]",
          MANY_REFRESHING + "sqlite]", MANY_WRITING + "sqlite]"), 2, 5),
      // HTTP, Tomcat, Reactor and the SDK's JSON warm slowly: a quick run with 5 warm-up seconds
      // per member still fell from 3.0 to 2.0 ms per call over its rounds.
      new Group("mcpToolCall", List.of(MCP_FIXED, MCP_VAULT), 10, 15),
      // Events and audit (issue 17). Create warms up as the create groups do (ten seconds per
      // member on a file); the resolve groups as the resolve groups.
      new Group("createWithLogMemory", List.of(CREATE + "memory]", CREATE_NO_LOG + "memory]",
          "Floors.memoryLogWork"), 4, 6),
      new Group("createWithLogSqlite", List.of(CREATE + "sqlite]", CREATE_NO_LOG + "sqlite]",
          "Floors.sqliteFloorWithLogRows", "Floors.sqliteFloor",
          "Floors.sqliteFloorWithOneLogTable"), 10, 10),
      new Group("createWithLogSqliteNormal", List.of(CREATE + "sqlite_normal]",
          CREATE_NO_LOG + "sqlite_normal]", "Floors.sqliteNormalFloorWithLogRows",
          "Floors.sqliteNormalFloor"), 10, 10),
      new Group("resolveDisclosureMemory", List.of(FIRST + "memory]", RESOLVE + "memory]",
          FIRST_AUDIT_OFF + "memory]"), 2, 5),
      new Group("resolveDisclosureSqlite", List.of(FIRST + "sqlite]", RESOLVE + "sqlite]",
          FIRST_AUDIT_OFF + "sqlite]"), 2, 5),
      new Group("resolveFromFeedPostgres", List.of(RESOLVE + "memory]", FEED + "postgres]",
          RESOLVE + "postgres]"), 2, 5));

  /** The group of benchmark method {@code method}, or null. */
  static Group group(String method) {
    return GROUPS.stream().filter(g -> g.method().equals(method)).findFirst().orElse(null);
  }

  /**
   * The member (index into the group's members) that runs iteration {@code i} (0-based, warm-up
   * and measurement counted apart) of a group of {@code k}: A B C, then C B A, and so on, so that a
   * drift in time favours no member over a pair of rounds. Round {@code i / k} holds every member
   * once.
   */
  static int memberOf(int i, int k) {
    int slot = i % k;
    return (i / k) % 2 == 0 ? slot : k - 1 - slot;
  }

  /** Whose turn it is; the work around each member's iterations; closing them all. */
  public abstract static class Turns {
    private Ops.Op[] members;
    private int warmups;
    private int measurements;
    /** The member that runs this iteration. */
    public int turn;

    void members(Ops.Op... ops) {
      members = ops;
    }

    @Setup(Level.Iteration)
    public void nextTurn(IterationParams iteration) {
      int i = iteration.getType() == IterationType.WARMUP ? warmups++ : measurements++;
      turn = memberOf(i, members.length);
      members[turn].beforeIteration();
    }

    @TearDown(Level.Iteration)
    public void endTurn() {
      members[turn].afterIteration();
    }

    @TearDown(Level.Trial)
    public void closeAll() {
      for (Ops.Op op : members) {
        op.close();
      }
    }
  }

  // ------------------------------------------------------------------ create

  @State(Scope.Benchmark)
  public static class CreateMemory extends Turns {
    Ops.Create create;
    Ops.MemoryFloor floor;

    @Setup(Level.Trial)
    public void open() {
      create = new Ops.Create("memory");
      floor = new Ops.MemoryFloor();
      members(create, floor);
    }
  }

  @Benchmark
  @Warmup(iterations = 8, time = 1)
  @Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
  @Fork(value = 1, jvmArgsAppend = YOUNG_GEN_FOR_CREATES)
  public Object createMemory(CreateMemory g) throws Exception {
    return g.turn == 0 ? g.create.run() : g.floor.run();
  }

  /** Create on a file store with its JDBC floor and the PKCS12 peer. */
  public abstract static class CreateFile extends Turns {
    Ops.JdbcFloor floor;
    Ops.Create create;
    Ops.Pkcs12Write peer;

    void open(String kind) {
      floor = new Ops.JdbcFloor(kind);
      create = new Ops.Create(kind);
      peer = new Ops.Pkcs12Write();
      members(floor, create, peer);
    }
  }

  @State(Scope.Benchmark)
  public static class CreateH2 extends CreateFile {
    @Setup(Level.Trial)
    public void open() {
      open("h2file");
    }
  }

  @State(Scope.Benchmark)
  public static class CreateSqlite extends CreateFile {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  @State(Scope.Benchmark)
  public static class CreateSqliteNormal extends CreateFile {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite_normal");
    }
  }

  private static Object create(CreateFile g) throws Exception {
    switch (g.turn) {
      case 0:
        return g.floor.run();
      case 1:
        return g.create.run();
      default:
        g.peer.run();
        return null;
    }
  }

  @Benchmark
  @Warmup(iterations = 30, time = 1)
  public Object createH2(CreateH2 g) throws Exception {
    return create(g);
  }

  @Benchmark
  @Warmup(iterations = 30, time = 1)
  public Object createSqlite(CreateSqlite g) throws Exception {
    return create(g);
  }

  @Benchmark
  @Warmup(iterations = 30, time = 1)
  public Object createSqliteNormal(CreateSqliteNormal g) throws Exception {
    return create(g);
  }

  // ------------------------------------------------------------------ resolve

  @State(Scope.Benchmark)
  public static class ResolveMemory extends Turns {
    Ops.MapGet mapGet;
    Ops.Resolve resolve;
    Ops.ResultOnly resultOnly;

    @Setup(Level.Trial)
    public void open() {
      mapGet = new Ops.MapGet();
      resolve = new Ops.Resolve("memory");
      resultOnly = new Ops.ResultOnly();
      members(mapGet, resolve, resultOnly);
    }
  }

  @Benchmark
  public Object resolveMemory(ResolveMemory g) {
    switch (g.turn) {
      case 0:
        return g.mapGet.run();
      case 1:
        return g.resolve.run();
      default:
        return g.resultOnly.run();
    }
  }

  /** Resolve (hot) on a file store, its indexed-select floor, and a resolve that reads the file. */
  public abstract static class ResolveFile extends Turns {
    Ops.Resolve resolve;
    Ops.IndexedSelect select;
    Ops.ResolveReadingTheStore reading;

    void open(String kind) {
      resolve = new Ops.Resolve(kind);
      select = new Ops.IndexedSelect(kind);
      reading = new Ops.ResolveReadingTheStore(kind);
      members(resolve, select, reading);
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveH2 extends ResolveFile {
    @Setup(Level.Trial)
    public void open() {
      open("h2file");
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveSqlite extends ResolveFile {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  private static Object resolve(ResolveFile g) {
    switch (g.turn) {
      case 0:
        return g.resolve.run();
      case 1:
        return g.select.run();
      default:
        return g.reading.run();
    }
  }

  @Benchmark
  public Object resolveH2(ResolveH2 g) {
    return resolve(g);
  }

  @Benchmark
  public Object resolveSqlite(ResolveSqlite g) {
    return resolve(g);
  }

  // ------------------------------------------------------------------ list

  /** The three N of one store; the heap is settled after the bulk loads (see ListBenchmark). */
  public abstract static class ListTurns extends Turns {
    Ops.ListPage small;
    Ops.ListPage large;
    Ops.ListPage middle;

    void open(String kind) {
      small = new Ops.ListPage(kind, 1_000);
      large = new Ops.ListPage(kind, 1_000_000);
      middle = new Ops.ListPage(kind, 100_000);
      members(small, large, middle);
      System.gc();
    }
  }

  @State(Scope.Benchmark)
  public static class ListMemory extends ListTurns {
    @Setup(Level.Trial)
    public void open() {
      open("memory");
    }
  }

  @State(Scope.Benchmark)
  public static class ListH2 extends ListTurns {
    @Setup(Level.Trial)
    public void open() {
      open("h2file");
    }
  }

  @State(Scope.Benchmark)
  public static class ListSqlite extends ListTurns {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  private static Object list(ListTurns g) {
    switch (g.turn) {
      case 0:
        return g.small.run();
      case 1:
        return g.large.run();
      default:
        return g.middle.run();
    }
  }

  @Benchmark
  public Object listMemory(ListMemory g) {
    return list(g);
  }

  @Benchmark
  public Object listH2(ListH2 g) {
    return list(g);
  }

  @Benchmark
  public Object listSqlite(ListSqlite g) {
    return list(g);
  }

  // ------------------------------------------------------------------ OAuth refresh (issue 15)

  /**
   * Resolve (hot) of a static_bearer credential ({@link Ops.Resolve}, the member of the resolve
   * groups) and of an mcp_oauth credential that is not due ({@link Ops.ResolveOAuthNotDue}), each
   * on an engine of its own with the same 10,000 credentials.
   */
  public abstract static class ResolveOAuthTurns extends Turns {
    Ops.Resolve staticBearer;
    Ops.ResolveOAuthNotDue oauth;

    void open(String kind) {
      staticBearer = new Ops.Resolve(kind);
      oauth = new Ops.ResolveOAuthNotDue(kind);
      members(staticBearer, oauth);
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveOAuthMemory extends ResolveOAuthTurns {
    @Setup(Level.Trial)
    public void open() {
      open("memory");
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveOAuthSqlite extends ResolveOAuthTurns {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  private static Object resolveOAuth(ResolveOAuthTurns g) {
    return g.turn == 0 ? g.staticBearer.run() : g.oauth.run();
  }

  @Benchmark
  public Object resolveOAuthMemory(ResolveOAuthMemory g) {
    return resolveOAuth(g);
  }

  @Benchmark
  public Object resolveOAuthSqlite(ResolveOAuthSqlite g) {
    return resolveOAuth(g);
  }

  /**
   * Resolve round-robin over 1,000 sessions of one engine ({@link Ops.ManySessions}): alone, while
   * other credentials are refreshed at 10 per second, and while ordinary writes run at 10 per
   * second. The three members share the engine and its sessions; only the background differs.
   */
  public abstract static class ManySessionsTurns extends Turns {
    Ops.ManySessionsResolve alone;
    Ops.ManySessionsWhileRefreshing refreshing;
    Ops.ManySessionsWhileWriting writing;

    void open(String kind) {
      Ops.ManySessions s = new Ops.ManySessions(kind);
      alone = new Ops.ManySessionsResolve(s);
      refreshing = new Ops.ManySessionsWhileRefreshing(s);
      writing = new Ops.ManySessionsWhileWriting(s);
      members(alone, refreshing, writing);
    }
  }

  @State(Scope.Benchmark)
  public static class ManySessionsMemory extends ManySessionsTurns {
    @Setup(Level.Trial)
    public void open() {
      open("memory");
    }
  }

  @State(Scope.Benchmark)
  public static class ManySessionsSqlite extends ManySessionsTurns {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  private static Object manySessions(ManySessionsTurns g) {
    switch (g.turn) {
      case 0:
        return g.alone.run();
      case 1:
        return g.refreshing.run();
      default:
        return g.writing.run();
    }
  }

  @Benchmark
  public Object resolveManySessionsMemory(ManySessionsMemory g) {
    return manySessions(g);
  }

  @Benchmark
  public Object resolveManySessionsSqlite(ManySessionsSqlite g) {
    return manySessions(g);
  }

  // ------------------------------------------------------------------ MCP tool call (issue 16)

  /**
   * {@code tools/call} through the MCP SDK's sync client (streamable HTTP) to the loopback server,
   * with a fixed {@code Authorization} header customizer and with the vault's customizer
   * ({@link Ops.McpCall}); the two clients share the server and the engine.
   */
  @State(Scope.Benchmark)
  public static class McpToolCall extends Turns {
    Ops.McpCall fixed;
    Ops.McpCall vault;

    @Setup(Level.Trial)
    public void open() {
      Ops.McpToolCall s = new Ops.McpToolCall();
      fixed = Ops.McpCall.fixedHeader(s);
      vault = Ops.McpCall.throughVault(s);
      members(fixed, vault);
    }
  }

  @Benchmark
  public Object mcpToolCall(McpToolCall g) {
    return g.turn == 0 ? g.fixed.run() : g.vault.run();
  }

  // ------------------------------------------------------------------ events and audit (issue 17)

  /**
   * Create credential with events on and the default best-effort audit (the default engine, as
   * in the create groups) and the same with {@code events(false).auditMode(OFF)}, each on an
   * engine of its own with the same 10,000 credentials ({@link Ops.CreateLogged}).
   */
  public abstract static class CreateWithLogTurns extends Turns {
    Ops.CreateLogged logged;
    Ops.CreateLogged unlogged;

    void open(String kind) {
      logged = new Ops.CreateLogged(kind, b -> {});
      unlogged = new Ops.CreateLogged(kind, Ops.NO_LOG);
      members(logged, unlogged);
    }
  }

  /** In memory, with what the log must do at least, done without the engine. */
  @State(Scope.Benchmark)
  public static class CreateWithLogMemory extends CreateWithLogTurns {
    Ops.MemoryLogWork logWork;

    @Setup(Level.Trial)
    public void open() {
      open("memory");
      logWork = new Ops.MemoryLogWork();
      members(logged, unlogged, logWork);
    }
  }

  /**
   * On a SQLite file, with two floors taking turns after the engine's two creates: the raw rows of
   * a logged create (credential, event, audit, head update in one transaction) and the raw
   * credential row alone, so the log's cost can be told apart into what SQLite itself charges for
   * the rows and what the engine adds.
   */
  public abstract static class CreateWithLogAndFloors extends CreateWithLogTurns {
    Ops.JdbcFloor floorWithLogRows;
    Ops.JdbcFloor floor;

    @Override
    void open(String kind) {
      super.open(kind);
      floorWithLogRows = Ops.JdbcFloor.withLogRows(kind);
      floor = new Ops.JdbcFloor(kind);
      members(logged, unlogged, floorWithLogRows, floor);
    }

    /** The member whose turn it is, among the first four. */
    Object runTurn() throws Exception {
      switch (turn) {
        case 2:
          return floorWithLogRows.run();
        case 3:
          return floor.run();
        default:
          return createWithLog(this);
      }
    }
  }

  /**
   * SQLite FULL, with the two floors and a design probe: the credential row with one row of a
   * one-table log.
   */
  @State(Scope.Benchmark)
  public static class CreateWithLogSqlite extends CreateWithLogAndFloors {
    Ops.JdbcFloor floorWithOneLogTable;

    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
      floorWithOneLogTable = Ops.JdbcFloor.withOneLogTable("sqlite");
      members(logged, unlogged, floorWithLogRows, floor, floorWithOneLogTable);
    }
  }

  /**
   * SQLite with synchronous=NORMAL: no fsync per commit, so what the log's pages cost apart, with
   * the same two floors as for FULL (since session 11).
   */
  @State(Scope.Benchmark)
  public static class CreateWithLogSqliteNormal extends CreateWithLogAndFloors {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite_normal");
    }
  }

  private static Object createWithLog(CreateWithLogTurns g) {
    return g.turn == 0 ? g.logged.run() : g.unlogged.run();
  }

  @Benchmark
  @Warmup(iterations = 8, time = 1)
  @Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
  @Fork(value = 1, jvmArgsAppend = YOUNG_GEN_FOR_CREATES)
  public Object createWithLogMemory(CreateWithLogMemory g) {
    return g.turn == 2 ? g.logWork.run() : createWithLog(g);
  }

  @Benchmark
  @Warmup(iterations = 20, time = 1)
  @Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
  public Object createWithLogSqlite(CreateWithLogSqlite g) throws Exception {
    return g.turn == 4 ? g.floorWithOneLogTable.run() : g.runTurn();
  }

  @Benchmark
  @Warmup(iterations = 20, time = 1)
  @Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
  public Object createWithLogSqliteNormal(CreateWithLogSqliteNormal g) throws Exception {
    return g.runTurn();
  }

  /**
   * Resolve at first disclosure (a session opened for the call, its first resolve, which appends
   * an audit entry; {@link Ops.FirstResolve}), the repeated resolve in a warm session
   * ({@link Ops.Resolve}, as in the resolve groups), and the first resolve with the audit off.
   * Three engines with the same 10,000 credentials.
   */
  public abstract static class ResolveDisclosureTurns extends Turns {
    Ops.FirstResolve first;
    Ops.Resolve repeated;
    Ops.FirstResolve firstAuditOff;

    void open(String kind) {
      first = new Ops.FirstResolve(kind, true);
      repeated = new Ops.Resolve(kind);
      firstAuditOff = new Ops.FirstResolve(kind, false);
      members(first, repeated, firstAuditOff);
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveDisclosureMemory extends ResolveDisclosureTurns {
    @Setup(Level.Trial)
    public void open() {
      open("memory");
    }
  }

  @State(Scope.Benchmark)
  public static class ResolveDisclosureSqlite extends ResolveDisclosureTurns {
    @Setup(Level.Trial)
    public void open() {
      open("sqlite");
    }
  }

  private static Object resolveDisclosure(ResolveDisclosureTurns g) {
    switch (g.turn) {
      case 0:
        return g.first.run();
      case 1:
        return g.repeated.run();
      default:
        return g.firstAuditOff.run();
    }
  }

  @Benchmark
  public Object resolveDisclosureMemory(ResolveDisclosureMemory g) {
    return resolveDisclosure(g);
  }

  @Benchmark
  public Object resolveDisclosureSqlite(ResolveDisclosureSqlite g) {
    return resolveDisclosure(g);
  }

  /**
   * The repeated resolve in memory ({@link Ops.Resolve}, the baseline of the goal), on PostgreSQL
   * with {@code resolveFromEventFeed(500 ms)} ({@link Ops.FeedResolve}), and on PostgreSQL with
   * the default (the database read at every resolve). Needs the PostgreSQL server of the JDBC
   * store's tests (127.0.0.1:5432, database {@code test}, user {@code postgres}); its tables get
   * a prefix of their own, dropped at the end.
   */
  @State(Scope.Benchmark)
  public static class ResolveFromFeedPostgres extends Turns {
    Ops.Resolve memory;
    Ops.FeedResolve feed;
    Ops.Resolve postgres;

    @Setup(Level.Trial)
    public void open() {
      memory = new Ops.Resolve("memory");
      feed = new Ops.FeedResolve("postgres");
      postgres = new Ops.Resolve("postgres");
      members(memory, feed, postgres);
    }
  }

  @Benchmark
  public Object resolveFromFeedPostgres(ResolveFromFeedPostgres g) {
    switch (g.turn) {
      case 0:
        return g.memory.run();
      case 1:
        return g.feed.run();
      default:
        return g.postgres.run();
    }
  }
}
