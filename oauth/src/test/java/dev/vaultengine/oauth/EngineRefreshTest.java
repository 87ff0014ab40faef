package dev.vaultengine.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.CredentialType;
import dev.vaultengine.CredentialValidation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshProblem;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.oauth.LeakGuard.Watched;
import dev.vaultengine.spi.VaultStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * OAuth refresh end to end: engines with the Nimbus refresher against a rotating token endpoint on
 * loopback that counts requests and refuses a reused refresh token. Single flight across threads,
 * across two engines on one PostgreSQL database and on one SQLite file, a host that died holding the
 * lease, and every failure mode, with the leak guard watching.
 */
class EngineRefreshTest {
  private static final String URL = "https://mcp.example.com/mcp";
  private static final String FIRST_ACCESS = "at-initial-1d4e";
  private static final String FIRST_REFRESH = "rt-initial-88b0";
  private static final boolean REQUIRED = Boolean.getBoolean("vault.requireDatabases");

  @TempDir
  Path dir;

  private RotatingTokenEndpoint endpoint;
  private KeyEncryptionKey kek;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    endpoint = new RotatingTokenEndpoint(FIRST_REFRESH);
    kek = KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    endpoint.close();
  }

  /**
   * Timeouts generous enough for a loaded two-core machine (a 1 s read timeout made a 400 ms answer
   * time out under load), except where a test is about the timeout itself.
   */
  private static NimbusTokenRefresher refresher(Duration read) {
    return NimbusTokenRefresher.builder().connectTimeout(Duration.ofSeconds(1))
        .readTimeout(read).build();
  }

  private VaultEngine engine(VaultStore store, Duration lease) {
    return engine(store, lease, refresher(Duration.ofSeconds(8)));
  }

  private VaultEngine engine(VaultStore store, Duration lease, NimbusTokenRefresher refresher) {
    VaultEngine e = VaultEngine.builder().store(store).keyEncryptionKey(kek)
        .tokenRefresher(refresher).refreshLease(lease).refreshWait(Duration.ofSeconds(15))
        .build();
    closing.add(e);
    return e;
  }

  /**
   * A vault whose mcp_oauth credential is due now: it expires 2 s after it is stored and is due at
   * half its life (shorter than the 60 s window), which this waits out.
   */
  private CreatedVault dueVault(VaultService vaults) throws InterruptedException {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("oauth")
        .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
            .mcpServerUrl(URL).protocol(Protocol.STREAMABLE_HTTP).accessToken(FIRST_ACCESS)
            .expiresAt(Instant.now().plusSeconds(2))
            .refresh(new OAuthRefreshRequest(endpoint.tokenEndpoint(),
                RotatingTokenEndpoint.CLIENT_ID, null, null, Secret.of(FIRST_REFRESH),
                TokenEndpointAuth.basic(Secret.of(RotatingTokenEndpoint.CLIENT_SECRET))))
            .build())
        .build());
    Thread.sleep(1_100);
    return v;
  }

  private List<String> secrets() {
    List<String> all = new ArrayList<>(List.of(FIRST_ACCESS, FIRST_REFRESH,
        RotatingTokenEndpoint.CLIENT_SECRET, endpoint.currentRefreshToken()));
    all.addAll(endpoint.issuedAccessTokens());
    return all;
  }

  /** {@code threads} resolves of one URL at once, each through {@code sessions}' next session. */
  private List<ResolvedCredential> atOnce(int threads, List<VaultSession> sessions)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ResolvedCredential>> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        VaultSession s = sessions.get(i % sessions.size());
        all.add(pool.submit(() -> {
          go.await();
          return s.resolve(URL).orElseThrow();
        }));
      }
      go.countDown();
      List<ResolvedCredential> out = new ArrayList<>();
      for (Future<ResolvedCredential> f : all) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertAll(List<ResolvedCredential> results, String token) {
    for (ResolvedCredential r : results) {
      assertTrue(r.accessToken().sameAs(Secret.of(token)),
          "every resolve got the new token; this one: " + r.refreshProblem());
      assertEquals(Optional.empty(), r.refreshProblem());
    }
  }

  @Test
  void aRefreshIsAnEventAndAnAuditEntryWithTheNewTokensAsHmacsAndAFailureToo() throws Exception {
    VaultEngine engine = engine(new InMemoryVaultStore(), Duration.ofSeconds(30));
    VaultService vaults = engine.forAccount("acct");
    CreatedVault v = dueVault(vaults);
    String credential = v.credentials().get(0).id();
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    long before = engine.events().lastSequence();
    session.resolve(URL).orElseThrow().accessToken().destroy();
    List<dev.vaultengine.VaultEvent> events = engine.events().read(before, 100);
    assertEquals(List.of(dev.vaultengine.EventType.CREDENTIAL_REFRESHED),
        events.stream().map(dev.vaultengine.VaultEvent::type).toList());
    assertEquals(credential, events.get(0).credentialId().orElseThrow());
    dev.vaultengine.AuditEntry refreshed = engine.audit().list(0, 1000).stream()
        .filter(e -> e.operation().equals("credential.refresh")).findFirst().orElseThrow();
    assertEquals("ok", refreshed.outcome());
    assertEquals(engine.audit().hash(Secret.of("at-rotating-1-7f3a")),
        refreshed.secretHashes().get("access_token"));
    assertEquals(engine.audit().hash(Secret.of("rt-rotating-1-9c2d")),
        refreshed.secretHashes().get("refresh_token"), "the rotated refresh token, as an HMAC");

    // The grant is revoked: the next refresh (validate asks for one at once) fails; an event
    // says so.
    endpoint.mode(RotatingTokenEndpoint.Mode.INVALID_GRANT);
    long failedFrom = engine.events().lastSequence();
    assertEquals(dev.vaultengine.CredentialValidation.Status.INVALID,
        vaults.validateCredential(v.vault().id(), credential).status());
    assertEquals(List.of(dev.vaultengine.EventType.CREDENTIAL_REFRESH_FAILED),
        engine.events().read(failedFrom, 100).stream().map(dev.vaultengine.VaultEvent::type)
            .toList());
    dev.vaultengine.AuditEntry failed = engine.audit().list(0, 1000).stream()
        .filter(e -> e.outcome().equals("refresh_failed")).findFirst().orElseThrow();
    assertEquals("grant_revoked", failed.detail().orElseThrow());
    assertTrue(failed.secretHashes().isEmpty());
    assertTrue(engine.audit().verify().intact());
  }

  @Test
  void sixteenThreadsMakeOneTokenRequest() throws Exception {
    VaultService vaults = engine(new InMemoryVaultStore(), Duration.ofSeconds(30))
        .forAccount("acct");
    VaultSession session = vaults.openSession(List.of(dueVault(vaults).vault().id()));
    endpoint.delayMillis(300);
    Watched<List<ResolvedCredential>> watched =
        LeakGuard.watch(() -> atOnce(16, List.of(session)));
    assertAll(watched.result(), "at-rotating-1-7f3a");
    assertEquals(1, endpoint.requests());
    ResolvedCredential r = watched.result().get(0);
    assertTrue(r.expiresAt().orElseThrow().isAfter(Instant.now().plusSeconds(3500)),
        "expires_at from expires_in");
    LeakGuard.assertNoLeak(watched, secrets());
  }

  @Test
  void aRotatedRefreshTokenIsNeverSentAgain() throws Exception {
    VaultService vaults = engine(new InMemoryVaultStore(), Duration.ofSeconds(30))
        .forAccount("acct");
    endpoint.expiresIn(1); // every new token lives 1 s: due again half a second later
    VaultSession session = vaults.openSession(List.of(dueVault(vaults).vault().id()));
    for (int i = 1; i <= 5; i++) {
      assertTrue(session.resolve(URL).orElseThrow().accessToken()
          .sameAs(Secret.of("at-rotating-" + i + "-7f3a")));
      Thread.sleep(600);
    }
    assertEquals(5, endpoint.requests());
    assertEquals(List.of(), endpoint.reusedRefreshTokens());
  }

  @Test
  void anExpiresInNoExpiryCanHoldIsStoredAsAnUnknownExpiry() throws Exception {
    // Long.MAX_VALUE seconds: resolve threw an ArithmeticException (long overflow) after the
    // server had already rotated the refresh token.
    VaultService vaults = engine(new InMemoryVaultStore(), Duration.ofSeconds(30))
        .forAccount("acct");
    endpoint.expiresIn(Long.MAX_VALUE);
    VaultSession session = vaults.openSession(List.of(dueVault(vaults).vault().id()));
    ResolvedCredential r = session.resolve(URL).orElseThrow();
    assertTrue(r.accessToken().sameAs(Secret.of("at-rotating-1-7f3a")));
    assertEquals(Optional.empty(), r.expiresAt());
    assertEquals(Optional.empty(), r.refreshProblem());
    assertEquals(1, endpoint.requests());
  }

  @Test
  void aResolveInterruptedDuringItsRefreshDoesNotSpendTheGrant() throws Exception {
    // A cancelled task (a Reactor worker disposed when an MCP request times out) is interrupted
    // while its resolve waits for the token endpoint. The refresher gave up on the answer, the
    // server had rotated the refresh token meanwhile, and the next refresh sent the spent one:
    // invalid_grant, GRANT_REVOKED, a new authorization needed.
    VaultService vaults = engine(new InMemoryVaultStore(), Duration.ofSeconds(30))
        .forAccount("acct");
    VaultSession session = vaults.openSession(List.of(dueVault(vaults).vault().id()));
    endpoint.delayMillis(1_000);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> resolving = pool.submit(() -> session.resolve(URL));
      Thread.sleep(300);
      resolving.cancel(true);
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS));
    }
    endpoint.delayMillis(0);
    Thread.sleep(1_100); // past the first backoff step, had the refresh been taken for a failure

    ResolvedCredential r = session.resolve(URL).orElseThrow();
    assertTrue(r.accessToken().sameAs(Secret.of("at-rotating-1-7f3a")),
        "the token the server issued to the interrupted refresh: " + r.refreshProblem());
    assertEquals(Optional.empty(), r.refreshProblem());
    assertEquals(1, endpoint.requests());
    assertEquals(List.of(), endpoint.reusedRefreshTokens());
  }

  @Test
  void twoEnginesOnOnePostgresDatabaseMakeOneRequest() throws Exception {
    PGSimpleDataSource pg = postgres();
    String prefix = "er" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    JdbcVaultStore a = JdbcVaultStore.builder(pg).tablePrefix(prefix).build();
    JdbcVaultStore b = JdbcVaultStore.builder(pg).tablePrefix(prefix).build();
    closing.add(() -> dropTables(pg, prefix));
    twoHosts(a, b);
  }

  @Test
  void twoEnginesOnOneSqliteFileMakeOneRequest() throws Exception {
    twoHosts(EmbeddedStores.sqlite(dir.resolve("data")), EmbeddedStores.sqlite(dir.resolve("data")));
  }

  private void twoHosts(VaultStore a, VaultStore b) throws Exception {
    VaultService va = engine(a, Duration.ofSeconds(30)).forAccount("acct");
    VaultService vb = engine(b, Duration.ofSeconds(30)).forAccount("acct");
    String vault = dueVault(va).vault().id();
    endpoint.delayMillis(400);
    List<ResolvedCredential> results = atOnce(8,
        List.of(va.openSession(List.of(vault)), vb.openSession(List.of(vault))));
    assertAll(results, "at-rotating-1-7f3a");
    assertEquals(1, endpoint.requests());
    assertEquals(List.of(), endpoint.reusedRefreshTokens());
  }

  @Test
  void aHostThatDiedHoldingTheLeaseBlocksOthersOnlyUntilItEnds() throws Exception {
    JdbcVaultStore store = EmbeddedStores.sqlite(dir.resolve("data"));
    VaultService vaults = engine(store, Duration.ofSeconds(30)).forAccount("acct");
    CreatedVault v = dueVault(vaults);
    String credential = v.credentials().get(0).id();
    // What a host killed mid-refresh leaves: its lease, for two more seconds.
    Instant now = Instant.now();
    assertEquals(Optional.empty(), store.tryLeaseRefresh("acct", credential, "killed-host", now,
        now.plusSeconds(2)));
    long started = System.nanoTime();
    ResolvedCredential r = vaults.openSession(List.of(v.vault().id())).resolve(URL).orElseThrow();
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(r.accessToken().sameAs(Secret.of("at-rotating-1-7f3a")));
    assertEquals(1, endpoint.requests());
    assertTrue(waitedMillis >= 1500, "waited for the lease: " + waitedMillis + " ms");
    assertTrue(waitedMillis < 10_000, "but not past it by much: " + waitedMillis + " ms");
  }

  @Test
  void everyFailureModeGivesItsOutcomeWithinTheTimeoutAndBoundedRequests() throws Exception {
    record Case(RotatingTokenEndpoint.Mode mode, RefreshProblem problem,
        CredentialValidation.Status status, CredentialValidation.RefreshStatus refresh) {}
    List<Case> cases = List.of(
        new Case(RotatingTokenEndpoint.Mode.INVALID_GRANT, RefreshProblem.GRANT_REVOKED,
            CredentialValidation.Status.INVALID, CredentialValidation.RefreshStatus.FAILED),
        new Case(RotatingTokenEndpoint.Mode.SERVER_ERROR, RefreshProblem.TEMPORARILY_UNAVAILABLE,
            CredentialValidation.Status.UNKNOWN, CredentialValidation.RefreshStatus.FAILED),
        new Case(RotatingTokenEndpoint.Mode.RATE_LIMITED, RefreshProblem.TEMPORARILY_UNAVAILABLE,
            CredentialValidation.Status.UNKNOWN, CredentialValidation.RefreshStatus.FAILED),
        new Case(RotatingTokenEndpoint.Mode.HANG, RefreshProblem.TEMPORARILY_UNAVAILABLE,
            CredentialValidation.Status.UNKNOWN, CredentialValidation.RefreshStatus.CONNECT_ERROR),
        new Case(RotatingTokenEndpoint.Mode.MALFORMED, RefreshProblem.TEMPORARILY_UNAVAILABLE,
            CredentialValidation.Status.UNKNOWN, CredentialValidation.RefreshStatus.FAILED),
        new Case(RotatingTokenEndpoint.Mode.NO_ACCESS_TOKEN,
            RefreshProblem.TEMPORARILY_UNAVAILABLE, CredentialValidation.Status.UNKNOWN,
            CredentialValidation.RefreshStatus.FAILED));
    for (Case c : cases) {
      endpoint.mode(c.mode());
      // A 3 s read timeout here: the hanging server's case is about that bound.
      VaultService vaults = engine(new InMemoryVaultStore(), Duration.ofSeconds(30),
          refresher(Duration.ofSeconds(3))).forAccount("acct");
      CreatedVault v = dueVault(vaults);
      VaultSession session = vaults.openSession(List.of(v.vault().id()));
      int before = endpoint.requests();
      long started = System.nanoTime();
      Watched<ResolvedCredential> watched =
          LeakGuard.watch(() -> session.resolve(URL).orElseThrow());
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis < 8_000, c.mode() + " took " + millis + " ms (1 s + 3 s timeouts)");
      ResolvedCredential r = watched.result();
      assertTrue(r.accessToken().sameAs(Secret.of(FIRST_ACCESS)), "the stored token is served");
      assertEquals(Optional.of(c.problem()), r.refreshProblem(), c.mode().name());
      for (int i = 0; i < 50; i++) {
        session.resolve(URL);
      }
      assertEquals(before + 1, endpoint.requests(), c.mode() + ": one request per backoff step");
      LeakGuard.assertNoLeak(watched, secrets());
      Watched<CredentialValidation> check = LeakGuard.watch(
          () -> vaults.validateCredential(v.vault().id(), v.credentials().get(0).id()));
      assertEquals(c.status(), check.result().status(), c.mode().name());
      assertEquals(c.refresh(), check.result().refresh(), c.mode().name());
      LeakGuard.assertNoLeak(check, secrets());
    }
  }

  @Test
  void theReadmeShowsThisSetUp() throws Exception {
    VaultStore store = new InMemoryVaultStore();
    // README:start
    VaultEngine engine = VaultEngine.builder().store(store).keyEncryptionKey(kek)
        .tokenRefresher(NimbusTokenRefresher.builder().build())
        .build();
    // README:end
    closing.add(engine);
    VaultService vaults = engine.forAccount("acct");
    CreatedVault v = dueVault(vaults);
    assertTrue(vaults.openSession(List.of(v.vault().id())).resolve(URL).orElseThrow()
        .accessToken().sameAs(Secret.of("at-rotating-1-7f3a")), "the set-up refreshes");
    List<String> source = java.nio.file.Files.readAllLines(
        Path.of("src/test/java/dev/vaultengine/oauth/EngineRefreshTest.java"));
    int from = source.indexOf("    // README:start") + 1;
    int to = source.indexOf("    // README:end");
    String snippet = String.join("\n", source.subList(from, to).stream()
        .map(line -> line.substring(4)).toList());
    assertTrue(java.nio.file.Files.readString(Path.of("..", "README.md")).contains(snippet),
        "README.md must show the set-up exactly:\n" + snippet);
  }

  private static PGSimpleDataSource postgres() {
    if (!reachable(5432)) {
      if (REQUIRED) {
        fail("PostgreSQL is required (vault.requireDatabases) but 127.0.0.1:5432 is not reachable");
      }
      System.out.println("SKIPPED: needs the PostgreSQL server on 127.0.0.1:5432");
      Assumptions.abort("no PostgreSQL server on 127.0.0.1:5432");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
    ds.setUser("postgres");
    return ds;
  }

  private static boolean reachable(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void dropTables(PGSimpleDataSource ds, String prefix) throws Exception {
    try (var c = ds.getConnection(); var s = c.createStatement()) {
      for (String t : List.of("credentials", "vaults", "keyset", "schema_history")) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t + " CASCADE");
      }
    }
  }
}
