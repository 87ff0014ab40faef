package dev.vaultengine.mcp;

import static dev.vaultengine.mcp.fixture.LoopbackMcpServer.fingerprint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.CredentialType;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.mcp.fixture.LoopbackMcpServer;
import dev.vaultengine.mcp.fixture.LoopbackMcpServer.Seen;
import dev.vaultengine.mcp.fixture.LoopbackTokenEndpoint;
import dev.vaultengine.mcp.fixture.TestLogging;
import dev.vaultengine.mcp.fixture.Tokens;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.oauth.NimbusTokenRefresher;
import dev.vaultengine.testkit.MutableClock;
import dev.vaultengine.testkit.SecretLeakGuard;
import dev.vaultengine.testkit.TestKeys;
import dev.vaultengine.testkit.VaultEngineExtension;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * The official MCP Java SDK client, streamable HTTP and SSE, with {@link VaultMcpAuth}, against a
 * real MCP server on loopback that demands a bearer token ({@link LoopbackMcpServer}). Every token
 * is watched by the leak guard over the SDK's, Tomcat's and the engine's logs at FINE.
 */
@ExtendWith(VaultEngineExtension.class)
class McpSdkIntegrationTest {
  private static final SecretLeakGuard GUARD = new SecretLeakGuard(false);
  private static final Tokens TOKENS = new Tokens(GUARD);
  private static LoopbackMcpServer server;
  private static LoopbackMcpServer other;

  /** The SDK's warnings, where its SSE transport reports what the server answered. */
  private static final List<LogRecord> SDK_WARNINGS = new CopyOnWriteArrayList<>();
  /** How many debug records the SDK logged: the guard reads those too. */
  private static final AtomicInteger SDK_DEBUG_RECORDS = new AtomicInteger();
  private static final Logger SDK_LOGGER = Logger.getLogger("io.modelcontextprotocol");
  private static final Handler SDK_HANDLER = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        SDK_WARNINGS.add(record);
      } else if (record.getLevel().intValue() <= Level.FINE.intValue()) {
        SDK_DEBUG_RECORDS.incrementAndGet();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private final List<McpSyncClient> clients = new ArrayList<>();

  /** A transport and how its customizer runs. */
  enum Mode {
    STREAMABLE_SYNC(true, false),
    STREAMABLE_ASYNC(true, true),
    SSE_SYNC(false, false),
    SSE_ASYNC(false, true);

    final boolean streamable;
    final boolean async;

    Mode(boolean streamable, boolean async) {
      this.streamable = streamable;
      this.async = async;
    }

    String url(LoopbackMcpServer s) {
      return streamable ? s.streamableUrl() : s.sseUrl();
    }

    Protocol protocol() {
      return streamable ? Protocol.STREAMABLE_HTTP : Protocol.SSE;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    TestLogging.verbose();
    SDK_LOGGER.addHandler(SDK_HANDLER);
    GUARD.start();
    server = LoopbackMcpServer.start();
    other = LoopbackMcpServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      server.close();
      other.close();
    } finally {
      GUARD.stop();
      SDK_LOGGER.removeHandler(SDK_HANDLER);
    }
    assertTrue(GUARD.watched() > 10, "the guard watched the tests' tokens");
    assertTrue(SDK_DEBUG_RECORDS.get() > 0, "the SDK's debug logging reached java.util.logging");
    assertEquals(List.of(), GUARD.leaks(), "no token in the client's or server's logs");
  }

  @BeforeEach
  void clear() {
    server.clearRequests();
    other.clearRequests();
    server.accept();
    other.accept();
  }

  @AfterEach
  void closeClients() {
    for (McpSyncClient c : clients) {
      try {
        c.closeGracefully(); // waits for the streamable transport's DELETE
        c.close();
      } catch (RuntimeException e) {
        GUARD.record(e);
      }
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static CreatedVault vault(VaultService vaults, String url, Protocol protocol,
      String token) {
    return vaults.createVault(CreateVaultRequest.builder().displayName("mcp")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url).protocol(protocol)
            .accessToken(Secret.of(token)).build())
        .build());
  }

  private static VaultSession session(VaultService vaults, CreatedVault... created) {
    List<String> ids = new ArrayList<>();
    for (CreatedVault c : created) {
      ids.add(c.vault().id());
    }
    return vaults.openSession(ids);
  }

  @SuppressWarnings("deprecation") // the SSE transport is deprecated in SDK 2.1.0; still tested
  private McpClientTransport transport(Mode mode, LoopbackMcpServer s, VaultMcpAuth auth) {
    if (mode.streamable) {
      HttpClientStreamableHttpTransport.Builder b = HttpClientStreamableHttpTransport
          .builder(s.origin()).endpoint("/mcp")
          .authorizationErrorHandler(auth.authorizationErrorHandler());
      return (mode.async ? b.addAsyncHttpRequestCustomizer(auth.asyncRequestCustomizer())
          : b.addHttpRequestCustomizer(auth.requestCustomizer())).build();
    }
    HttpClientSseClientTransport.Builder b = HttpClientSseClientTransport.builder(s.origin())
        .sseEndpoint("/sse");
    return (mode.async ? b.addAsyncHttpRequestCustomizer(auth.asyncRequestCustomizer())
        : b.addHttpRequestCustomizer(auth.requestCustomizer())).build();
  }

  private McpSyncClient client(McpClientTransport transport,
      Supplier<McpTransportContext> context, Duration initializationTimeout) {
    McpClient.SyncSpec spec = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(10))
        .initializationTimeout(initializationTimeout);
    if (context != null) {
      spec.transportContextProvider(context);
    }
    McpSyncClient client = spec.build();
    clients.add(client);
    return client;
  }

  private McpSyncClient client(Mode mode, LoopbackMcpServer s, VaultMcpAuth auth) {
    return client(transport(mode, s, auth), null, Duration.ofSeconds(10));
  }

  /** Calls the tool and returns the fingerprint of the token the server saw with the call. */
  private static String whoami(McpSyncClient client) {
    McpSchema.CallToolResult result = client.callTool(
        McpSchema.CallToolRequest.builder(LoopbackMcpServer.TOOL).arguments(Map.of())
            .build());
    GUARD.record(result);
    assertFalse(Boolean.TRUE.equals(result.isError()), String.valueOf(result));
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static Set<String> tokensSeen(LoopbackMcpServer s) {
    return s.requests().stream().map(r -> String.valueOf(r.token())).collect(Collectors.toSet());
  }

  private static boolean hasStatus401(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof McpHttpClientTransportAuthorizationException a
          && a.getResponseInfo().statusCode() == 401) {
        return true;
      }
      if (String.valueOf(c.getMessage()).contains("401")) {
        return true;
      }
    }
    return false;
  }

  // -------------------------------------------------------------------------------------- tests

  @ParameterizedTest
  @EnumSource(Mode.class)
  void initializeAndAToolCallCarryTheSessionsToken(Mode mode, VaultService vaults) {
    String token = TOKENS.next("mcp-a");
    String url = mode.url(server);
    VaultSession session = session(vaults, vault(vaults, url, mode.protocol(), token));
    server.accept(token);

    McpSyncClient client = client(mode, server, VaultMcpAuth.forServer(url, session));
    McpSchema.InitializeResult init = client.initialize();
    assertNotNull(init.serverInfo());
    assertEquals(fingerprint(token), whoami(client));

    assertFalse(server.requests().isEmpty());
    for (Seen r : server.requests()) {
      assertEquals(fingerprint(token), r.token(), r.toString());
      assertTrue(r.accepted(), r.toString());
    }
    assertEquals(List.of(), other.requests());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutACredentialForTheUrlTheClientGetsTheServers401AndNothingGoesElsewhere(Mode mode,
      VaultService vaults) {
    String otherToken = TOKENS.next("mcp-other");
    // The session holds a credential, for the other server only.
    VaultSession session = session(vaults,
        vault(vaults, mode.url(other), mode.protocol(), otherToken));
    server.accept(TOKENS.next("mcp-unused"));
    other.accept(otherToken);

    McpSyncClient client = client(transport(mode, server,
        VaultMcpAuth.forServer(mode.url(server), session)), null, Duration.ofSeconds(3));
    SDK_WARNINGS.clear();
    RuntimeException e = assertThrows(RuntimeException.class, client::initialize);
    GUARD.record(e);
    if (mode.streamable) {
      assertTrue(hasStatus401(e), "the server's 401 reaches the caller: " + e);
    } else {
      // SDK 2.1.0's SSE transport logs the 401 of its stream and the caller's initialize then
      // times out with a generic error.
      assertTrue(SDK_WARNINGS.stream().anyMatch(r -> r.getThrown() != null
          && hasStatus401(r.getThrown())), "the SDK saw the server's 401");
    }

    assertFalse(server.requests().isEmpty());
    for (Seen r : server.requests()) {
      assertNull(r.token(), "no token at the server without a credential: " + r);
      assertFalse(r.accepted());
    }
    assertEquals(List.of(), other.requests(), "nothing was sent to the other server");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRotationBetweenTwoCallsIsCarriedByTheNextRequestWithoutReconnecting(Mode mode,
      VaultService vaults) {
    String first = TOKENS.next("mcp-first");
    String second = TOKENS.next("mcp-second");
    String url = mode.url(server);
    CreatedVault vault = vault(vaults, url, mode.protocol(), first);
    VaultSession session = session(vaults, vault);
    server.accept(first);
    McpSyncClient client = client(mode, server, VaultMcpAuth.forServer(url, session));
    client.initialize();
    assertEquals(fingerprint(first), whoami(client));
    int before = settled(server);

    vaults.rotateCredential(vault.vault().id(), vault.credentials().get(0).id(),
        Secret.of(second));
    server.accept(second); // the old token is refused from now on
    assertEquals(fingerprint(second), whoami(client));

    List<Seen> after = server.requests().subList(before, server.requests().size());
    assertFalse(after.isEmpty());
    for (Seen r : after) {
      assertEquals(fingerprint(second), r.token(), r.toString());
      assertTrue(r.accepted(), r.toString());
    }
    assertNoReconnect(mode);
  }

  /** One MCP session: one initialize (streamable) or one SSE stream (SSE), one session id. */
  private static void assertNoReconnect(Mode mode) {
    List<Seen> all = server.requests();
    if (mode.streamable) {
      List<Seen> withoutSession = all.stream().filter(r -> r.mcpSessionId() == null).toList();
      assertEquals(1, withoutSession.size(), "one initialize: " + all);
      assertEquals(1, all.stream().map(Seen::mcpSessionId).filter(java.util.Objects::nonNull)
          .distinct().count(), "one MCP session: " + all);
    } else {
      assertEquals(1, all.stream().filter(r -> r.method().equals("GET")).count(),
          "one SSE stream: " + all);
      assertEquals(1, all.stream().filter(r -> r.method().equals("POST")).map(Seen::query)
          .distinct().count(), "one message endpoint: " + all);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anArchiveBetweenTwoCallsLeavesTheNextRequestWithoutAToken(Mode mode, VaultService vaults) {
    String token = TOKENS.next("mcp-archived");
    String url = mode.url(server);
    CreatedVault vault = vault(vaults, url, mode.protocol(), token);
    VaultSession session = session(vaults, vault);
    server.accept(token);
    McpSyncClient client = client(mode, server, VaultMcpAuth.forServer(url, session));
    client.initialize();
    assertEquals(fingerprint(token), whoami(client));
    int before = settled(server);

    vaults.archiveCredential(vault.vault().id(), vault.credentials().get(0).id());
    RuntimeException e = assertThrows(RuntimeException.class, () -> whoami(client));
    GUARD.record(e);
    assertTrue(hasStatus401(e), e.toString());

    List<Seen> after = server.requests().subList(before, server.requests().size());
    assertFalse(after.isEmpty());
    for (Seen r : after) {
      assertNull(r.token(), "no token after the archive: " + r);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"STREAMABLE_SYNC", "SSE_SYNC"})
  void twoServersWithCredentialsInTwoVaultsOfOneSessionEachSeeOnlyTheirOwnToken(Mode mode,
      VaultService vaults) {
    String tokenA = TOKENS.next("mcp-server-a");
    String tokenB = TOKENS.next("mcp-server-b");
    VaultSession session = session(vaults,
        vault(vaults, mode.url(server), mode.protocol(), tokenA),
        vault(vaults, mode.url(other), mode.protocol(), tokenB));
    server.accept(tokenA);
    other.accept(tokenB);
    McpSyncClient a = client(mode, server, VaultMcpAuth.forServer(mode.url(server), session));
    McpSyncClient b = client(mode, other, VaultMcpAuth.forServer(mode.url(other), session));
    a.initialize();
    b.initialize();
    for (int i = 0; i < 3; i++) {
      assertEquals(fingerprint(tokenA), whoami(a));
      assertEquals(fingerprint(tokenB), whoami(b));
    }
    assertEquals(Set.of(fingerprint(tokenA)), tokensSeen(server), "server A saw only its token");
    assertEquals(Set.of(fingerprint(tokenB)), tokensSeen(other), "server B saw only its token");
    assertTrue(server.requests().stream().allMatch(Seen::accepted));
    assertTrue(other.requests().stream().allMatch(Seen::accepted));
  }

  @Test
  void anAccessTokenTheServerExpiredIsRefreshedOnceAndTheCallRetried() throws Exception {
    String first = TOKENS.next("mcp-oauth-first");
    String refreshed = TOKENS.next("mcp-oauth-refreshed");
    String refreshToken = TOKENS.next("refresh");
    MutableClock clock = new MutableClock(Instant.now());
    try (LoopbackTokenEndpoint oauth = LoopbackTokenEndpoint.start();
        VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
            .keyEncryptionKey(TestKeys.randomKek()).clock(clock)
            .tokenRefresher(NimbusTokenRefresher.builder().build()).build()) {
      oauth.expect("loopback-client", refreshToken);
      oauth.issueNext(refreshed);
      VaultService vaults = engine.forAccount("acme");
      String url = server.streamableUrl();
      CreatedVault vault = vaults.createVault(CreateVaultRequest.builder().displayName("oauth")
          .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl(url).protocol(Protocol.STREAMABLE_HTTP)
              .accessToken(Secret.of(first))
              // Far from expiry: no proactive refresh, the server's 401 is what triggers it.
              .expiresAt(clock.instant().plus(Duration.ofHours(1)))
              .refresh(new OAuthRefreshRequest(oauth.url(), "loopback-client", null, null,
                  Secret.of(refreshToken), TokenEndpointAuth.none()))
              .build())
          .build());
      VaultSession session = vaults.openSession(List.of(vault.vault().id()));
      server.accept(first);
      McpSyncClient client = client(Mode.STREAMABLE_SYNC, server,
          VaultMcpAuth.forServer(url, session));
      client.initialize();
      assertEquals(fingerprint(first), whoami(client));
      assertEquals(0, oauth.requests());
      int before = settled(server);

      // The token has been in use a while (the engine refreshes after a rejection only 10 s or
      // more after the credential last changed), and the server has expired it.
      clock.advance(Duration.ofMinutes(5));
      server.accept(refreshed);
      assertEquals(fingerprint(refreshed), whoami(client));

      assertEquals(1, oauth.requests(), "one token request at the OAuth server");
      List<Seen> after = server.requests().subList(before, server.requests().size());
      assertEquals(2, after.size(), "the call, refused, then its one retry: " + after);
      assertEquals(fingerprint(first), after.get(0).token());
      assertFalse(after.get(0).accepted());
      assertEquals(fingerprint(refreshed), after.get(1).token());
      assertTrue(after.get(1).accepted());
      assertEquals(after.get(0).mcpSessionId(), after.get(1).mcpSessionId(), "no reconnect");

      // A later call carries the refreshed token at once, and the endpoint is not asked again.
      assertEquals(fingerprint(refreshed), whoami(client));
      assertEquals(1, oauth.requests());

      // A server that refuses the fresh token too gets no token request per MCP request: the
      // call fails with its 401, without a retry.
      int beforeRefusal = settled(server);
      server.accept();
      oauth.issueNext(TOKENS.next("mcp-oauth-never-issued"));
      RuntimeException e = assertThrows(RuntimeException.class, () -> whoami(client));
      GUARD.record(e);
      assertTrue(hasStatus401(e), e.toString());
      assertEquals(1, oauth.requests(), "no second token request right after a refresh");
      assertEquals(1, settled(server) - beforeRefusal, "no retry with the same token");
    }
  }

  @Test
  void aRefusedTokenThatTheSessionCannotReplaceIsNotRetried(VaultService vaults) {
    String token = TOKENS.next("mcp-static");
    String url = server.streamableUrl();
    VaultSession session = session(vaults, vault(vaults, url, Protocol.STREAMABLE_HTTP, token));
    server.accept(token);
    McpSyncClient client = client(Mode.STREAMABLE_SYNC, server,
        VaultMcpAuth.forServer(url, session));
    client.initialize();
    int before = settled(server);
    server.accept(); // revoked at the server; a static_bearer credential has nothing newer
    RuntimeException e = assertThrows(RuntimeException.class, () -> whoami(client));
    GUARD.record(e);
    assertTrue(hasStatus401(e), e.toString());
    assertEquals(1, settled(server) - before, "no retry with the same token");
  }

  @Test
  @SuppressWarnings("deprecation") // the SSE transport
  void aMessageEndpointOnAnotherOriginGetsNoCredential(VaultService vaults) throws Exception {
    String token = TOKENS.next("mcp-sse-origin");
    try (LoopbackMcpServer elsewhere = LoopbackMcpServer.startWithMessagesAt(other.origin())) {
      String url = elsewhere.sseUrl();
      VaultSession session = session(vaults, vault(vaults, url, Protocol.SSE, token));
      elsewhere.accept(token);
      other.accept(token); // even a server that would take it never gets it
      VaultMcpAuth auth = VaultMcpAuth.forServer(url, session);

      // The customizers themselves: the message endpoint the server names on another origin
      // gets nothing, one on the server's origin gets the credential.
      URI foreign = URI.create(other.origin() + "/message?sessionId=3f2a");
      URI own = URI.create(elsewhere.origin() + "/message?sessionId=3f2a");
      assertNull(customized(auth, foreign, false));
      assertNull(customized(auth, foreign, true));
      assertEquals("Bearer " + token, customized(auth, own, false));
      assertEquals("Bearer " + token, customized(auth, own, true));

      // Through the SDK, with its message endpoint validator switched off: SDK 2.1.0 still
      // refuses to post to an absolute endpoint outside its base URL, so nothing reaches the
      // other origin at all.
      McpClientTransport transport = HttpClientSseClientTransport.builder(elsewhere.origin())
          .sseEndpoint("/sse")
          .messageEndpointValidator((sseUri, endpoint) -> { })
          .addHttpRequestCustomizer(auth.requestCustomizer())
          .build();
      McpSyncClient client = client(transport, null, Duration.ofSeconds(3));
      RuntimeException e = assertThrows(RuntimeException.class, client::initialize);
      GUARD.record(e);
      assertEquals(Set.of(fingerprint(token)), tokensSeen(elsewhere), "the SSE stream had it");
      assertEquals(List.of(), other.requests());
    }
  }

  /** The Authorization header a customizer sets on a request to {@code uri}, or null. */
  private static String customized(VaultMcpAuth auth, URI uri, boolean async) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    if (async) {
      builder = Mono.from(auth.asyncRequestCustomizer()
          .customize(builder, "POST", uri, "{}", McpTransportContext.EMPTY)).block();
    } else {
      auth.requestCustomizer().customize(builder, "POST", uri, "{}", McpTransportContext.EMPTY);
    }
    return builder.build().headers().firstValue("Authorization").orElse(null);
  }

  @Test
  void aSessionIsChosenPerCallThroughTheTransportContext(VaultService vaults) {
    String tokenX = TOKENS.next("mcp-session-x");
    String tokenY = TOKENS.next("mcp-session-y");
    String url = server.streamableUrl();
    VaultSession x = session(vaults, vault(vaults, url, Protocol.STREAMABLE_HTTP, tokenX));
    VaultSession y = session(vaults, vault(vaults, url, Protocol.STREAMABLE_HTTP, tokenY));
    server.accept(tokenX, tokenY);
    AtomicReference<VaultSession> current = new AtomicReference<>(x);
    VaultMcpAuth auth = VaultMcpAuth.forServer(url); // no default session
    McpSyncClient client = client(transport(Mode.STREAMABLE_SYNC, server, auth),
        () -> VaultMcpAuth.transportContext(current.get()), Duration.ofSeconds(10));
    client.initialize();
    assertEquals(fingerprint(tokenX), whoami(client));
    current.set(y);
    assertEquals(fingerprint(tokenY), whoami(client));
    current.set(x);
    assertEquals(fingerprint(tokenX), whoami(client));
  }

  /**
   * How many requests the server has seen once it has been quiet for 200 ms: a client sends some
   * requests in the background (the initialized notification, the stream it opens for server
   * messages), and a count taken while they arrive would be off by one, in either direction.
   */
  private static int settled(LoopbackMcpServer server) {
    int n = server.requests().size();
    for (int i = 0; i < 25; i++) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int now = server.requests().size();
      if (now == n) {
        return n;
      }
      n = now;
    }
    return n;
  }
}
