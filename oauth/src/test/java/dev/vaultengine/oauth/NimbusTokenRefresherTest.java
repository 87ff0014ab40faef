package dev.vaultengine.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.oauth.LeakGuard.Watched;
import dev.vaultengine.oauth.TokenEndpointServer.Answer;
import dev.vaultengine.oauth.TokenEndpointServer.Expected;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.spi.RefreshOutcome.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * NimbusTokenRefresher against a real token endpoint on loopback (embedded Tomcat) that checks
 * every request exactly: each client authentication method, scope and resource, rotation,
 * expires_in, and every failure mode, each call watched for secrets in its outcome, the logs and
 * the console.
 */
class NimbusTokenRefresherTest {

  /** In every secret below, so that one search finds any of them. */
  private static final String MARK = "LEAKCANARY";
  private static final String REFRESH_TOKEN = "rt-" + MARK + "-7f3a9c";
  private static final String ROTATED_REFRESH_TOKEN = "rt2-" + MARK + "-51be02";
  private static final String ACCESS_TOKEN = "at-" + MARK + "-c0ffee";
  /** Printable ASCII with the characters form encoding must escape (RFC 6749 2.3.1). */
  private static final String CLIENT_SECRET = "cs " + MARK + ":%+&=/?#~";
  private static final String CLIENT_ID = "vault engine:client/1";
  private static final String DESCRIPTION = "refresh token " + REFRESH_TOKEN + " was revoked";

  /** The Basic header value, which holds the client secret without showing MARK. */
  private static final String BASIC = Base64.getEncoder().encodeToString(
      (URLEncoder.encode(CLIENT_ID, StandardCharsets.UTF_8) + ":"
          + URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
  private static final List<String> SECRETS = List.of(MARK, BASIC);

  private static TokenEndpointServer server;
  private final NimbusTokenRefresher refresher = NimbusTokenRefresher.builder().build();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    server = new TokenEndpointServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void releaseHungRequests() {
    release.countDown();
  }

  // ---- client authentication, scope, resource ----

  @Test
  void publicClientSendsClientIdInTheBodyAndNoAuthorization() throws Exception {
    Expected expected = expected(TokenEndpointAuthMethod.NONE, null, Optional.empty(),
        Optional.empty());
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 3600L, null)));

    RefreshOutcome.Refreshed refreshed = refreshed(call(expected));

    assertEquals(ACCESS_TOKEN, refreshed.accessToken().reveal());
    assertEquals(Optional.of(Duration.ofHours(1)), refreshed.expiresIn());
    assertEquals(Optional.empty(), refreshed.refreshToken());
    assertEquals(1, server.requests());
  }

  @Test
  void clientSecretBasicSendsTheFormEncodedIdAndSecretInTheHeaderOnly() throws Exception {
    Expected expected = expected(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, CLIENT_SECRET,
        Optional.empty(), Optional.empty());
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 600L, null)));

    RefreshOutcome.Refreshed refreshed = refreshed(call(expected));

    assertEquals(ACCESS_TOKEN, refreshed.accessToken().reveal());
    assertEquals(Optional.of(Duration.ofMinutes(10)), refreshed.expiresIn());
    assertEquals(1, server.requests());
  }

  @Test
  void clientSecretPostSendsIdAndSecretInTheBodyAndNoAuthorization() throws Exception {
    Expected expected = expected(TokenEndpointAuthMethod.CLIENT_SECRET_POST, CLIENT_SECRET,
        Optional.empty(), Optional.empty());
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 60L, null)));

    assertEquals(ACCESS_TOKEN, refreshed(call(expected)).accessToken().reveal());
    assertEquals(1, server.requests());
  }

  @Test
  void scopeAndResourceArePassedThroughExactly() throws Exception {
    for (TokenEndpointAuthMethod method : TokenEndpointAuthMethod.values()) {
      Expected expected = expected(method, method.needsSecret() ? CLIENT_SECRET : null,
          Optional.of("mcp:read mcp:write offline_access"),
          Optional.of("https://mcp.example.com/api/v1"));
      server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, null, null)));

      RefreshOutcome.Refreshed refreshed = refreshed(call(expected));

      assertEquals(Optional.empty(), refreshed.expiresIn(), "no expires_in, no lifetime");
      assertEquals(1, server.requests(), method.wireName());
    }
  }

  // ---- success variants ----

  @Test
  void aRotatedRefreshTokenIsReturned() throws Exception {
    Expected expected = expected(TokenEndpointAuthMethod.NONE, null, Optional.empty(),
        Optional.empty());
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 3600L, ROTATED_REFRESH_TOKEN)));

    RefreshOutcome.Refreshed refreshed = refreshed(call(expected));

    assertEquals(ROTATED_REFRESH_TOKEN, refreshed.refreshToken().orElseThrow().reveal());
  }

  @Test
  void theSameRefreshTokenBackIsNotARotation() throws Exception {
    Expected expected = expected(TokenEndpointAuthMethod.NONE, null, Optional.empty(),
        Optional.empty());
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 3600L, REFRESH_TOKEN)));

    assertEquals(Optional.empty(), refreshed(call(expected)).refreshToken());
  }

  @Test
  void tokenTypeIsCaseInsensitiveAndExpiresInMayBeAString() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN
        + "\",\"token_type\":\"bearer\",\"expires_in\":\"120\"}"));

    assertEquals(Optional.of(Duration.ofSeconds(120)), refreshed(call(expected)).expiresIn());
  }

  // ---- rejections ----

  @Test
  void invalidGrantIsRejectedWithoutItsDescription() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(400, errorJson("invalid_grant")));

    assertEquals(new RefreshOutcome.Rejected(400, "invalid_grant"), call(expected).result());
    assertEquals(1, server.requests());
  }

  @Test
  void invalidClientWith401IsRejected() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setHeader("WWW-Authenticate", "Basic realm=\"token\"");
      json(401, errorJson("invalid_client")).write(response);
    });

    assertEquals(new RefreshOutcome.Rejected(401, "invalid_client"), call(expected).result());
  }

  @Test
  void anUnregisteredErrorCodeIsOther() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(400, errorJson("consent_" + MARK)));

    assertEquals(new RefreshOutcome.Rejected(400, "other"), call(expected).result());
  }

  @Test
  void anotherClientErrorWithoutOAuthBodyIsRejectedAsOther() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setStatus(403);
      response.setContentType("text/html");
      response.getWriter().write("<h1>Forbidden " + MARK + "</h1>");
    });

    assertEquals(new RefreshOutcome.Rejected(403, "other"), call(expected).result());
  }

  @Test
  void anOAuthErrorAnsweredWith200IsARejection() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(200, errorJson("invalid_grant")));

    assertEquals(new RefreshOutcome.Rejected(200, "invalid_grant"), call(expected).result());
  }

  // ---- unavailable ----

  @Test
  void serverErrorIsUnavailable() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(500, "{\"error\":\"server_error\",\"error_description\":\""
        + DESCRIPTION + "\"}"));

    assertEquals(new RefreshOutcome.Unavailable(Reason.SERVER_ERROR, 500, Optional.empty()),
        call(expected).result());
  }

  /**
   * A 503 and a 408 (the server gave up waiting for the request, so it did not use the refresh
   * token) are unavailable for now, not refused grants, and keep their Retry-After.
   */
  @ParameterizedTest
  @CsvSource({"503, SERVER_ERROR, 7", "408, TIMEOUT, 5"})
  void aTransientStatusKeepsItsRetryAfter(int status, Reason reason, int seconds)
      throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setHeader("Retry-After", Integer.toString(seconds));
      response.setStatus(status);
    });

    assertEquals(new RefreshOutcome.Unavailable(reason, status,
        Optional.of(Duration.ofSeconds(seconds))), call(expected).result());
  }

  @Test
  void rateLimitedWithRetryAfterInSeconds() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setHeader("Retry-After", "30");
      json(429, errorJson("slow_down")).write(response);
    });

    assertEquals(new RefreshOutcome.Unavailable(Reason.RATE_LIMITED, 429,
        Optional.of(Duration.ofSeconds(30))), call(expected).result());
  }

  @Test
  void rateLimitedWithRetryAfterAsAnHttpDate() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    NimbusTokenRefresher withClock = NimbusTokenRefresher.builder().clock(clock).build();
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setHeader("Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT");
      response.setStatus(429);
    });

    assertEquals(new RefreshOutcome.Unavailable(Reason.RATE_LIMITED, 429,
        Optional.of(Duration.ofMinutes(2))), call(withClock, expected).result());
  }

  @Test
  void rateLimitedWithoutRetryAfter() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> response.setStatus(429));

    assertEquals(new RefreshOutcome.Unavailable(Reason.RATE_LIMITED, 429, Optional.empty()),
        call(expected).result());
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithinTheTimeouts() throws Exception {
    NimbusTokenRefresher quick = NimbusTokenRefresher.builder()
        .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1)).build();
    Expected expected = basicExpected();
    server.expect(expected, response -> release.await(60, TimeUnit.SECONDS));

    long start = System.nanoTime();
    Watched<RefreshOutcome> watched = call(quick, expected);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(new RefreshOutcome.Unavailable(Reason.TIMEOUT, 0, Optional.empty()),
        watched.result());
    // At least the read timeout once connected; at most connect + read timeouts, plus a
    // generous allowance for a loaded machine: a correctness bound, not a benchmark.
    assertTrue(elapsedMillis >= 950, "waited " + elapsedMillis + " ms");
    assertTrue(elapsedMillis < 2_000 + 3_000, "waited " + elapsedMillis + " ms");
    assertEquals(1, server.requests());
  }

  @Test
  void anInterruptedCallerStillGetsTheAnswerAndKeepsItsInterrupt() throws Exception {
    // The server may have rotated the refresh token it was sent: giving up on its answer (as a
    // cancelled Reactor task interrupts its thread) left the credential with a spent grant.
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      Thread.sleep(300);
      json(200, tokenJson(ACCESS_TOKEN, 600L, ROTATED_REFRESH_TOKEN)).write(response);
    });

    Thread.currentThread().interrupt();
    boolean stillInterrupted;
    Watched<RefreshOutcome> watched;
    try {
      watched = call(expected);
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    RefreshOutcome.Refreshed refreshed = refreshed(watched);
    assertTrue(refreshed.refreshToken().orElseThrow().sameAs(Secret.of(ROTATED_REFRESH_TOKEN)));
    assertTrue(stillInterrupted, "the interrupt status is kept for the caller");
    assertEquals(1, server.requests());
  }

  @Test
  void aClosedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RefreshGrant grant = grant(URI.create("http://127.0.0.1:" + port + "/token"),
        TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, CLIENT_SECRET, Optional.empty(),
        Optional.empty());

    long start = System.nanoTime();
    Watched<RefreshOutcome> watched = LeakGuard.watch(() -> refresher.refresh(grant));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    LeakGuard.assertNoLeak(watched, SECRETS);
    assertEquals(new RefreshOutcome.Unavailable(Reason.CONNECT_FAILED, 0, Optional.empty()),
        watched.result());
    assertTrue(elapsedMillis < 5_000, "took " + elapsedMillis + " ms");
  }

  @Test
  void aListenerThatNeverAcceptsIsAConnectFailureWithinTheConnectTimeout() throws Exception {
    // A backlog of one that is never accepted: once it is full, the kernel drops further SYNs,
    // so the connection is never made and the connect timeout decides.
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        boolean full = false;
        for (int i = 0; i < 16 && !full; i++) {
          Socket filler = new Socket();
          fillers.add(filler);
          try {
            filler.connect(new InetSocketAddress(listener.getInetAddress(),
                listener.getLocalPort()), 300);
          } catch (IOException e) {
            full = true;
          }
        }
        NimbusTokenRefresher quick = NimbusTokenRefresher.builder()
            .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1)).build();
        RefreshGrant grant = grant(URI.create("http://127.0.0.1:" + listener.getLocalPort()
            + "/token"), TokenEndpointAuthMethod.NONE, null, Optional.empty(), Optional.empty());

        long start = System.nanoTime();
        Watched<RefreshOutcome> watched = LeakGuard.watch(() -> quick.refresh(grant));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        LeakGuard.assertNoLeak(watched, SECRETS);
        assertEquals(new RefreshOutcome.Unavailable(Reason.CONNECT_FAILED, 0, Optional.empty()),
            watched.result());
        assertTrue(elapsedMillis < 2_000 + 3_000, "took " + elapsedMillis + " ms");
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  void aConnectionClosedBeforeAnAnswerIsNotRetried() throws Exception {
    // HttpURLConnection, Nimbus's default sender, would send this POST again on a new
    // connection; a refresh token must go out once.
    try (DroppingServer dropping = new DroppingServer()) {
      RefreshGrant grant = grant(dropping.uri(), TokenEndpointAuthMethod.CLIENT_SECRET_POST,
          CLIENT_SECRET, Optional.empty(), Optional.empty());

      Watched<RefreshOutcome> watched = LeakGuard.watch(() -> refresher.refresh(grant));

      LeakGuard.assertNoLeak(watched, SECRETS);
      assertEquals(new RefreshOutcome.Unavailable(Reason.SERVER_ERROR, 0, Optional.empty()),
          watched.result());
      Thread.sleep(300); // a retry would come at once
      assertEquals(1, dropping.connections());
      assertEquals(1, dropping.requestsWithTheRefreshToken());
    }
  }

  // ---- malformed answers ----

  @Test
  void malformedJsonIsAMalformedResponse() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_"));

    assertEquals(malformed(200), call(expected).result());
  }

  @Test
  void aTokenResponseWithoutAccessTokenIsMalformed() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,"
        + "\"refresh_token\":\"" + ROTATED_REFRESH_TOKEN + "\"}"));

    assertEquals(malformed(200), call(expected).result());
  }

  @Test
  void anotherTokenTypeIsMalformed() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN
        + "\",\"token_type\":\"mac\",\"expires_in\":3600}"));
    assertEquals(malformed(200), call(expected).result());

    server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN
        + "\",\"token_type\":\"DPoP\",\"expires_in\":3600}"));
    assertEquals(malformed(200), call(expected).result(), "a DPoP token needs a proof we do not make");
  }

  @Test
  void anAccessTokenThatCannotGoInAHeaderIsMalformed() throws Exception {
    // The engine refuses such a token at create; stored after a refresh, the JDK's HTTP client
    // refused it in the MCP request with an IllegalArgumentException quoting the token.
    Expected expected = basicExpected();
    List<String> tokens = List.of("at " + MARK, "at-\\u0001" + MARK, "at-\\u00e9" + MARK,
        "at-" + MARK + "\\r\\nX-Injected: 1");
    for (int i = 0; i < tokens.size(); i++) {
      server.expect(expected, json(200, "{\"access_token\":\"" + tokens.get(i)
          + "\",\"token_type\":\"Bearer\",\"expires_in\":600}"));
      assertEquals(malformed(200), call(expected).result(), "token " + i);
    }
  }

  @Test
  void anExpiresInOverAHundredYearsCountsAsNone() throws Exception {
    // Long.MAX_VALUE seconds made the engine's expires_at overflow (an ArithmeticException out of
    // resolve); 10^12 seconds stored an expiry in the year 33715.
    Expected expected = basicExpected();
    for (String expiresIn : List.of("9223372036854775807", "1e300", "1000000000000",
        "3155760001")) {
      server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN
          + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));
      assertEquals(Optional.empty(), refreshed(call(expected)).expiresIn(), expiresIn);
    }
    server.expect(expected, json(200, tokenJson(ACCESS_TOKEN, 3_155_760_000L, null)));
    assertEquals(Optional.of(Duration.ofDays(36_525)), refreshed(call(expected)).expiresIn());
  }

  @Test
  void aTokenResponseThatIsNotJsonIsMalformed() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setStatus(200);
      response.setContentType("application/x-www-form-urlencoded");
      response.getWriter().write("access_token=" + ACCESS_TOKEN + "&token_type=bearer");
    });

    assertEquals(malformed(200), call(expected).result());
  }

  @Test
  void aBodyOverTheLimitIsNotReadWhole() throws Exception {
    Expected expected = basicExpected();
    String padding = "x".repeat(2 << 20);
    server.expect(expected, json(200, "{\"access_token\":\"" + ACCESS_TOKEN
        + "\",\"token_type\":\"Bearer\",\"padding\":\"" + padding + "\"}"));

    assertEquals(malformed(200), call(expected).result());
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    Expected expected = basicExpected();
    server.expect(expected, response -> {
      response.setStatus(307); // would re-send the POST, refresh token and all, if followed
      response.setHeader("Location", server.elsewhereUri().toString());
    });

    assertEquals(malformed(307), call(expected).result());
    assertEquals(0, server.redirectedRequests());
  }

  // ---- the refresher itself ----

  @Test
  void builderDefaultsAndGuards() {
    NimbusTokenRefresher defaults = NimbusTokenRefresher.builder().build();
    assertEquals(Duration.ofSeconds(5), defaults.connectTimeout());
    assertEquals(Duration.ofSeconds(10), defaults.readTimeout());
    NimbusTokenRefresher set = NimbusTokenRefresher.builder()
        .connectTimeout(Duration.ofMillis(250)).readTimeout(Duration.ofSeconds(3)).build();
    assertEquals(Duration.ofMillis(250), set.connectTimeout());
    assertEquals(Duration.ofSeconds(3), set.readTimeout());

    NimbusTokenRefresher.Builder builder = NimbusTokenRefresher.builder();
    assertThrows(NullPointerException.class, () -> builder.connectTimeout(null));
    assertThrows(NullPointerException.class, () -> builder.readTimeout(null));
    assertThrows(NullPointerException.class, () -> builder.clock(null));
    assertThrows(IllegalArgumentException.class, () -> builder.connectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> builder.readTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> builder.readTimeout(Duration.ofDays(30)));
    assertThrows(NullPointerException.class, () -> set.refresh(null));
  }

  @Test
  void aResourceThatIsNotAnAbsoluteUriIsABugNotAnOutcome() {
    // The engine validates resource when a credential is written; here it fails before sending.
    server.expect(expected(TokenEndpointAuthMethod.NONE, null, Optional.empty(), Optional.empty()),
        json(200, tokenJson(ACCESS_TOKEN, 60L, null)));
    for (String resource : List.of("not a uri " + MARK, "relative/" + MARK,
        "https://mcp.example.com/#" + MARK)) {
      RefreshGrant grant = grant(server.tokenUri(), TokenEndpointAuthMethod.NONE, null,
          Optional.empty(), Optional.of(resource));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> refresher.refresh(grant));
      assertFalse(e.getMessage().contains(MARK), e.getMessage());
    }
    assertEquals(0, server.requests());
  }

  @Test
  void theGuardSeesTheTransportsDebugLogging() throws Exception {
    // The guard is only as good as what it captures: a FINE record written during the call (as
    // the JDK HTTP client writes its debug records on JDK 17; JDK 25 writes none here) is
    // captured, and nothing captured holds a secret.
    Expected expected = basicExpected();
    server.expect(expected, json(400, errorJson("invalid_grant")));
    RefreshGrant grant = grant(server.tokenUri(), expected.authMethod(), expected.clientSecret(),
        expected.scope(), expected.resource());

    Watched<RefreshOutcome> watched = LeakGuard.watch(() -> {
      java.util.logging.Logger.getLogger("jdk.internal.httpclient.probe").fine("guard probe");
      return refresher.refresh(grant);
    });

    LeakGuard.assertNoLeak(watched, SECRETS);
    assertTrue(watched.logs().contains("guard probe"), "the guard captured no FINE record");
    assertFalse(watched.logs().contains(BASIC));
  }

  // ---- helpers ----

  private static Expected basicExpected() {
    return expected(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, CLIENT_SECRET, Optional.empty(),
        Optional.empty());
  }

  private static Expected expected(TokenEndpointAuthMethod method, String clientSecret,
      Optional<String> scope, Optional<String> resource) {
    return new Expected(CLIENT_ID, method, clientSecret, REFRESH_TOKEN, scope, resource);
  }

  private static RefreshGrant grant(URI endpoint, TokenEndpointAuthMethod method,
      String clientSecret, Optional<String> scope, Optional<String> resource) {
    return new RefreshGrant(endpoint, CLIENT_ID, method,
        clientSecret == null ? null : Secret.of(clientSecret), Secret.of(REFRESH_TOKEN), scope,
        resource);
  }

  private Watched<RefreshOutcome> call(Expected expected) throws Exception {
    return call(refresher, expected);
  }

  /** Refreshes as {@code expected} says, under the leak guard, and checks the server was happy. */
  private static Watched<RefreshOutcome> call(NimbusTokenRefresher refresher, Expected expected)
      throws Exception {
    RefreshGrant grant = grant(server.tokenUri(), expected.authMethod(), expected.clientSecret(),
        expected.scope(), expected.resource());
    Watched<RefreshOutcome> watched = LeakGuard.watch(() -> refresher.refresh(grant));
    LeakGuard.assertNoLeak(watched, SECRETS);
    assertEquals(List.of(), server.violations(), "the token endpoint saw a different request");
    return watched;
  }

  private static RefreshOutcome.Refreshed refreshed(Watched<RefreshOutcome> watched) {
    return assertInstanceOf(RefreshOutcome.Refreshed.class, watched.result());
  }

  private static RefreshOutcome malformed(int status) {
    return new RefreshOutcome.Unavailable(Reason.MALFORMED_RESPONSE, status, Optional.empty());
  }

  private static Answer json(int status, String body) {
    return response -> {
      response.setStatus(status);
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-store");
      response.getWriter().write(body);
    };
  }

  private static String tokenJson(String accessToken, Long expiresIn, String refreshToken) {
    return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\""
        + (expiresIn == null ? "" : ",\"expires_in\":" + expiresIn)
        + (refreshToken == null ? "" : ",\"refresh_token\":\"" + refreshToken + "\"")
        + ",\"scope\":\"mcp:read\"}";
  }

  private static String errorJson(String code) {
    return "{\"error\":\"" + code + "\",\"error_description\":\"" + DESCRIPTION
        + "\",\"error_uri\":\"https://errors.example.com/" + MARK + "\"}";
  }

  /** Accepts, reads a whole request, and closes the connection without a byte of answer. */
  private static final class DroppingServer implements AutoCloseable {
    private final ServerSocket socket =
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger withToken = new AtomicInteger();
    private final Thread acceptor;

    DroppingServer() throws IOException {
      acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket connection = socket.accept()) {
            connections.incrementAndGet();
            connection.setSoTimeout(5_000);
            if (readRequest(connection.getInputStream()).contains(
                URLEncoder.encode(REFRESH_TOKEN, StandardCharsets.UTF_8))) {
              withToken.incrementAndGet();
            }
          } catch (IOException e) {
            // closed, or a client that went away
          }
        }
      }, "dropping-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/token");
    }

    int connections() {
      return connections.get();
    }

    int requestsWithTheRefreshToken() {
      return withToken.get();
    }

    private static String readRequest(InputStream in) throws IOException {
      StringBuilder text = new StringBuilder();
      int contentLength = -1;
      int headerEnd = -1;
      while (true) {
        int b = in.read();
        if (b < 0) {
          return text.toString();
        }
        text.append((char) b);
        if (headerEnd < 0 && text.length() >= 4
            && text.substring(text.length() - 4).equals("\r\n\r\n")) {
          headerEnd = text.length();
          for (String line : text.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
              contentLength = Integer.parseInt(line.substring(15).trim());
            }
          }
          if (contentLength <= 0) {
            return text.toString();
          }
        }
        if (headerEnd >= 0 && text.length() - headerEnd >= contentLength) {
          return text.toString();
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
