package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Placeholder substitution at egress, with a real {@link HttpClient} against a loopback server.
 * The server is the client's HTTP proxy, so requests to any host name ({@code api.example.com},
 * {@code evil.example.com}, ...) reach it with the host the client addressed, and it records what
 * each host would have received.
 */
@ExtendWith(VaultEngineExtension.class)
class EnvironmentSubstitutionTest {
  private static final String VALUE = "sv-0123456789abcdef-value";

  /** One request as the loopback server saw it. */
  record Seen(String method, String host, String path, Map<String, List<String>> headers,
      String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst().map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpClient client;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      URI uri = exchange.getRequestURI(); // absolute: the client talks to us as its proxy
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange.getRequestMethod(), uri.getHost(), uri.getPath(),
          Map.copyOf(exchange.getRequestHeaders()),
          new String(body, StandardCharsets.UTF_8)));
      String query = uri.getRawQuery();
      if (uri.getPath().startsWith("/redirect") && query != null && query.startsWith("to=")) {
        int status = Integer.parseInt(uri.getPath().substring("/redirect".length()));
        exchange.getResponseHeaders().add("Location",
            java.net.URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(status, -1);
      } else {
        exchange.sendResponseHeaders(200, -1);
      }
      exchange.close();
    });
    server.start();
    client = HttpClient.newBuilder()
        .proxy(ProxySelector.of((InetSocketAddress) server.getAddress()))
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static CreateCredentialRequest env(String name, Networking networking,
      InjectionLocation location) {
    return CreateCredentialRequest.builder().type(CredentialType.ENVIRONMENT_VARIABLE)
        .secretName(name).secretValue(Secret.of(VALUE)).networking(networking)
        .injectionLocation(location).build();
  }

  private VaultSession session(VaultService vaults, CreateCredentialRequest... credentials) {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("env");
    for (CreateCredentialRequest c : credentials) {
      b.addCredential(c);
    }
    CreatedVault v = vaults.createVault(b.build());
    return vaults.openSession(List.of(v.vault().id()));
  }

  /** Sends a POST to {@code host} carrying the placeholder in two headers and the body. */
  private Seen post(VaultSession session, String host, String placeholder) throws Exception {
    seen.clear();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/api"))
        .header("Authorization", "Bearer " + placeholder)
        .header("X-Api-Key", placeholder)
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + placeholder + "\"}"))
        .timeout(Duration.ofSeconds(5)).build();
    assertEquals(200, session.send(client, request, HttpResponse.BodyHandlers.discarding())
        .statusCode());
    assertEquals(1, seen.size());
    assertEquals(host, seen.get(0).host());
    return seen.get(0);
  }

  private static void assertSubstituted(Seen s, boolean header, boolean body, String placeholder) {
    String expected = header ? VALUE : placeholder;
    assertEquals("Bearer " + expected, s.header("Authorization"), s.host());
    assertEquals(expected, s.header("X-Api-Key"), s.host());
    assertEquals("{\"key\":\"" + (body ? VALUE : placeholder) + "\"}", s.body(), s.host());
  }

  @Test
  void anAllowedHostGetsTheValueInExactlyTheAllowedLocations(VaultService vaults)
      throws Exception {
    VaultSession both = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, true)));
    String p = both.environment().get("API_KEY");
    assertTrue(p.matches("vaultenv_[0-9a-f]{32}"), p);
    assertFalse(p.contains(VALUE));
    assertSubstituted(post(both, "api.example.com", p), true, true, p);

    VaultSession headerOnly = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, false)));
    String h = headerOnly.environment().get("API_KEY");
    assertSubstituted(post(headerOnly, "api.example.com", h), true, false, h);

    VaultSession bodyOnly = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(false, true)));
    String b = bodyOnly.environment().get("API_KEY");
    assertSubstituted(post(bodyOnly, "api.example.com", b), false, true, b);
  }

  @Test
  void anyOtherHostKeepsThePlaceholder(VaultService vaults) throws Exception {
    VaultSession exact = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, true)));
    String p = exact.environment().get("API_KEY");
    for (String host : List.of("evil.example.com", "example.com", "api.example.com.evil.net",
        "xapi.example.com", "api.example.co", "127.0.0.1")) {
      assertSubstituted(post(exact, host, p), false, false, p);
    }

    VaultSession wildcard = session(vaults, env("API_KEY",
        Networking.limited(List.of("*.example.com")), new InjectionLocation(true, true)));
    String w = wildcard.environment().get("API_KEY");
    for (String host : List.of("a.example.com", "a.b.example.com", "API.EXAMPLE.COM")) {
      assertSubstituted(post(wildcard, host, w), true, true, w);
    }
    for (String host : List.of("example.com", "example.com.evil.net", "evilexample.com",
        "notexample.com", "example.co", "10.0.0.1")) {
      assertSubstituted(post(wildcard, host, w), false, false, w);
    }

    VaultSession ip = session(vaults, env("API_KEY",
        Networking.limited(List.of("127.0.0.1")), new InjectionLocation(true, true)));
    String i = ip.environment().get("API_KEY");
    assertSubstituted(post(ip, "127.0.0.1", i), true, true, i);
    assertSubstituted(post(ip, "127.0.0.2", i), false, false, i);
    assertSubstituted(post(ip, "localhost", i), false, false, i);

    VaultSession anywhere = session(vaults, env("API_KEY", Networking.unrestricted(),
        new InjectionLocation(true, true)));
    String u = anywhere.environment().get("API_KEY");
    assertSubstituted(post(anywhere, "any.where.test", u), true, true, u);
  }

  @Test
  void aRedirectTargetKeepsThePlaceholder(VaultService vaults) throws Exception {
    VaultSession session = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, true)));
    String p = session.environment().get("API_KEY");
    for (int status : new int[] {301, 302, 303, 307, 308}) {
      seen.clear();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://api.example.com/redirect"
              + status + "?to=" + java.net.URLEncoder.encode("http://evil.example.net/landing",
                  StandardCharsets.UTF_8)))
          .header("X-Api-Key", p)
          .POST(HttpRequest.BodyPublishers.ofString("k=" + p))
          .timeout(Duration.ofSeconds(5)).build();
      HttpResponse<Void> response =
          session.send(client, request, HttpResponse.BodyHandlers.discarding());
      assertEquals(200, response.statusCode());
      assertEquals(2, seen.size(), "followed " + status);
      assertEquals(VALUE, seen.get(0).header("X-Api-Key"));
      assertEquals("k=" + VALUE, seen.get(0).body());
      Seen target = seen.get(1);
      assertEquals("evil.example.net", target.host());
      assertEquals(p, target.header("X-Api-Key"), "redirect " + status);
      assertFalse(target.body().contains(VALUE), "redirect " + status);
      if (status == 307 || status == 308) {
        assertEquals("k=" + p, target.body(), "a 307/308 keeps the body, with the placeholder");
      }
    }
  }

  /**
   * Each hop is built from the one before it: a 303 turns the POST into a GET without a body, and
   * the 307 after it keeps that GET, as HttpClient's own redirect policy does. Built from the
   * caller's request instead, the last hop was a POST again, carrying the first body with its
   * placeholder unsubstituted to an allowed host, and a 302 loop alternated POST and GET.
   */
  @Test
  void aRedirectChainTakesEachHopFromTheOneBefore(VaultService vaults) throws Exception {
    VaultSession session = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, true)));
    String p = session.environment().get("API_KEY");
    String end = "http://api.example.com/end";
    String via307 = "http://api.example.com/redirect307?to=" + encode(end);
    assertEquals(List.of("POST /redirect303 k=" + VALUE, "GET /redirect307 ", "GET /end "),
        follow(session, "http://api.example.com/redirect303?to=" + encode(via307), p));
    String via302 = "http://api.example.com/redirect302?to=" + encode(end);
    assertEquals(List.of("POST /redirect302 k=" + VALUE, "GET /redirect302 ", "GET /end "),
        follow(session, "http://api.example.com/redirect302?to=" + encode(via302), p));
    assertEquals(List.of("POST /redirect307 k=" + VALUE, "POST /redirect308 k=" + VALUE,
        "POST /end k=" + VALUE), follow(session, "http://api.example.com/redirect307?to="
            + encode("http://api.example.com/redirect308?to=" + encode(end)), p));
  }

  /** POSTs {@code k=<placeholder>} to {@code url}; each hop as "METHOD path body". */
  private List<String> follow(VaultSession session, String url, String placeholder)
      throws Exception {
    seen.clear();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString("k=" + placeholder))
        .timeout(Duration.ofSeconds(5)).build();
    assertEquals(200, session.send(client, request, HttpResponse.BodyHandlers.discarding())
        .statusCode());
    return seen.stream().map(s -> s.method() + " " + s.path() + " " + s.body()).toList();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void aClientThatFollowsRedirectsItselfIsRefused(VaultService vaults) {
    VaultSession session = session(vaults, env("API_KEY", Networking.unrestricted(),
        new InjectionLocation(true, true)));
    HttpClient following = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    VaultException e = assertThrows(VaultException.class, () -> session.send(following,
        HttpRequest.newBuilder(URI.create("http://api.example.com/")).build(),
        HttpResponse.BodyHandlers.discarding()));
    assertEquals(ErrorType.INVALID_REQUEST, e.type());
    assertTrue(seen.isEmpty(), "nothing was sent");
  }

  @Test
  void placeholdersArePerSessionAndSubstitutionIsLive(VaultService vaults) throws Exception {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("env")
        .addCredential(env("API_KEY", Networking.limited(List.of("api.example.com")),
            new InjectionLocation(true, true)))
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://mcp.example.com/")
            .protocol(Protocol.STREAMABLE_HTTP).accessToken("mcp-token-not-an-env-var").build())
        .build());
    VaultSession one = vaults.openSession(List.of(v.vault().id()));
    VaultSession two = vaults.openSession(List.of(v.vault().id()));
    assertEquals(List.of("API_KEY"), List.copyOf(one.environment().keySet()),
        "only environment variables are in the environment");
    String p1 = one.environment().get("API_KEY");
    String p2 = two.environment().get("API_KEY");
    assertNotEquals(p1, p2);
    assertEquals(p1, one.environment().get("API_KEY"), "stable within a session");
    assertSubstituted(post(one, "api.example.com", p2), false, false, p2);

    String credentialId = vaults.listCredentials(v.vault().id(), null).data().stream()
        .filter(c -> c.type() == CredentialType.ENVIRONMENT_VARIABLE).findFirst().orElseThrow()
        .id();
    vaults.updateCredential(v.vault().id(), credentialId,
        UpdateCredentialRequest.builder(CredentialType.ENVIRONMENT_VARIABLE)
            .secretValue(Secret.of("sv-updated-value")).build());
    Seen updated = post(one, "api.example.com", p1);
    assertEquals("sv-updated-value", updated.header("X-Api-Key"));

    vaults.archiveCredential(v.vault().id(), credentialId);
    assertSubstituted(post(one, "api.example.com", p1), false, false, p1);
    assertEquals(Map.of(), one.environment());
  }

  @Test
  void theFirstVaultInSessionOrderWins(VaultService vaults) throws Exception {
    CreatedVault first = vaults.createVault(CreateVaultRequest.builder().displayName("first")
        .addCredential(env("API_KEY", Networking.limited(List.of("first.example.com")),
            new InjectionLocation(true, true))).build());
    CreatedVault second = vaults.createVault(CreateVaultRequest.builder().displayName("second")
        .addCredential(env("API_KEY", Networking.unrestricted(),
            new InjectionLocation(true, true))).build());
    VaultSession session =
        vaults.openSession(List.of(first.vault().id(), second.vault().id()));
    String p = session.environment().get("API_KEY");
    assertSubstituted(post(session, "first.example.com", p), true, true, p);
    // The first vault's credential decides, so its networking applies: no fallback to the second.
    assertSubstituted(post(session, "other.example.com", p), false, false, p);
  }

  @Test
  void theReadmeExample(VaultService vaults) throws Exception {
    VaultSession session = session(vaults, env("API_KEY",
        Networking.limited(List.of("api.example.com")), new InjectionLocation(true, false)));
    // README:start
    Map<String, String> env = session.environment(); // {API_KEY=vaultenv_3f9c...}
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://api.example.com/v1/items"))
        .header("X-Api-Key", env.get("API_KEY")).build();
    // client: an HttpClient built with followRedirects(HttpClient.Redirect.NEVER)
    HttpResponse<String> response =
        session.send(client, request, HttpResponse.BodyHandlers.ofString());
    // README:end
    assertEquals(200, response.statusCode());
    assertEquals(VALUE, seen.get(0).header("X-Api-Key"));
  }
}
