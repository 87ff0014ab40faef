package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.spi.TokenRefresher;
import dev.vaultengine.spi.VaultStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of OAuth refresh, timed by a settable clock: when a resolve refreshes, one
 * request per expiry across threads and engines, rotation stored, failures backed off, scoped
 * invalidation. The refresher here is the engine's SPI answering as a token endpoint would; the
 * protocol itself is tested against real servers in vault-engine-oauth.
 */
class RefreshCoordinationTest {
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  private static final String URL = "https://mcp.example.com/mcp";

  private final MutableClock clock = new MutableClock(T0);
  private final KeyEncryptionKey kek = TestKeys.randomKek();
  private final VaultStore store = new InMemoryVaultStore();
  private final List<VaultEngine> engines = new ArrayList<>();

  /** What the refresher was asked, in order: the refresh tokens it was given. */
  private final List<String> sentRefreshTokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();

  @AfterEach
  void close() {
    engines.forEach(VaultEngine::close);
  }

  private VaultEngine engine(TokenRefresher refresher) {
    VaultEngine.Builder b = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).clock(clock).refreshLease(Duration.ofSeconds(2))
        .refreshWait(Duration.ofSeconds(10));
    if (refresher != null) {
      b.tokenRefresher(refresher);
    }
    VaultEngine e = b.build();
    engines.add(e);
    return e;
  }

  /** A refresher that records the refresh token and answers with {@code answer}. */
  private TokenRefresher recording(Function<Integer, RefreshOutcome> answer, long sleepMillis) {
    return grant -> {
      sentRefreshTokens.add(grant.refreshToken().reveal());
      int n = counter.incrementAndGet();
      if (sleepMillis > 0) {
        try {
          Thread.sleep(sleepMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return answer.apply(n);
    };
  }

  private static RefreshOutcome rotated(int n) {
    return new RefreshOutcome.Refreshed(Secret.of("access-" + n),
        Optional.of(Duration.ofHours(1)), Optional.of(Secret.of("refresh-" + n)));
  }

  private static CreatedVault oauthVault(VaultService vaults, Instant expiresAt) {
    return vaults.createVault(CreateVaultRequest.builder().displayName("oauth")
        .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
            .mcpServerUrl(URL).protocol(Protocol.STREAMABLE_HTTP).accessToken("access-0")
            .expiresAt(expiresAt)
            .refresh(new OAuthRefreshRequest("https://auth.example.com/token", "client-1",
                "read", null, Secret.of("refresh-0"),
                TokenEndpointAuth.basic(Secret.of("client-secret-1"))))
            .build())
        .build());
  }

  /**
   * A vault whose credential is due: stored 30 s before its expiry, so due at half its life (the
   * 60 s window is longer than half of 30 s), and the clock moved past that.
   */
  private CreatedVault dueOAuthVault(VaultService vaults) {
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(30));
    clock.advance(Duration.ofSeconds(16));
    return v;
  }

  @Test
  void withoutARefresherTheStoredTokenIsServedAndExplainSaysSo() {
    VaultService vaults = engine(null).forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    ResolvedCredential r = s.resolve(URL).orElseThrow();
    assertTrue(r.accessToken().sameAs(Secret.of("access-0")));
    assertEquals(Optional.of(RefreshProblem.NO_REFRESHER), r.refreshProblem());
    assertEquals(Optional.of(RefreshProblem.NO_REFRESHER), s.explain(URL).refreshProblem());
    assertTrue(s.explain(URL).describe().contains("no token refresher"));
    CredentialValidation check =
        vaults.validateCredential(v.vault().id(), v.credentials().get(0).id());
    assertEquals(CredentialValidation.RefreshStatus.NOT_CONFIGURED, check.refresh());
  }

  @Test
  void aDueTokenIsRefreshedFirstAndARotatedRefreshTokenIsNeverSentAgain() {
    VaultService vaults = engine(recording(RefreshCoordinationTest::rotated, 0)).forAccount("acct");
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(3600));
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-0")),
        "not yet within the 60 s window");
    assertEquals(0, counter.get());

    clock.advance(Duration.ofSeconds(3600 - 59)); // inside the window
    ResolvedCredential r = s.resolve(URL).orElseThrow();
    assertTrue(r.accessToken().sameAs(Secret.of("access-1")));
    assertEquals(Optional.empty(), r.refreshProblem());
    assertEquals(clock.peek().plus(Duration.ofHours(1)), r.expiresAt().orElseThrow());
    assertEquals(1, counter.get());
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-1")));
    assertEquals(1, counter.get(), "fresh again: no second request");

    clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-2")));
    assertEquals(List.of("refresh-0", "refresh-1"), sentRefreshTokens,
        "each refresh token is sent once; the rotated one replaced it");
  }

  /**
   * A resolve whose thread is interrupted while the token endpoint answers (a Reactor task
   * disposed when an MCP request timed out) still stores what the endpoint sent: the server has
   * rotated the refresh token, and a store whose pool or driver honours the interrupt (here, one
   * that refuses every write on an interrupted thread) would otherwise lose the new grant. The
   * interrupt is kept for the caller.
   */
  @Test
  void aRefreshAnsweredToAnInterruptedThreadIsStoredAndTheInterruptKept() {
    VaultStore refusesWhenInterrupted = new ForwardingStore(new NonClosingStore(store)) {
      @Override
      protected void before(String method, boolean write) {
        if (write && Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("interrupted while waiting for a connection");
        }
      }
    };
    TokenRefresher interruptedMeanwhile = grant -> {
      RefreshOutcome answer = recording(RefreshCoordinationTest::rotated, 0).refresh(grant);
      Thread.currentThread().interrupt();
      return answer;
    };
    VaultEngine e = VaultEngine.builder().store(refusesWhenInterrupted).keyEncryptionKey(kek)
        .clock(clock).refreshLease(Duration.ofSeconds(2)).tokenRefresher(interruptedMeanwhile)
        .build();
    engines.add(e);
    VaultService vaults = e.forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    try {
      ResolvedCredential r = s.resolve(URL).orElseThrow();
      assertTrue(r.accessToken().sameAs(Secret.of("access-1")));
      assertEquals(Optional.empty(), r.refreshProblem());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    try {
      assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-2")));
    } finally {
      Thread.interrupted();
    }
    assertEquals(List.of("refresh-0", "refresh-1"), sentRefreshTokens,
        "the rotated refresh token was stored, and only it was sent next");
  }

  @Test
  void sixteenThreadsMakeOneRequest() throws Exception {
    VaultService vaults =
        engine(recording(RefreshCoordinationTest::rotated, 300)).forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ResolvedCredential>> all = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        all.add(pool.submit(() -> {
          go.await();
          return s.resolve(URL).orElseThrow();
        }));
      }
      go.countDown();
      for (Future<ResolvedCredential> f : all) {
        assertTrue(f.get().accessToken().sameAs(Secret.of("access-1")));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, counter.get());
  }

  @Test
  void twoEnginesOnOneStoreMakeOneRequest() throws Exception {
    TokenRefresher slow = recording(RefreshCoordinationTest::rotated, 500);
    VaultService a = engine(slow).forAccount("acct");
    VaultService b = engine(slow).forAccount("acct");
    CreatedVault v = dueOAuthVault(a);
    VaultSession sa = a.openSession(List.of(v.vault().id()));
    VaultSession sb = b.openSession(List.of(v.vault().id()));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ResolvedCredential> fa = pool.submit(() -> sa.resolve(URL).orElseThrow());
      Future<ResolvedCredential> fb = pool.submit(() -> sb.resolve(URL).orElseThrow());
      assertTrue(fa.get().accessToken().sameAs(Secret.of("access-1")));
      assertTrue(fb.get().accessToken().sameAs(Secret.of("access-1")));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, counter.get());
  }

  @Test
  void transientFailuresBackOffHoweverManyResolvesComeIn() {
    VaultService vaults = engine(recording(n -> new RefreshOutcome.Unavailable(
        RefreshOutcome.Reason.SERVER_ERROR, 503, Optional.empty()), 0)).forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    for (int i = 0; i < 100; i++) {
      ResolvedCredential r = s.resolve(URL).orElseThrow();
      assertTrue(r.accessToken().sameAs(Secret.of("access-0")), "the stored token is served");
      assertEquals(Optional.of(RefreshProblem.TEMPORARILY_UNAVAILABLE), r.refreshProblem());
    }
    assertEquals(1, counter.get());
    // 1 s, 2 s, 4 s, ...: one request per backoff step.
    for (int step = 0; step < 5; step++) {
      clock.advance(Duration.ofSeconds(1L << step).plusMillis(1));
      for (int i = 0; i < 20; i++) {
        s.resolve(URL);
      }
      assertEquals(step + 2, counter.get(), "after backoff step " + step);
    }
  }

  @Test
  void retryAfterIsHonoured() {
    VaultService vaults = engine(recording(n -> new RefreshOutcome.Unavailable(
        RefreshOutcome.Reason.RATE_LIMITED, 429, Optional.of(Duration.ofSeconds(120))), 0))
        .forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    s.resolve(URL);
    clock.advance(Duration.ofSeconds(119));
    s.resolve(URL);
    assertEquals(1, counter.get());
    clock.advance(Duration.ofSeconds(2));
    s.resolve(URL);
    assertEquals(2, counter.get());
  }

  @Test
  void aRefusedGrantIsNotRetriedUntilTheCredentialChangesOrValidateAsks() {
    VaultService vaults = engine(recording(
        n -> new RefreshOutcome.Rejected(400, "invalid_grant"), 0)).forAccount("acct");
    CreatedVault v = dueOAuthVault(vaults);
    String id = v.credentials().get(0).id();
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    assertEquals(Optional.of(RefreshProblem.GRANT_REVOKED),
        s.resolve(URL).orElseThrow().refreshProblem());
    clock.advance(Duration.ofHours(3));
    ResolvedCredential expired = s.resolve(URL).orElseThrow();
    assertTrue(expired.isExpiredAt(clock.peek()));
    assertEquals(Optional.of(RefreshProblem.GRANT_REVOKED), expired.refreshProblem());
    assertEquals(Optional.of(RefreshProblem.GRANT_REVOKED), s.explain(URL).refreshProblem());
    assertEquals(1, counter.get());
    CredentialValidation check = vaults.validateCredential(v.vault().id(), id);
    assertEquals(CredentialValidation.Status.INVALID, check.status());
    assertEquals(CredentialValidation.RefreshStatus.FAILED, check.refresh());
    assertEquals(Optional.of("invalid_grant (HTTP 400)"), check.detail());
    assertEquals(2, counter.get());
  }

  @Test
  void aRefreshLeavesOtherSessionsWarm() {
    RecordingStore recording = new RecordingStore(new NonClosingStore(store));
    VaultEngine e = VaultEngine.builder().store(recording).keyEncryptionKey(kek).clock(clock)
        .tokenRefresher(recording(RefreshCoordinationTest::rotated, 0)).build();
    engines.add(e);
    VaultService vaults = e.forAccount("acct");
    CreatedVault oauth = dueOAuthVault(vaults);
    CreatedVault other = vaults.createVault(CreateVaultRequest.builder().displayName("static")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://other.example/")
            .protocol(Protocol.SSE).accessToken("static-token").build())
        .build());
    VaultSession warm = vaults.openSession(List.of(other.vault().id()));
    warm.resolve("https://other.example/");
    warm.resolve("https://nothing.example/"); // an answer without a credential stays warm too
    VaultSession refreshing = vaults.openSession(List.of(oauth.vault().id()));
    long before = store.changeCount();
    refreshing.resolve(URL); // refreshes: the store changes
    assertNotEquals(before, store.changeCount());
    assertEquals(1, counter.get());
    long reads = recording.reads();
    assertTrue(warm.resolve("https://other.example/").orElseThrow().accessToken()
        .sameAs(Secret.of("static-token")));
    assertTrue(warm.resolve("https://nothing.example/").isEmpty());
    assertEquals(reads, recording.reads(), "the other session answered without a store read");

    // Any other write (here a new vault) sends it back to the store once.
    vaults.createVault(CreateVaultRequest.builder().displayName("x").addCredential(
        CreateCredentialRequest.builder().mcpServerUrl("https://x.example/")
            .protocol(Protocol.SSE).accessToken("x-token").build()).build());
    reads = recording.reads();
    warm.resolve("https://other.example/");
    assertEquals(reads + 1, recording.reads());
  }

  @Test
  void aRejectedTokenIsRefreshedOnceHoweverManyRequestsSawIt() {
    VaultService vaults = engine(recording(RefreshCoordinationTest::rotated, 0)).forAccount("acct");
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(3600));
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    ResolvedCredential served = s.resolve(URL).orElseThrow();
    assertEquals(0, counter.get(), "not due");
    assertTrue(s.resolveAfterRejection(URL, served).orElseThrow().accessToken()
        .sameAs(Secret.of("access-0")), "within 10 s of its last change: no refresh");
    assertEquals(0, counter.get());
    clock.advance(Duration.ofSeconds(11));
    ResolvedCredential retry = s.resolveAfterRejection(URL, served).orElseThrow();
    assertTrue(retry.accessToken().sameAs(Secret.of("access-1")));
    assertEquals(1, counter.get());
    // Other requests that were refused with the same old token: no second refresh.
    for (int i = 0; i < 5; i++) {
      assertTrue(s.resolveAfterRejection(URL, served).orElseThrow().accessToken()
          .sameAs(Secret.of("access-1")));
    }
    assertEquals(1, counter.get());
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-1")));
  }

  @Test
  void aRejectionDoesNotBypassTheBackoff() {
    VaultService vaults = engine(recording(n -> new RefreshOutcome.Unavailable(
        RefreshOutcome.Reason.TIMEOUT, 0, Optional.empty()), 0)).forAccount("acct");
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(3600));
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    ResolvedCredential served = s.resolve(URL).orElseThrow();
    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 10; i++) {
      ResolvedCredential r = s.resolveAfterRejection(URL, served).orElseThrow();
      assertEquals(Optional.of(RefreshProblem.TEMPORARILY_UNAVAILABLE), r.refreshProblem());
    }
    assertEquals(1, counter.get());
  }

  @Test
  void withTheSystemClockARememberedAnswerStillComesDueOnTime() throws Exception {
    VaultEngine e = VaultEngine.builder().store(new InMemoryVaultStore()).keyEncryptionKey(kek)
        .tokenRefresher(recording(RefreshCoordinationTest::rotated, 0)).build();
    engines.add(e);
    VaultService vaults = e.forAccount("acct");
    // Due in about 1.2 s: expires 2.4 s from now, refreshed at half its life.
    CreatedVault v = oauthVault(vaults, Instant.now().plusMillis(2_400));
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    for (int i = 0; i < 1000; i++) {
      assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-0")));
    }
    assertEquals(0, counter.get(), "remembered answers, not due");
    Thread.sleep(1_500);
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-1")),
        "the remembered answer came due without any write to the store");
    assertEquals(1, counter.get());
  }

  @Test
  void aForeignWriteDuringARefreshIsNeverTakenForOurs() {
    java.util.concurrent.atomic.AtomicReference<Runnable> duringLease =
        new java.util.concurrent.atomic.AtomicReference<>();
    ForwardingStore hooked = new ForwardingStore(new NonClosingStore(store)) {
      @Override
      protected void before(String method, boolean write) {
        if (method.equals("tryLeaseRefresh")) {
          Runnable r = duringLease.getAndSet(null);
          if (r != null) {
            r.run();
          }
        }
      }
    };
    VaultEngine e = VaultEngine.builder().store(hooked).keyEncryptionKey(kek).clock(clock)
        .tokenRefresher(recording(RefreshCoordinationTest::rotated, 0)).build();
    engines.add(e);
    VaultService vaults = e.forAccount("acct");
    CreatedVault other = vaults.createVault(CreateVaultRequest.builder().displayName("static")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://other.example/")
            .protocol(Protocol.SSE).accessToken("static-token").build())
        .build());
    CreatedVault oauth = dueOAuthVault(vaults);
    VaultSession warm = vaults.openSession(List.of(other.vault().id()));
    assertTrue(warm.resolve("https://other.example/").isPresent());
    // Another process archives the other credential while this engine takes its lease.
    duringLease.set(() -> store.archiveCredential("acct", other.vault().id(),
        other.credentials().get(0).id(), T0.plusSeconds(1), dev.vaultengine.spi.Journal.NONE));
    vaults.openSession(List.of(oauth.vault().id())).resolve(URL);
    assertEquals(1, counter.get());
    assertTrue(warm.resolve("https://other.example/").isEmpty(),
        "the archive by another writer is seen: it was not taken for this engine's own write");
  }

  @Test
  void aCredentialArchivedDuringItsRefreshIsNeverServed() {
    VaultService[] service = new VaultService[1];
    String[] ids = new String[2];
    VaultService vaults = engine(grant -> {
      counter.incrementAndGet();
      service[0].archiveCredential(ids[0], ids[1]); // archived while the request is out
      return rotated(1);
    }).forAccount("acct");
    service[0] = vaults;
    CreatedVault v = dueOAuthVault(vaults);
    ids[0] = v.vault().id();
    ids[1] = v.credentials().get(0).id();
    assertEquals(Optional.empty(), vaults.openSession(List.of(v.vault().id())).resolve(URL));
    assertEquals(1, counter.get());
  }

  @Test
  void aShortLivedTokenIsRefreshedAtHalfItsLifeNotAtEveryResolve() {
    VaultService vaults = engine(recording(n -> new RefreshOutcome.Refreshed(
        Secret.of("access-" + n), Optional.of(Duration.ofSeconds(20)), Optional.empty()), 0))
        .forAccount("acct");
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(20));
    VaultSession s = vaults.openSession(List.of(v.vault().id()));
    s.resolve(URL); // created 20 s before expiry: due at half its life, after 10 s
    assertEquals(0, counter.get());
    clock.advance(Duration.ofSeconds(11));
    assertTrue(s.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("access-1")));
    for (int i = 0; i < 10; i++) {
      s.resolve(URL);
    }
    assertEquals(1, counter.get(), "a 20 s token is not due the moment it is stored");
    clock.advance(Duration.ofSeconds(11));
    s.resolve(URL);
    assertEquals(2, counter.get());
  }

  @Test
  void rotationForgetsTheOldTokensExpiry() {
    VaultService vaults = engine(null).forAccount("acct");
    CreatedVault v = oauthVault(vaults, T0.plusSeconds(3600));
    var rotated = vaults.rotateCredential(v.vault().id(), v.credentials().get(0).id(),
        Secret.of("access-new"));
    assertEquals(Optional.empty(),
        ((dev.vaultengine.CredentialKind.McpOAuth) rotated.kind()).expiresAt());
    assertTrue(((dev.vaultengine.CredentialKind.McpOAuth) rotated.kind()).refresh().isPresent(),
        "the refresh grant is carried over");
  }

  @Test
  void aNewRefreshTokenEndsAnotherHostsHoldAtOnce() {
    java.util.concurrent.atomic.AtomicBoolean revoked = new java.util.concurrent.atomic.AtomicBoolean(true);
    TokenRefresher endpoint = recording(n -> revoked.get()
        ? new RefreshOutcome.Rejected(400, "invalid_grant") : rotated(n), 0);
    VaultService a = engine(endpoint).forAccount("acct");
    VaultService b = engine(endpoint).forAccount("acct");
    CreatedVault v = dueOAuthVault(a);
    assertEquals(Optional.of(RefreshProblem.GRANT_REVOKED),
        a.openSession(List.of(v.vault().id())).resolve(URL).orElseThrow().refreshProblem());
    VaultSession onB = b.openSession(List.of(v.vault().id()));
    assertEquals(Optional.of(RefreshProblem.TEMPORARILY_UNAVAILABLE),
        onB.resolve(URL).orElseThrow().refreshProblem(), "host a holds the lease for an hour");
    assertEquals(1, counter.get());
    // The user authorizes again: a new refresh token, given through host b.
    revoked.set(false);
    b.updateCredential(v.vault().id(), v.credentials().get(0).id(),
        dev.vaultengine.UpdateCredentialRequest.builder(CredentialType.MCP_OAUTH)
            .refresh(dev.vaultengine.RefreshPatch.empty().withRefreshToken(
                Secret.of("refresh-new"))).build());
    // Due again: the update made its life 14 s (stored at T0+16, expiring at T0+30), so at half.
    clock.advance(Duration.ofSeconds(8));
    ResolvedCredential r = onB.resolve(URL).orElseThrow();
    assertEquals(Optional.empty(), r.refreshProblem(), "the hold ended with the new grant");
    assertTrue(r.accessToken().sameAs(Secret.of("access-2")));
    assertEquals(List.of("refresh-0", "refresh-new"), sentRefreshTokens);
  }
}
