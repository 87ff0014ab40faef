package dev.vaultengine.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.AuditMode;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.spi.TokenRefresher;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The measured operations with their setup, one class each. The standalone JMH classes
 * ({@link EngineBenchmarks}, {@link Floors}, {@link ListBenchmark}, {@link Pkcs12Peer},
 * {@link ResolveFromStore}, {@link RefreshBenchmarks}, {@link McpBenchmarks}) and the interleaved
 * groups of {@link Interleaved} both call these, so a member of a group does exactly what the
 * standalone benchmark of the same name does.
 *
 * <p>Each operation has a typed {@code run()} (not part of {@link Op}, so that a group's dispatch
 * calls a concrete final method the JIT can inline) and the work around each iteration.
 */
final class Ops {
  static final String HOT_URL = "https://hot.example/mcp";

  private Ops() {}

  /** What every operation does around an iteration and at the end of the trial. */
  interface Op extends AutoCloseable {
    /** Before each iteration (not timed). */
    default void beforeIteration() {}

    /** After each iteration (not timed). */
    default void afterIteration() {}

    @Override
    void close();
  }

  /** SHA-256 of {@code s} in hex, as the JDBC store hashes URL keys. */
  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Aead newAead() {
    try {
      AeadConfig.register();
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
          RegistryConfiguration.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ the engine

  /**
   * An engine on one store kind with 10,000 credentials stored (100 vaults of 100) and a vault
   * holding {@link #HOT_URL}, and a session on that vault.
   */
  static final class Engine implements Op {
    final VaultEngine engine;
    final VaultService vaults;
    final String hotVaultId;
    final VaultSession session;
    /** The tables on a database server (postgres, mariadb), dropped at close; else null. */
    private final Fixtures.ServerTables tables;

    Engine(String kind) {
      this(kind, b -> {});
    }

    /**
     * On {@code kind} with more settings ({@code more}) on the engine's builder. On a database
     * server the tables get a prefix of their own, dropped when this is closed.
     */
    Engine(String kind, Consumer<VaultEngine.Builder> more) {
      Path dir = Fixtures.tempDir("bench-engine-");
      if (kind.equals("postgres") || kind.equals("mariadb")) {
        tables = new Fixtures.ServerTables(kind);
        VaultEngine.Builder b = VaultEngine.builder().store(tables.newStore())
            .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json")));
        more.accept(b);
        engine = b.build();
      } else {
        tables = null;
        engine = Fixtures.engine(kind, dir, more);
      }
      vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      hotVaultId = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      session = vaults.openSession(List.of(hotVaultId));
    }

    /** Resolve (hot): the same URL again and again. */
    Optional<ResolvedCredential> resolve() {
      return session.resolve(HOT_URL);
    }

    Vault getVault() {
      return vaults.getVault(hotVaultId);
    }

    @Override
    public void close() {
      try {
        engine.close();
      } finally {
        if (tables != null) {
          tables.close();
        }
      }
    }
  }

  /**
   * Create credential. Creates go to a vault made for each iteration and deleted after it (the
   * floors clear their rows the same way), so that every iteration starts from the same store: a
   * store that grew for the whole run made the collector's pauses, and with them the figures,
   * drift from one iteration to the next.
   */
  static final class Create implements Op {
    private final Engine e;
    private final boolean ownsEngine;
    private final AtomicLong counter = new AtomicLong();
    private String targetVaultId;

    /** On an engine of its own. */
    Create(String kind) {
      this(new Engine(kind), true);
    }

    /** On an engine of its own with more settings ({@code more}) on its builder. */
    Create(String kind, Consumer<VaultEngine.Builder> more) {
      this(new Engine(kind, more), true);
    }

    /** On {@code e}, which the caller closes. */
    Create(Engine e, boolean ownsEngine) {
      this.e = e;
      this.ownsEngine = ownsEngine;
    }

    @Override
    public void beforeIteration() {
      targetVaultId = Fixtures.vaultWith(e.vaults, "target", "https://target.example/mcp");
    }

    @Override
    public void afterIteration() {
      e.vaults.deleteVault(targetVaultId);
    }

    Credential run() {
      return e.vaults.createCredential(targetVaultId, CreateCredentialRequest.builder()
          .mcpServerUrl("https://svc" + counter.incrementAndGet() + ".example/mcp")
          .protocol(Protocol.SSE).accessToken(Fixtures.TOKEN).build());
    }

    @Override
    public void close() {
      if (ownsEngine) {
        e.close();
      }
    }
  }

  /** Resolve (hot) on an engine of its own. */
  static final class Resolve implements Op {
    private final Engine e;

    Resolve(String kind) {
      e = new Engine(kind);
    }

    Optional<ResolvedCredential> run() {
      return e.resolve();
    }

    @Override
    public void close() {
      e.close();
    }
  }

  /**
   * Resolve (hot) on a store that must be read every time: the store is built over the host's own
   * pool, so it reports no change count (another program may write the file) and a session cannot
   * answer from its last answer. This is what every resolve costs on a shared database, and what
   * the first resolve of a URL after any write costs on a store that counts its changes.
   */
  static final class ResolveReadingTheStore implements Op {
    private final DataSource pool;
    private final VaultEngine engine;
    private final VaultSession session;

    ResolveReadingTheStore(String kind) {
      Path dir = Fixtures.tempDir("bench-resolve-store-");
      pool = Fixtures.hostPool(kind, dir);
      engine = VaultEngine.builder().store(JdbcVaultStore.builder(pool).build())
          .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
      VaultService vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      String vaultId = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      session = vaults.openSession(List.of(vaultId));
    }

    Optional<ResolvedCredential> run() {
      return session.resolve(HOT_URL);
    }

    @Override
    public void close() {
      engine.close();
      Fixtures.close(pool);
    }
  }

  // ------------------------------------------------------------------ OAuth refresh (issue 15)

  /**
   * A {@link TokenRefresher} that answers at once, as a token endpoint that never fails and takes
   * no time would: a new access token with {@code expiresIn}, and a rotated refresh token. It
   * measures the engine's side of a refresh (the lease, the decrypt, the sealed write, the
   * invalidation), not the protocol or the network. It counts its calls, so a benchmark can check
   * that it refreshed exactly when it meant to.
   */
  static final class InstantRefresher implements TokenRefresher {
    private final Duration expiresIn;
    final AtomicLong calls = new AtomicLong();

    InstantRefresher(Duration expiresIn) {
      this.expiresIn = expiresIn;
    }

    @Override
    public RefreshOutcome refresh(RefreshGrant grant) {
      long n = calls.incrementAndGet();
      return new RefreshOutcome.Refreshed(Secret.of(Fixtures.TOKEN + "_r" + n),
          Optional.of(expiresIn), Optional.of(Secret.of("rt_benchmark_" + n)));
    }
  }

  /**
   * Resolve (hot) of an {@code mcp_oauth} credential that is not due: the engine of
   * {@link Engine} (10,000 static_bearer credentials in 100 vaults, then the hot vault), but with a
   * token refresher and the default 60 s refresh window, and the hot vault's credential for
   * {@link #HOT_URL} an {@code mcp_oauth} one that expires in six hours and has a refresh block.
   * What a resolve of a token that needs no refresh adds to {@link Resolve}'s static_bearer one.
   */
  static final class ResolveOAuthNotDue implements Op {
    private final InstantRefresher refresher = new InstantRefresher(Duration.ofHours(1));
    private final VaultEngine engine;
    private final VaultSession session;

    ResolveOAuthNotDue(String kind) {
      Path dir = Fixtures.tempDir("bench-oauth-");
      engine = Fixtures.engine(kind, dir, b -> b.tokenRefresher(refresher));
      VaultService vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      String hot = Fixtures.vaultWith(vaults, "hot",
          Fixtures.oauthCredential(HOT_URL, Instant.now().plus(Duration.ofHours(6))));
      session = vaults.openSession(List.of(hot));
      ResolvedCredential r = session.resolve(HOT_URL).orElseThrow();
      if (r.type() != dev.vaultengine.CredentialType.MCP_OAUTH || r.refreshProblem().isPresent()) {
        throw new IllegalStateException("not a fresh mcp_oauth answer: " + r);
      }
    }

    Optional<ResolvedCredential> run() {
      return session.resolve(HOT_URL);
    }

    /** A refresh here would mean the member measured something else. */
    @Override
    public void afterIteration() {
      if (refresher.calls.get() != 0) {
        throw new IllegalStateException("a not-due credential was refreshed");
      }
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /**
   * A task run on a thread of its own at a fixed rate, started before an iteration and stopped
   * (waited for) after it, so that it never outlives the iteration. The first failure of the task
   * stops nothing on the thread but fails the iteration when it is stopped.
   */
  static final class Background {
    private final String name;
    private final int perSecond;
    private final Runnable task;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong runs = new AtomicLong();
    private ScheduledExecutorService executor;
    private long startedNanos;
    private long totalRuns;
    private long totalNanos;

    Background(String name, int perSecond, Runnable task) {
      this.name = name;
      this.perSecond = perSecond;
      this.task = task;
    }

    void start() {
      if (executor != null) {
        throw new IllegalStateException(name + " is already running");
      }
      runs.set(0);
      executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      startedNanos = System.nanoTime();
      executor.scheduleAtFixedRate(() -> {
        try {
          task.run();
          runs.incrementAndGet();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
    }

    /** Stops the schedule and waits for a run in progress; throws if a run failed. */
    void stop() {
      if (executor == null) {
        return;
      }
      ScheduledExecutorService e = executor;
      executor = null;
      e.shutdown(); // cancels the schedule; a run in progress completes
      try {
        if (!e.awaitTermination(60, TimeUnit.SECONDS)) {
          e.shutdownNow();
          throw new IllegalStateException(name + " did not stop within 60 s");
        }
      } catch (InterruptedException ie) {
        e.shutdownNow();
        Thread.currentThread().interrupt();
        throw new IllegalStateException(name + " interrupted while stopping", ie);
      }
      totalNanos += System.nanoTime() - startedNanos;
      totalRuns += runs.get();
      Throwable f = failure.getAndSet(null);
      if (f != null) {
        throw new IllegalStateException(name + " failed", f);
      }
      if (runs.get() == 0) {
        throw new IllegalStateException(name + " never ran in an iteration");
      }
    }

    /** The rate it reached over all iterations, for the log. */
    String summary() {
      return String.format(java.util.Locale.ROOT, "%s: %d runs in %.1f s of iterations (%.2f/s, "
          + "asked %d/s)", name, totalRuns, totalNanos / 1e9,
          totalNanos == 0 ? 0 : totalRuns / (totalNanos / 1e9), perSecond);
    }
  }

  /**
   * 1,000 vaults of one credential each (even: static_bearer; odd: {@code mcp_oauth} expiring in
   * twelve hours, not due), a session on each, resolved round-robin, one session per operation;
   * and {@link #REFRESHED} more vaults, each with an {@code mcp_oauth} credential that is always
   * due (the refresh window is an hour, the refresher's tokens live 60 s), with sessions of their
   * own that no operation resolves: a resolve of one of them refreshes it. Shared by the members
   * of a {@code resolveManySessions} group, which differ only in what runs beside them.
   */
  static final class ManySessions implements AutoCloseable {
    static final int SESSIONS = 1_000;
    static final int REFRESHED = 16;
    static final int WRITES_PER_SECOND = 10;

    // Tokens that live 2 ms: due again (at half their life) well before their next resolve.
    final InstantRefresher refresher = new InstantRefresher(Duration.ofMillis(2));
    final VaultEngine engine;
    final VaultService vaults;
    private final VaultSession[] sessions = new VaultSession[SESSIONS];
    private final String[] urls = new String[SESSIONS];
    private final VaultSession[] refreshedSessions = new VaultSession[REFRESHED];
    private final String[] refreshedUrls = new String[REFRESHED];
    private final AtomicBoolean closed = new AtomicBoolean();
    private int next;
    private int nextRefreshed;
    private final AtomicLong written = new AtomicLong();

    ManySessions(String kind) {
      Path dir = Fixtures.tempDir("bench-sessions-");
      engine = Fixtures.engine(kind, dir,
          b -> b.tokenRefresher(refresher).refreshWindow(Duration.ofHours(1)));
      vaults = engine.forAccount("bench");
      Instant later = Instant.now().plus(Duration.ofHours(12));
      for (int i = 0; i < SESSIONS; i++) {
        urls[i] = "https://svc" + i + ".example/mcp";
        String id = i % 2 == 0 ? Fixtures.vaultWith(vaults, "session " + i, urls[i])
            : Fixtures.vaultWith(vaults, "session " + i, Fixtures.oauthCredential(urls[i], later));
        sessions[i] = vaults.openSession(List.of(id));
      }
      // Due half a second from now (half its life): long before the first timed iteration.
      Instant due = Instant.now().plus(Duration.ofSeconds(1));
      for (int j = 0; j < REFRESHED; j++) {
        refreshedUrls[j] = "https://refreshed" + j + ".example/mcp";
        String id = Fixtures.vaultWith(vaults, "refreshed " + j,
            Fixtures.oauthCredential(refreshedUrls[j], due));
        refreshedSessions[j] = vaults.openSession(List.of(id));
      }
      warm();
      if (refresher.calls.get() != 0) {
        throw new IllegalStateException("a credential of the 1,000 sessions was refreshed");
      }
    }

    /** Resolves every session once (not timed), checking each answer. */
    void warm() {
      for (int i = 0; i < SESSIONS; i++) {
        ResolvedCredential r = sessions[i].resolve(urls[i]).orElseThrow();
        if (r.refreshProblem().isPresent()) {
          throw new IllegalStateException(urls[i] + ": " + r.refreshProblem().get());
        }
      }
      next = 0;
    }

    /** One resolve: the next session's URL. */
    Optional<ResolvedCredential> run() {
      int i = next;
      next = i + 1 == SESSIONS ? 0 : i + 1;
      return sessions[i].resolve(urls[i]);
    }

    /** On the background thread: resolves the next always-due credential, which refreshes it. */
    void refreshOne() {
      int j = nextRefreshed;
      nextRefreshed = (j + 1) % REFRESHED;
      long before = refresher.calls.get();
      ResolvedCredential r = refreshedSessions[j].resolve(refreshedUrls[j]).orElseThrow();
      if (refresher.calls.get() != before + 1 || r.refreshProblem().isPresent()) {
        throw new IllegalStateException(refreshedUrls[j] + " was not refreshed: "
            + r.refreshProblem());
      }
    }

    /** On the background thread: an ordinary write, a new vault of one static_bearer credential. */
    String writeOne() {
      long n = written.incrementAndGet();
      return Fixtures.vaultWith(vaults, "written " + n, "https://written" + n + ".example/mcp");
    }

    /** Checks that no credential of the 1,000 sessions was refreshed. */
    void checkNoneOfTheSessionsRefreshed(long refreshesByBackground) {
      if (refresher.calls.get() != refreshesByBackground) {
        throw new IllegalStateException((refresher.calls.get() - refreshesByBackground)
            + " refreshes not made by the background thread");
      }
    }

    boolean isClosed() {
      return closed.get();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        engine.close();
      }
    }
  }

  /** Resolve round-robin over the 1,000 sessions of {@link ManySessions}, nothing else running. */
  static final class ManySessionsResolve implements Op {
    private final ManySessions s;
    private long refreshesBefore;

    ManySessionsResolve(ManySessions s) {
      this.s = s;
    }

    @Override
    public void beforeIteration() {
      s.warm();
      refreshesBefore = s.refresher.calls.get();
    }

    @Override
    public void afterIteration() {
      s.checkNoneOfTheSessionsRefreshed(refreshesBefore);
    }

    Optional<ResolvedCredential> run() {
      return s.run();
    }

    @Override
    public void close() {
      s.close();
    }
  }

  /**
   * The same resolves while a background thread refreshes other credentials (in other vaults, in
   * none of the 1,000 sessions) at 10 per second, by resolving one of {@link ManySessions}'s
   * always-due credentials on a fixed-rate schedule. A refresh writes the store up to three times
   * (take the lease, store the tokens, release the lease: in memory only the second counts as a
   * change, on SQLite all three are commits), all of them the engine's own, touching one
   * credential: when the engine scopes what a write invalidates, the 1,000 sessions stay warm.
   */
  static final class ManySessionsWhileRefreshing implements Op {
    private final ManySessions s;
    private final Background refreshing;
    private long refreshesBefore;
    private long backgroundBefore;
    private final AtomicLong background = new AtomicLong();

    ManySessionsWhileRefreshing(ManySessions s) {
      this.s = s;
      refreshing = new Background("bench-refreshing", ManySessions.WRITES_PER_SECOND, () -> {
        s.refreshOne();
        background.incrementAndGet();
      });
    }

    @Override
    public void beforeIteration() {
      s.warm();
      refreshesBefore = s.refresher.calls.get();
      backgroundBefore = background.get();
      refreshing.start();
    }

    @Override
    public void afterIteration() {
      refreshing.stop();
      s.checkNoneOfTheSessionsRefreshed(refreshesBefore + background.get() - backgroundBefore);
    }

    Optional<ResolvedCredential> run() {
      return s.run();
    }

    @Override
    public void close() {
      refreshing.stop();
      System.out.println("# " + refreshing.summary());
      s.close();
    }
  }

  /**
   * The same resolves while a background thread makes ordinary writes at 10 per second: it
   * creates a vault of one static_bearer credential (deleted after the iteration). Such a write is
   * not scoped, so after each one every session reads the store again on its next resolve: what
   * an unscoped write costs, for comparison with the refreshes.
   */
  static final class ManySessionsWhileWriting implements Op {
    private final ManySessions s;
    private final Background writing;
    private final List<String> created = java.util.Collections.synchronizedList(new ArrayList<>());

    ManySessionsWhileWriting(ManySessions s) {
      this.s = s;
      writing = new Background("bench-writing", ManySessions.WRITES_PER_SECOND,
          () -> created.add(s.writeOne()));
    }

    @Override
    public void beforeIteration() {
      s.warm();
      writing.start();
    }

    @Override
    public void afterIteration() {
      try {
        writing.stop();
      } finally {
        deleteCreated();
      }
    }

    private void deleteCreated() {
      if (s.isClosed()) {
        return; // closed by another member at the end of the trial: the files are thrown away
      }
      synchronized (created) {
        for (String id : created) {
          s.vaults.deleteVault(id);
        }
        created.clear();
      }
    }

    Optional<ResolvedCredential> run() {
      return s.run();
    }

    @Override
    public void close() {
      try {
        writing.stop();
        deleteCreated();
      } finally {
        System.out.println("# " + writing.summary());
        s.close();
      }
    }
  }

  // ------------------------------------------------------------------ events and audit (issue 17)

  /**
   * What issue 17 added, turned off: no events and no audit trail. The engines of the other
   * operations run with the defaults (events on, {@link AuditMode#BEST_EFFORT}).
   */
  static final Consumer<VaultEngine.Builder> NO_LOG = b -> b.events(false)
      .auditMode(AuditMode.OFF);

  /** Events on (the default), no audit trail: a resolve records no first disclosure. */
  static final Consumer<VaultEngine.Builder> AUDIT_OFF = b -> b.auditMode(AuditMode.OFF);

  /** The staleness bound of the shared-database option as the issue measures it: 500 ms. */
  static final Duration FEED_STALENESS = Duration.ofMillis(500);

  /**
   * The poll of an engine with {@link #FEED}: it must be shorter than the staleness bound (the
   * builder refuses the default 1 s with 500 ms), and half of it keeps one missed poll within it.
   */
  static final Duration FEED_POLL = Duration.ofMillis(250);

  /**
   * Sessions on a shared database answer a repeated resolve from memory while the event feed
   * shows no change, never older than {@link #FEED_STALENESS}.
   */
  static final Consumer<VaultEngine.Builder> FEED = b -> b.eventPollInterval(FEED_POLL)
      .resolveFromEventFeed(FEED_STALENESS);

  /** How many audit entries the store holds (paged; for the checks, never timed). */
  static long auditEntries(VaultEngine engine) {
    long count = 0;
    long after = 0;
    while (true) {
      List<dev.vaultengine.AuditEntry> page = engine.audit().list(after, 1000);
      if (page.isEmpty()) {
        return count;
      }
      count += page.size();
      after = page.get(page.size() - 1).sequence();
    }
  }

  /**
   * A best-effort audit that could not write an entry lets the operation go on: a benchmark
   * would then measure an operation that skipped its entry. Checked after every iteration.
   */
  static void requireNoAuditFailure(VaultEngine engine) {
    long failures = engine.audit().failures();
    if (failures != 0) {
      throw new IllegalStateException(failures + " audit entries could not be written");
    }
  }

  /**
   * Create credential as {@link Create} on an engine with events on and a best-effort audit (the
   * defaults: what {@link Create} measures) or another log setting; checks after each iteration
   * that no audit entry was dropped.
   */
  static final class CreateLogged implements Op {
    private final Engine e;
    private final Create create;

    CreateLogged(String kind, Consumer<VaultEngine.Builder> more) {
      e = new Engine(kind, more);
      create = new Create(e, false);
    }

    @Override
    public void beforeIteration() {
      create.beforeIteration();
    }

    @Override
    public void afterIteration() {
      create.afterIteration();
      requireNoAuditFailure(e.engine);
    }

    Credential run() {
      return create.run();
    }

    @Override
    public void close() {
      e.close();
    }
  }

  /**
   * Resolve at first disclosure: a session opened for the call (which reads the vault, as every
   * {@code openSession} does) and its first resolve of {@link #HOT_URL}, which reads the store and,
   * with the audit on, appends a {@code credential.disclose} entry. The engine's token cache is
   * warm (the same credential every time), so no decrypt: what differs from the repeated resolve
   * of {@link Resolve} is the session, the store read and the entry. With {@link #AUDIT_OFF} it
   * is the same call without the entry. The constructor checks that one call appends exactly one
   * entry with the audit on, none with it off, and that a repeated resolve appends none.
   */
  static final class FirstResolve implements Op {
    private final Engine e;

    /** With the default audit ({@code audit}) or none ({@link #AUDIT_OFF}). */
    FirstResolve(String kind, boolean audit) {
      e = new Engine(kind, audit ? b -> {} : AUDIT_OFF);
      boolean auditing = audit;
      long before = auditEntries(e.engine);
      run();
      long afterFirst = auditEntries(e.engine);
      e.resolve().orElseThrow();
      e.resolve().orElseThrow();
      long afterRepeated = auditEntries(e.engine);
      long expected = auditing ? 1 : 0;
      if (afterFirst - before != expected || afterRepeated != afterFirst + expected) {
        // e.session resolved for the first time above (one entry when auditing), then again.
        throw new IllegalStateException("first resolve appended " + (afterFirst - before)
            + " entries, the session's two resolves " + (afterRepeated - afterFirst)
            + "; expected " + expected + " and " + expected);
      }
    }

    @Override
    public void afterIteration() {
      requireNoAuditFailure(e.engine);
    }

    Optional<ResolvedCredential> run() {
      Optional<ResolvedCredential> r = e.vaults.openSession(List.of(e.hotVaultId))
          .resolve(HOT_URL);
      if (r.isEmpty()) {
        throw new IllegalStateException("no credential for " + HOT_URL);
      }
      return r;
    }

    @Override
    public void close() {
      e.close();
    }
  }

  /**
   * Resolve (hot) on a database server with {@link #FEED}: the repeated resolve of {@link Resolve}
   * (10,000 credentials, the same URL again and again), answered from the session's memory while
   * the event feed shows no change.
   */
  static final class FeedResolve implements Op {
    private final Engine e;

    FeedResolve(String kind) {
      e = new Engine(kind, FEED);
    }

    Optional<ResolvedCredential> run() {
      return e.resolve();
    }

    @Override
    public void close() {
      e.close();
    }
  }

  /**
   * Two hosts on one database server (two engines, two stores with pools of their own, the same
   * tables and KEK): host A (the defaults) rotates the token of a credential, host B (with
   * {@link #FEED}) resolves it in a tight loop until it returns the new token. {@link #rotate}
   * runs untimed; {@link #awaitSeen} is the time another host takes to see a committed rotation.
   */
  static final class TwoHosts implements AutoCloseable {
    private final Fixtures.ServerTables tables;
    private final VaultEngine a;
    private final VaultEngine b;
    private final VaultService onA;
    private final String vaultId;
    private String credentialId;
    private final VaultSession sessionOnB;
    private long rotations;
    private Secret expected = Secret.of(Fixtures.TOKEN);
    /** Resolves by B over all shots, and shots: a check that B loops, for the log. */
    private long loops;
    private long shots;
    /** Shots whose first resolve already returned the new token (it read the database). */
    private long atOnce;
    private final java.util.Random phase = new java.util.Random(17);
    /** The duration of each shot's last resolve (the one that returned the new token), ns. */
    private final List<Long> lastResolve = new ArrayList<>();

    TwoHosts(String kind) {
      tables = new Fixtures.ServerTables(kind);
      Path dir = Fixtures.tempDir("bench-two-hosts-");
      KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"));
      a = VaultEngine.builder().store(tables.newStore()).keyEncryptionKey(kek).build();
      VaultEngine.Builder bb = VaultEngine.builder().store(tables.newStore())
          .keyEncryptionKey(kek);
      FEED.accept(bb);
      b = bb.build();
      onA = a.forAccount("bench");
      vaultId = Fixtures.vaultWith(onA, "hot", HOT_URL);
      credentialId = onA.listCredentials(vaultId, ListRequest.builder().limit(1).build())
          .data().get(0).id();
      sessionOnB = b.forAccount("bench").openSession(List.of(vaultId));
      if (!sessionOnB.resolve(HOT_URL).orElseThrow().accessToken().sameAs(expected)) {
        throw new IllegalStateException("host B does not see host A's credential");
      }
    }

    /**
     * Untimed: lets host B settle, then host A rotates the token (committed when this returns).
     * Settling: B's last resolve of the previous shot read the database and appended its first
     * disclosure of the new credential, which moves B's own feed version (an own journaled
     * write), and B's poll then sees A's events: each makes B's next resolve read the database.
     * A shot started then would time one database read, not the propagation. So this waits for a
     * poll ({@link #FEED_POLL} and 50 ms) and resolves twice on B (the first may read the
     * database, the second answers from memory), and only then rotates. A random part of the
     * wait (0 to {@link #FEED_POLL}, from a seeded generator) puts the rotation at any point of
     * B's poll cycle: a fixed wait started when a poll found the previous rotation would put every
     * rotation at the same point, and every shot would take the same part of the poll.
     */
    void rotate() {
      try {
        Thread.sleep(FEED_POLL.toMillis() + 50 + phase.nextInt((int) FEED_POLL.toMillis() + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < 2; i++) {
        if (!sessionOnB.resolve(HOT_URL).orElseThrow().accessToken().sameAs(expected)) {
          throw new IllegalStateException("host B lost the current token");
        }
      }
      expected = Secret.of(Fixtures.TOKEN + "_" + ++rotations);
      // Archives the credential and creates its replacement (a new id) in one step.
      credentialId = onA.rotateCredential(vaultId, credentialId, expected).id();
    }

    /** Host B resolves until it gets the new token; fails after 10 s. */
    long awaitSeen() {
      long deadline = System.nanoTime() + 10_000_000_000L;
      long n = 0;
      while (true) {
        n++;
        long t0 = System.nanoTime();
        ResolvedCredential r = sessionOnB.resolve(HOT_URL).orElseThrow();
        if (r.accessToken().sameAs(expected)) {
          lastResolve.add(System.nanoTime() - t0);
          loops += n;
          shots++;
          if (n == 1) {
            atOnce++;
          }
          return n;
        }
        if ((n & 1023) == 0 && System.nanoTime() > deadline) {
          throw new IllegalStateException("host B did not see rotation " + rotations
              + " within 10 s");
        }
      }
    }

    @Override
    public void close() {
      System.out.printf(java.util.Locale.ROOT, "# two hosts: %d rotations seen, %.1f resolves by "
          + "host B per rotation, %d seen by the first resolve%n", shots,
          shots == 0 ? 0.0 : (double) loops / shots, atOnce);
      if (!lastResolve.isEmpty()) {
        List<Long> sorted = lastResolve.stream().sorted().toList();
        System.out.printf(java.util.Locale.ROOT, "# two hosts: the resolve that returned the new "
            + "token (a database read, a decrypt, B's first-disclosure entry) took %.3f ms "
            + "(median), %.3f ms (p99) of each shot%n", sorted.get(sorted.size() / 2) / 1e6,
            sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1))
                / 1e6);
      }
      try {
        b.close();
        a.close();
      } finally {
        tables.close();
      }
    }
  }

  // ------------------------------------------------------------------ floors

  /**
   * Memory floor: Tink AEAD encrypt plus a ConcurrentSkipListMap put of the same row the engine
   * keeps (id as long as the engine's, URL, times, encrypted token), as the JDBC floor inserts the
   * same row. An earlier floor put the ciphertext alone; it was cheaper (1.68 us on this machine)
   * because it retains a fraction of the bytes, which the collector then copies less.
   */
  static final class MemoryFloor implements Op {
    private final Aead aead = newAead();
    private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
    private final ConcurrentSkipListMap<String, CredentialRow> memory =
        new ConcurrentSkipListMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** Each iteration starts from the same rows, as the engine's creates do. */
    @Override
    public void afterIteration() {
      memory.clear();
    }

    CredentialRow run() throws GeneralSecurityException {
      long n = counter.incrementAndGet();
      String id = String.format("vcrd_%033d", n);
      String url = "https://svc" + n + ".example/mcp";
      Instant now = Instant.now();
      CredentialRow row = new CredentialRow("bench", id, "vlt_floor", url,
          new CredentialKind.StaticBearer(url, Protocol.SSE), null, Map.of(), Status.ACTIVE, null,
          now, now, EncryptedSecrets.of(
              new EncryptedToken(1, aead.encrypt(token, id.getBytes(StandardCharsets.UTF_8)))));
      memory.put(id, row);
      return row;
    }

    @Override
    public void close() {}
  }

  /**
   * What the log of an in-memory create must do at least, written as a careful program would,
   * without the engine: the secret's HMAC-SHA256 under an audit key (as {@code field=hex}), an
   * event with an id of its own, an audit entry chained by HMAC-SHA256 over its fields and the
   * previous MAC, both kept in lists (as the in-memory store keeps its log) until the iteration
   * ends: each survives the young collections of its iteration as the store's entries do, but
   * the lists are emptied after it, since this runs several times as many operations per
   * iteration as the engine and would fill the heap. One JDK {@code Mac}, initialized once.
   * Measured beside the create without the log, it gives the lowest
   * {@code create_with_log_vs_without_memory} any engine could reach on this machine.
   */
  static final class MemoryLogWork implements Op {
    private static final byte[] SECRET_LABEL = "secret".getBytes(StandardCharsets.US_ASCII);
    private static final String VAULT = "vault_0123456789abcdef0123456789abcdef";
    private static final String CREDENTIAL = "vcred_0123456789abcdef0123456789abcdef";

    private record Event(String id, String type, String account, String vault, String credential,
        Instant at) {}

    private record Entry(long sequence, Instant at, String account, String operation,
        String vault, String credential, String outcome, String secrets, byte[] mac) {}

    private final javax.crypto.Mac mac;
    private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
    private final java.nio.ByteBuffer input = java.nio.ByteBuffer.allocate(1024);
    private final List<Event> events = new ArrayList<>();
    private final List<Entry> audit = new ArrayList<>();
    private byte[] previous = new byte[32];
    private long counter;
    private long sequences;

    MemoryLogWork() {
      try {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      counter = new java.util.Random(1).nextLong() >>> 2; // where event ids start
    }

    Object run() {
      mac.update(SECRET_LABEL);
      mac.update(token);
      String secrets = "access_token=" + HexFormat.of().formatHex(mac.doFinal());
      Instant at = Instant.now();
      String eventId = "evt_" + HexFormat.of().toHexDigits(at.toEpochMilli())
          + HexFormat.of().toHexDigits(++counter);
      events.add(new Event(eventId, "vault_credential.created", "bench", VAULT, CREDENTIAL, at));
      long sequence = ++sequences;
      input.clear();
      input.put(previous).putLong(sequence).putLong(at.getEpochSecond()).putInt(at.getNano());
      for (String field : new String[] {"bench", "credential.create", VAULT, CREDENTIAL, "ok",
          secrets}) {
        byte[] b = field.getBytes(StandardCharsets.UTF_8);
        input.putInt(b.length).put(b);
      }
      mac.update(input.array(), 0, input.position());
      previous = mac.doFinal();
      Entry entry = new Entry(sequence, at, "bench", "credential.create", VAULT, CREDENTIAL, "ok",
          secrets, previous);
      audit.add(entry);
      return entry;
    }

    @Override
    public void afterIteration() {
      events.clear();
      audit.clear();
    }

    @Override
    public void close() {}
  }

  /**
   * JDBC floor: Tink AEAD encrypt plus one raw INSERT, autocommit, of the same row (same columns,
   * same SHA-256 URL hash in the unique index) into the same kind of file the store writes, opened
   * with the same settings, its schema made by the store itself. Plain JDBC on one connection held
   * for the floor's life, each statement prepared once: what a careful program does for repeated
   * inserts, and what the store does itself on SQLite (statements prepared once per connection:
   * the log's since session 7, the credential insert's only since session 9, when the cache was
   * found to miss every statement that went through Jdbi). The row has the engine's sizes: ids of
   * its length, times in microseconds, a key id of Tink's size; the connection is opened as the
   * store opens its own (no generated-keys query after an insert).
   */
  static final class JdbcFloor implements Op {
    /**
     * The floor's vault: an id of the engine's shape and length (the credential's vault id is
     * stored in its row and in two of its indexes, so a shorter one made the floor's row smaller
     * than the engine's: 10-20% cheaper to insert with synchronous=NORMAL in session 9).
     */
    private static final String VAULT = "vault_" + "0".repeat(16) + "f100f100f100f100";
    private static final String INSERT_CREDENTIAL = "INSERT INTO ve_credentials (id, account_id, "
        + "vault_id, mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, "
        + "status, created_at, updated_at, token_key_id, token) VALUES (?, 'bench', "
        + "'" + VAULT + "', ?, ?, ?, ?, 'sse', 'static_bearer', 'active', ?, ?, ?, ?)";

    /** A key id of Tink's size (a random 32-bit number), as the engine's rows hold. */
    private static final int TOKEN_KEY_ID = 1_002_210_150;
    private final Aead aead = newAead();
    private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
    private final DataSource pool;
    private final Connection connection;
    private final PreparedStatement insertCredential;
    /** The log's statements (null for the one-row floor): see {@link #withLogRows}. */
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertAudit;
    private final PreparedStatement updateHead;
    private final AtomicLong counter = new AtomicLong();
    /** Whether each insert also writes the rows the log adds (see {@link #withLogRows}). */
    private final boolean logRows;
    /** Whether each insert also writes a one-table log's row (see {@link #withOneLogTable}). */
    private final boolean oneLogTable;
    private final byte[] mac = new byte[32];
    private final String secrets = "access_token=" + "ab".repeat(32);
    private long sequence;

    /** {@code kind}: a file store kind of {@link Fixtures#store}. */
    JdbcFloor(String kind) {
      this(kind, false, false);
    }

    /**
     * The floor of a create with events and audit (issue 17): in one transaction, the same
     * credential row, an event row, an audit row (a 32-byte MAC, one secret's HMAC) and the log
     * head's update, as raw statements: what the database itself costs for the rows a logged
     * create writes, without the engine (no MAC is computed; the bytes are fixed).
     */
    static JdbcFloor withLogRows(String kind) {
      return new JdbcFloor(kind, true, false);
    }

    /**
     * A design probe, not the store's layout: the credential row plus what a log kept in one table
     * would write, in one transaction: one row holding the event's and the audit entry's fields,
     * and the head kept as that table's row with the largest key (so the head's update and the
     * new row share the table's last page). The store writes three tables (events, audit, head);
     * this measures what SQLite would charge for one (docs/decisions.md, session 8).
     */
    static JdbcFloor withOneLogTable(String kind) {
      return new JdbcFloor(kind, false, true);
    }

    private JdbcFloor(String kind, boolean logRows, boolean oneLogTable) {
      this.logRows = logRows;
      this.oneLogTable = oneLogTable;
      Path dir = Fixtures.tempDir("bench-floor-");
      Fixtures.store(kind, dir).close(); // the store's own schema
      pool = Fixtures.hostPool(kind, dir);
      Jdbi jdbi = Jdbi.create(pool);
      jdbi.useHandle(h -> h.execute("INSERT INTO ve_vaults (id, account_id, display_name, "
          + "name_folded, metadata, status, created_at, updated_at) VALUES ('" + VAULT + "', "
          + "'bench', 'floor', 'floor', '{}', 'active', 0, 0)"));
      if (oneLogTable) {
        jdbi.useHandle(h -> {
          h.execute("CREATE TABLE probe_log (sequence INTEGER PRIMARY KEY, at BIGINT NOT NULL, "
              + "account_id VARCHAR(255), actor VARCHAR(255), operation VARCHAR(64), "
              + "vault_id VARCHAR(1024), credential_id VARCHAR(1024), outcome VARCHAR(64), "
              + "secrets TEXT, detail TEXT, event_id VARCHAR(64), event_type VARCHAR(64), "
              + "mac BLOB)");
          h.execute("INSERT INTO probe_log (sequence, at) VALUES (" + Long.MAX_VALUE + ", 0)");
        });
      }
      try {
        connection = pool.getConnection();
        connection.setAutoCommit(!logRows && !oneLogTable);
        insertCredential = connection.prepareStatement(INSERT_CREDENTIAL);
        if (logRows) {
          insertEvent = connection.prepareStatement("INSERT INTO ve_events (sequence, id, type, "
              + "account_id, vault_id, credential_id, at) VALUES (?, ?, "
              + "'vault_credential.created', 'bench', '" + VAULT + "', ?, 0)");
          insertAudit = connection.prepareStatement("INSERT INTO ve_audit (sequence, at, "
              + "account_id, actor, operation, vault_id, credential_id, outcome, secrets, detail, "
              + "mac) VALUES (?, 0, 'bench', NULL, 'credential.create', '" + VAULT + "', ?, 'ok', "
              + "?, NULL, ?)");
          updateHead = connection.prepareStatement("UPDATE ve_log_head SET event_sequence = ?, "
              + "audit_sequence = ?, audit_mac = ? WHERE id = 1");
        } else if (oneLogTable) {
          insertEvent = null;
          insertAudit = connection.prepareStatement("INSERT INTO probe_log (sequence, at, "
              + "account_id, actor, operation, vault_id, credential_id, outcome, secrets, detail, "
              + "event_id, event_type, mac) VALUES (?, 0, 'bench', NULL, 'credential.create', "
              + "'" + VAULT + "', ?, 'ok', ?, NULL, ?, 'vault_credential.created', ?)");
          updateHead = connection.prepareStatement("UPDATE probe_log SET at = ?, mac = ? "
              + "WHERE sequence = " + Long.MAX_VALUE);
        } else {
          insertEvent = null;
          insertAudit = null;
          updateHead = null;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("the floor's statements could not be prepared", e);
      }
    }

    /** Each iteration starts from the same rows, as the engine's creates do. */
    @Override
    public void afterIteration() {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM ve_credentials WHERE vault_id = '" + VAULT + "'")) {
        delete.executeUpdate();
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    int run() throws GeneralSecurityException, SQLException {
      long n = counter.incrementAndGet();
      // The engine's id shape: a prefix and 32 hex digits, ascending (its ids begin with time).
      String id = "vcred_" + HexFormat.of().toHexDigits(n) + "0".repeat(16);
      byte[] ciphertext = aead.encrypt(token, id.getBytes(StandardCharsets.UTF_8));
      String url = "https://svc" + n + ".example/mcp";
      String hash = sha256Hex(url);
      long now = Clock.systemUTC().millis() * 1000; // microseconds, as the engine stores times
      insertCredential.setString(1, id);
      insertCredential.setString(2, url);
      insertCredential.setString(3, url);
      insertCredential.setString(4, url);
      insertCredential.setString(5, hash);
      insertCredential.setLong(6, now);
      insertCredential.setLong(7, now);
      insertCredential.setInt(8, TOKEN_KEY_ID);
      insertCredential.setBytes(9, ciphertext);
      int inserted = insertCredential.executeUpdate();
      if (logRows) {
        long seq = ++sequence;
        insertEvent.setLong(1, seq);
        insertEvent.setString(2, String.format("evt_%032x", seq));
        insertEvent.setString(3, id);
        insertEvent.executeUpdate();
        insertAudit.setLong(1, seq);
        insertAudit.setString(2, id);
        insertAudit.setString(3, secrets);
        insertAudit.setBytes(4, mac);
        insertAudit.executeUpdate();
        updateHead.setLong(1, seq);
        updateHead.setLong(2, seq);
        updateHead.setBytes(3, mac);
        updateHead.executeUpdate();
        connection.commit();
      } else if (oneLogTable) {
        long seq = ++sequence;
        insertAudit.setLong(1, seq);
        insertAudit.setString(2, id);
        insertAudit.setString(3, secrets);
        insertAudit.setString(4, String.format("evt_%032x", seq));
        insertAudit.setBytes(5, mac);
        insertAudit.executeUpdate();
        updateHead.setLong(1, seq);
        updateHead.setBytes(2, mac);
        updateHead.executeUpdate();
        connection.commit();
      }
      return inserted;
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing the pool below closes it anyway
      }
      Fixtures.close(pool);
    }
  }

  /** Resolve floor (memory): a plain map get of a token by URL. */
  static final class MapGet implements Op {
    private final Map<String, byte[]> byUrl = new HashMap<>();

    MapGet() {
      byUrl.put(McpServerUrl.parse(HOT_URL).normalized(),
          Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8));
    }

    byte[] run() {
      return byUrl.get("https://hot.example/mcp");
    }

    @Override
    public void close() {}
  }

  /**
   * What building resolve's result alone costs: a fresh copy of a held token in a new
   * {@code ResolvedCredential} and {@code Optional}, with no lookup at all. The API hands every
   * caller a token of its own to destroy, so no resolve can cost less than this (plus a lookup).
   */
  static final class ResultOnly implements Op {
    private final Secret heldToken = Secret.of(Fixtures.TOKEN);

    Optional<ResolvedCredential> run() {
      return Optional.of(new ResolvedCredential("vault_hot", "vcred_hot", HOT_URL,
          Protocol.SSE, heldToken.copy()));
    }

    @Override
    public void close() {}
  }

  /**
   * Resolve floor (file stores): the raw indexed select of the token, nothing else, on the table
   * the store itself reads (10,000 credentials and the hot one, written by the engine), over a
   * pool of its own on the same file with the same settings.
   */
  static final class IndexedSelect implements Op {
    private final VaultEngine engine;
    private final DataSource pool;
    private final Jdbi jdbi;
    private final String hotVault;
    private final String hotHash;

    IndexedSelect(String kind) {
      Path dir = Fixtures.tempDir("bench-select-");
      engine = Fixtures.engine(kind, dir);
      VaultService vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      hotVault = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      hotHash = sha256Hex(McpServerUrl.parse(HOT_URL).normalized());
      pool = Fixtures.hostPool(kind, dir);
      jdbi = Jdbi.create(pool);
    }

    byte[] run() {
      return jdbi.withHandle(h -> h.createQuery("SELECT token FROM ve_credentials "
              + "WHERE vault_id = :vault AND active_url_hash = :hash AND account_id = 'bench'")
          .bind("vault", hotVault).bind("hash", hotHash)
          .map((rs, ctx) -> rs.getBytes(1)).one());
    }

    @Override
    public void close() {
      Fixtures.close(pool);
      engine.close();
    }
  }

  // ------------------------------------------------------------------ the peer

  /**
   * The peer: what many Java programs use instead, a PKCS12 {@code KeyStore} file as the secret
   * store, one entry per credential, saved after each write, with 10,000 secrets in it at the
   * start of every iteration (the entries an iteration adds are removed after it, as the engine's
   * creates go to a vault deleted after the iteration).
   */
  static final class Pkcs12Write implements Op {
    private static final char[] PASSWORD = "benchmark-password".toCharArray();

    private final KeyStore keyStore;
    private final Path file;
    private final KeyStore.ProtectionParameter protection =
        new KeyStore.PasswordProtection(PASSWORD);
    private final AtomicLong counter = new AtomicLong();
    private final List<String> added = new ArrayList<>();

    /**
     * Loads the 10,000 secrets from a file made by the first run on this machine and Java version
     * (in the temporary directory): setting 10,000 entries derives a key from the password for
     * each, which took about a minute per fork on the loaded machine where this was written, and a
     * program that keeps its secrets this way loads its file at start too.
     */
    Pkcs12Write() {
      try {
        file = Fixtures.tempDir("bench-pkcs12-").resolve("secrets.p12");
        // Per Java version: the JDK's PKCS12 defaults (key protection, MAC) may change with it.
        Path prefilled = Path.of(System.getProperty("java.io.tmpdir"),
            "vault-engine-bench-pkcs12-10000-java" + System.getProperty("java.version") + ".p12");
        if (!Files.exists(prefilled)) {
          KeyStore fresh = KeyStore.getInstance("PKCS12");
          fresh.load(null, PASSWORD);
          for (int i = 0; i < 10_000; i++) {
            fresh.setEntry("prefill-" + i, entry(), protection);
          }
          Path tmp = Files.createTempFile(prefilled.getParent(), "pkcs12-", ".tmp");
          try (OutputStream out = Files.newOutputStream(tmp)) {
            fresh.store(out, PASSWORD);
          }
          Files.move(tmp, prefilled, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(prefilled)) {
          keyStore.load(in, PASSWORD);
        }
        if (keyStore.size() != 10_000) {
          throw new IllegalStateException(prefilled + " holds " + keyStore.size() + " entries");
        }
        save();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static KeyStore.SecretKeyEntry entry() {
      return new KeyStore.SecretKeyEntry(new SecretKeySpec(
          Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8), "AES"));
    }

    private void save() throws Exception {
      try (OutputStream out = Files.newOutputStream(file)) {
        keyStore.store(out, PASSWORD);
      }
    }

    @Override
    public void afterIteration() {
      try {
        for (String alias : added) {
          keyStore.deleteEntry(alias);
        }
        added.clear();
        save();
        // Untimed: the peer's saves do not flush (that is what is measured), so its last file
        // would be written back by the kernel during whichever member runs next, whose commits
        // flush. Flushed here, no member's iteration pays for another's writes.
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** One secret written the way such programs do: set the entry, save the whole file. */
    void run() throws Exception {
      String alias = "cred-" + counter.incrementAndGet();
      keyStore.setEntry(alias, entry(), protection);
      added.add(alias);
      save();
    }

    @Override
    public void close() {}
  }

  // ------------------------------------------------------------------ list

  /**
   * A page of 20 vaults at depth (the cursor in the middle of the account) with {@code n} vaults
   * stored. The rows are loaded in bulk (SPI for memory, batched INSERTs for the files) so that a
   * million fit in the quick run.
   */
  static final class ListPage implements Op {
    private final VaultEngine engine;
    private final VaultService vaults;
    private final String cursor;

    ListPage(String kind, int n) {
      Path dir = Fixtures.tempDir("bench-list-");
      IdGenerator ids = IdGenerator.uuidV7(Clock.systemUTC(), 1);
      Instant now = Instant.parse("2026-11-22T00:00:00Z");
      String[] all = new String[n];
      for (int i = 0; i < n; i++) {
        all[i] = vaultId(ids.next());
      }
      VaultStore s;
      if (kind.equals("memory")) {
        InMemoryVaultStore memory = new InMemoryVaultStore();
        for (String id : all) {
          memory.insertVault(new VaultRow("bench", id, "vault " + id.substring(30), Map.of(),
              Status.ACTIVE, null, now, now), List.of(), Journal.NONE);
        }
        s = memory;
      } else {
        Fixtures.store(kind, dir).close(); // the schema
        DataSource pool = Fixtures.hostPool(kind, dir);
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO ve_vaults (id, account_id, "
              + "display_name, name_folded, metadata, status, created_at, updated_at) VALUES "
              + "(?, 'bench', ?, ?, '{}', 'active', ?, ?)")) {
            for (int i = 0; i < n; i++) {
              ps.setString(1, all[i]);
              ps.setString(2, "vault " + i);
              ps.setString(3, "vault " + i);
              ps.setLong(4, i);
              ps.setLong(5, i);
              ps.addBatch();
              if (i % 10_000 == 9_999) {
                ps.executeBatch();
                c.commit();
              }
            }
            ps.executeBatch();
            c.commit();
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        } finally {
          Fixtures.close(pool);
        }
        s = Fixtures.store(kind, dir);
      }
      engine = VaultEngine.builder().store(s)
          .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
      vaults = engine.forAccount("bench");
      cursor = all[n / 2];
    }

    Page<Vault> run() {
      return vaults.listVaults(ListRequest.builder().limit(20).afterId(cursor).build());
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  // ------------------------------------------------------------------ MCP tool call (issue 16)

  /**
   * What both members of the {@code mcpToolCall} group share: {@link McpLoopbackServer} (the SDK's
   * streamable HTTP servlet transport in embedded Tomcat on loopback, behind a bearer filter) and
   * an engine on the in-memory store with one vault holding a static_bearer credential for the
   * server's URL and {@link Fixtures#TOKEN}, and a session on that vault. Closed when the last
   * member using it is closed (after its client), so no client outlives the server.
   */
  static final class McpToolCall implements AutoCloseable {
    final McpLoopbackServer server;
    final VaultEngine engine;
    final VaultSession session;
    final String url;
    private final java.util.concurrent.atomic.AtomicInteger users =
        new java.util.concurrent.atomic.AtomicInteger();

    McpToolCall() {
      try {
        server = new McpLoopbackServer(Fixtures.TOKEN);
      } catch (Exception e) {
        throw new IllegalStateException("loopback MCP server did not start", e);
      }
      url = server.streamableUrl();
      engine = Fixtures.engine("memory", Fixtures.tempDir("bench-mcp-engine-"));
      VaultService vaults = engine.forAccount("bench");
      String vault = Fixtures.vaultWith(vaults, "mcp", CreateCredentialRequest.builder()
          .mcpServerUrl(url).protocol(Protocol.STREAMABLE_HTTP).accessToken(Fixtures.TOKEN)
          .build());
      session = vaults.openSession(List.of(vault));
    }

    /** A sync client over streamable HTTP to the server with {@code customizer}, initialized. */
    io.modelcontextprotocol.client.McpSyncClient client(
        io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer
            customizer) {
      io.modelcontextprotocol.client.McpSyncClient client =
          io.modelcontextprotocol.client.McpClient.sync(
                  io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport
                      .builder(server.origin()).endpoint("/mcp")
                      .addHttpRequestCustomizer(customizer).build())
              .requestTimeout(Duration.ofSeconds(10)).build();
      client.initialize();
      return client;
    }

    /** One more member uses this; {@link #close} by each of them closes it with the last. */
    void use() {
      users.incrementAndGet();
    }

    @Override
    public void close() {
      if (users.decrementAndGet() == 0) {
        try {
          engine.close();
        } finally {
          try {
            server.close();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }
  }

  /**
   * {@code tools/call} of the loopback server's tool through the SDK's sync client: each call is
   * one HTTP POST whose {@code Authorization} header the client's request customizer sets. The
   * members differ only in that customizer. Every answer is checked: a refused or wrong call
   * throws, so a member cannot measure a failure.
   */
  static final class McpCall implements Op {
    private final McpToolCall s;
    private final io.modelcontextprotocol.client.McpSyncClient client;
    private final io.modelcontextprotocol.spec.McpSchema.CallToolRequest call =
        io.modelcontextprotocol.spec.McpSchema.CallToolRequest.builder(McpLoopbackServer.TOOL)
            .arguments(Map.of()).build();

    private McpCall(McpToolCall s,
        io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer
            customizer) {
      this.s = s;
      s.use();
      client = s.client(customizer);
      run();
    }

    /** The token from {@code VaultMcpAuth.forServer(url, session).requestCustomizer()}. */
    static McpCall throughVault(McpToolCall s) {
      return new McpCall(s,
          dev.vaultengine.mcp.VaultMcpAuth.forServer(s.url, s.session).requestCustomizer());
    }

    /** The same header, set from a constant. */
    static McpCall fixedHeader(McpToolCall s) {
      String header = "Bearer " + Fixtures.TOKEN;
      return new McpCall(s, (builder, method, uri, body, context) ->
          builder.setHeader("Authorization", header));
    }

    io.modelcontextprotocol.spec.McpSchema.CallToolResult run() {
      io.modelcontextprotocol.spec.McpSchema.CallToolResult r = client.callTool(call);
      if (Boolean.TRUE.equals(r.isError()) || r.content().size() != 1
          || !(r.content().get(0) instanceof io.modelcontextprotocol.spec.McpSchema.TextContent t)
          || !McpLoopbackServer.ANSWER.equals(t.text())) {
        throw new IllegalStateException("unexpected tool result: " + r);
      }
      return r;
    }

    @Override
    public void close() {
      try {
        client.closeGracefully();
      } finally {
        s.close();
      }
    }
  }

  /**
   * A vault id as the engine writes it ({@code vault_} and the UUID's 32 lower-case hex digits),
   * made here rather than with the engine's internal formatter, which no other module may reach.
   */
  static String vaultId(java.util.UUID uuid) {
    java.util.HexFormat hex = java.util.HexFormat.of();
    return "vault_" + hex.toHexDigits(uuid.getMostSignificantBits())
        + hex.toHexDigits(uuid.getLeastSignificantBits());
  }
}
