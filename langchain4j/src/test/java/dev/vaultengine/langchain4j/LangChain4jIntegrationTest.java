package dev.vaultengine.langchain4j;

import static dev.vaultengine.mcp.fixture.LoopbackMcpServer.fingerprint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LangChain4j's MCP client over {@code StreamableHttpMcpTransport} with {@link VaultMcpHeaders},
 * against a real MCP server on loopback that demands a bearer token. The transport logs every
 * request and response body, and the leak guard watches those logs with LangChain4j's, Tomcat's
 * and the server SDK's at FINE.
 */
@ExtendWith(VaultEngineExtension.class)
class LangChain4jIntegrationTest {
  private static final SecretLeakGuard GUARD = new SecretLeakGuard(false);
  private static final Tokens TOKENS = new Tokens(GUARD);
  private static LoopbackMcpServer server;
  private static LoopbackMcpServer other;

  /** LangChain4j's log records (its traffic log holds every request and response body). */
  private static final AtomicInteger LC4J_RECORDS = new AtomicInteger();
  private static final Logger LC4J_LOGGER = Logger.getLogger("dev.langchain4j");
  private static final Handler LC4J_HANDLER = new Handler() {
    @Override
    public void publish(LogRecord record) {
      LC4J_RECORDS.incrementAndGet();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private final List<McpClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestLogging.verbose();
    LC4J_LOGGER.addHandler(LC4J_HANDLER);
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
      LC4J_LOGGER.removeHandler(LC4J_HANDLER);
    }
    assertTrue(GUARD.watched() > 8, "the guard watched the tests' tokens");
    assertTrue(LC4J_RECORDS.get() > 0, "LangChain4j's logging reached java.util.logging");
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
  void closeClients() throws Exception {
    for (McpClient c : clients) {
      c.close();
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static CreatedVault vault(VaultService vaults, String url, String token) {
    return vaults.createVault(CreateVaultRequest.builder().displayName("lc4j")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
            .protocol(Protocol.STREAMABLE_HTTP).accessToken(Secret.of(token)).build())
        .build());
  }

  private static VaultSession session(VaultService vaults, CreatedVault... created) {
    List<String> ids = new ArrayList<>();
    for (CreatedVault c : created) {
      ids.add(c.vault().id());
    }
    return vaults.openSession(ids);
  }

  private static McpTransport transport(String url, VaultSession session) {
    return VaultMcpHeaders.transport(url, session)
        .timeout(Duration.ofSeconds(10))
        .logRequests(true)
        .logResponses(true)
        .build();
  }

  private McpClient client(McpTransport transport) {
    McpClient client = DefaultMcpClient.builder().transport(transport)
        .initializationTimeout(Duration.ofSeconds(10))
        .toolExecutionTimeout(Duration.ofSeconds(10))
        .build();
    clients.add(client);
    return client;
  }

  private static ToolExecutionRequest whoamiRequest() {
    return ToolExecutionRequest.builder().id(UUID.randomUUID().toString())
        .name(LoopbackMcpServer.TOOL).arguments("{}").build();
  }

  /** Calls the tool and returns the fingerprint of the token the server saw with the call. */
  private static String whoami(McpClient client) {
    ToolExecutionResult result = client.executeTool(whoamiRequest());
    GUARD.record(result);
    assertFalse(result.isError(), result.toString());
    return result.resultText();
  }

  private static Set<String> tokensSeen(LoopbackMcpServer s) {
    return s.requests().stream().map(r -> String.valueOf(r.token())).collect(Collectors.toSet());
  }

  private static boolean mentions401(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains("401")) {
        return true;
      }
    }
    return false;
  }

  /** One initialize (the one request without an MCP session id) and one MCP session. */
  private static void assertNoReconnect(LoopbackMcpServer s) {
    List<Seen> all = s.requests();
    assertEquals(1, all.stream().filter(r -> r.mcpSessionId() == null).count(),
        "one initialize: " + all);
    assertEquals(1, all.stream().map(Seen::mcpSessionId).filter(Objects::nonNull).distinct()
        .count(), "one MCP session: " + all);
  }

  // -------------------------------------------------------------------------------------- tests

  @Test
  void initializeAndAToolCallCarryTheSessionsToken(VaultService vaults) {
    String token = TOKENS.next("lc4j-a");
    String url = server.streamableUrl();
    VaultSession session = session(vaults, vault(vaults, url, token));
    server.accept(token);

    McpClient client = client(transport(url, session)); // initializes
    assertEquals(fingerprint(token), whoami(client));

    assertFalse(server.requests().isEmpty());
    for (Seen r : server.requests()) {
      assertEquals(fingerprint(token), r.token(), r.toString());
      assertTrue(r.accepted(), r.toString());
    }
    assertEquals(List.of(), other.requests());
  }

  @Test
  void withoutACredentialForTheUrlTheClientGetsTheServers401AndNothingGoesElsewhere(
      VaultService vaults) {
    String otherToken = TOKENS.next("lc4j-other");
    VaultSession session = session(vaults, vault(vaults, other.streamableUrl(), otherToken));
    server.accept(TOKENS.next("lc4j-unused"));
    other.accept(otherToken);

    RuntimeException e = assertThrows(RuntimeException.class,
        () -> client(transport(server.streamableUrl(), session)));
    GUARD.record(e);
    assertTrue(mentions401(e), "the server's 401 reaches the caller: " + e);
    assertFalse(server.requests().isEmpty());
    for (Seen r : server.requests()) {
      assertNull(r.token(), r.toString());
    }
    assertEquals(List.of(), other.requests(), "nothing was sent to the other server");
  }

  @Test
  void aRotationBetweenTwoCallsIsCarriedByTheNextRequestWithoutReconnecting(VaultService vaults) {
    String first = TOKENS.next("lc4j-first");
    String second = TOKENS.next("lc4j-second");
    String url = server.streamableUrl();
    CreatedVault vault = vault(vaults, url, first);
    server.accept(first);
    McpClient client = client(transport(url, session(vaults, vault)));
    assertEquals(fingerprint(first), whoami(client));
    int before = server.requests().size();

    vaults.rotateCredential(vault.vault().id(), vault.credentials().get(0).id(),
        Secret.of(second));
    server.accept(second);
    assertEquals(fingerprint(second), whoami(client));

    List<Seen> after = server.requests().subList(before, server.requests().size());
    assertFalse(after.isEmpty());
    for (Seen r : after) {
      assertEquals(fingerprint(second), r.token(), r.toString());
    }
    assertNoReconnect(server);
  }

  @Test
  void anArchiveBetweenTwoCallsLeavesTheNextRequestWithoutAToken(VaultService vaults) {
    String token = TOKENS.next("lc4j-archived");
    String url = server.streamableUrl();
    CreatedVault vault = vault(vaults, url, token);
    server.accept(token);
    McpClient client = client(transport(url, session(vaults, vault)));
    assertEquals(fingerprint(token), whoami(client));
    int before = server.requests().size();

    vaults.archiveCredential(vault.vault().id(), vault.credentials().get(0).id());
    // LangChain4j turns a failed tool call into an error result or an exception.
    try {
      ToolExecutionResult result = client.executeTool(whoamiRequest());
      GUARD.record(result);
      assertTrue(result.isError(), result.toString());
    } catch (RuntimeException e) {
      GUARD.record(e);
      assertTrue(mentions401(e), e.toString());
    }
    List<Seen> after = server.requests().subList(before, server.requests().size());
    assertFalse(after.isEmpty());
    for (Seen r : after) {
      assertNull(r.token(), "no token after the archive: " + r);
      assertFalse(r.accepted());
    }
  }

  @Test
  void twoServersWithCredentialsInTwoVaultsOfOneSessionEachSeeOnlyTheirOwnToken(
      VaultService vaults) {
    String tokenA = TOKENS.next("lc4j-server-a");
    String tokenB = TOKENS.next("lc4j-server-b");
    VaultSession session = session(vaults, vault(vaults, server.streamableUrl(), tokenA),
        vault(vaults, other.streamableUrl(), tokenB));
    server.accept(tokenA);
    other.accept(tokenB);
    McpClient a = client(transport(server.streamableUrl(), session));
    McpClient b = client(transport(other.streamableUrl(), session));
    for (int i = 0; i < 3; i++) {
      assertEquals(fingerprint(tokenA), whoami(a));
      assertEquals(fingerprint(tokenB), whoami(b));
    }
    assertEquals(Set.of(fingerprint(tokenA)), tokensSeen(server), "server A saw only its token");
    assertEquals(Set.of(fingerprint(tokenB)), tokensSeen(other), "server B saw only its token");
  }

  @Test
  void aTokenNearItsExpiryIsRefreshedBeforeTheRequestOnceWithoutReconnecting() throws Exception {
    String first = TOKENS.next("lc4j-oauth-first");
    String refreshed = TOKENS.next("lc4j-oauth-refreshed");
    String refreshToken = TOKENS.next("lc4j-refresh");
    MutableClock clock = new MutableClock(Instant.now());
    try (LoopbackTokenEndpoint oauth = LoopbackTokenEndpoint.start();
        VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
            .keyEncryptionKey(TestKeys.randomKek()).clock(clock)
            .tokenRefresher(NimbusTokenRefresher.builder().build()).build()) {
      oauth.expect("lc4j-client", refreshToken);
      oauth.issueNext(refreshed);
      VaultService vaults = engine.forAccount("acme");
      String url = server.streamableUrl();
      CreatedVault vault = vaults.createVault(CreateVaultRequest.builder().displayName("oauth")
          .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl(url).protocol(Protocol.STREAMABLE_HTTP)
              .accessToken(Secret.of(first)).expiresAt(clock.instant().plus(Duration.ofHours(1)))
              .refresh(new OAuthRefreshRequest(oauth.url(), "lc4j-client", null, null,
                  Secret.of(refreshToken), TokenEndpointAuth.none()))
              .build())
          .build());
      server.accept(first);
      McpClient client = client(transport(url, vaults.openSession(List.of(vault.vault().id()))));
      assertEquals(fingerprint(first), whoami(client));
      assertEquals(0, oauth.requests());
      int before = server.requests().size();

      clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // within the 60 s refresh window
      server.accept(refreshed); // and the server takes only the new token
      assertEquals(fingerprint(refreshed), whoami(client));
      assertEquals(fingerprint(refreshed), whoami(client));

      assertEquals(1, oauth.requests(), "one token request at the OAuth server");
      List<Seen> after = server.requests().subList(before, server.requests().size());
      for (Seen r : after) {
        assertEquals(fingerprint(refreshed), r.token(), "refreshed before it was sent: " + r);
        assertTrue(r.accepted());
      }
      assertNoReconnect(server);
    }
  }

  @Test
  void aSessionIsChosenPerCallThroughTheInvocationParameters(VaultService vaults) {
    String tokenX = TOKENS.next("lc4j-session-x");
    String tokenY = TOKENS.next("lc4j-session-y");
    String url = server.streamableUrl();
    VaultSession x = session(vaults, vault(vaults, url, tokenX));
    VaultSession y = session(vaults, vault(vaults, url, tokenY));
    server.accept(tokenX, tokenY);
    McpClient client = client(transport(url, x)); // x initializes and is the default
    assertEquals(fingerprint(tokenX), whoami(client));

    InvocationContext asY = InvocationContext.builder().invocationId(UUID.randomUUID())
        .invocationParameters(InvocationParameters.from(VaultMcpHeaders.SESSION_PARAMETER, y))
        .timestampNow().build();
    ToolExecutionResult result = client.executeTool(whoamiRequest(), asY);
    assertEquals(fingerprint(tokenY), result.resultText());
    assertEquals(fingerprint(tokenX), whoami(client));
  }
}
