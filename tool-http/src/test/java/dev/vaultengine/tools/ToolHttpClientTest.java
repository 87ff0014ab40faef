package dev.vaultengine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.SecretLeakGuard;
import dev.vaultengine.testkit.VaultEngineExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tool's HTTP calls through {@link ToolHttpClient} against a loopback server reached under two
 * names: {@code 127.0.0.1}, which the credential allows, and {@code localhost}, which it does not.
 */
@ExtendWith(VaultEngineExtension.class)
class ToolHttpClientTest {
  private static final String VALUE = "sk-tool-0123456789abcdef";
  private static final SecretLeakGuard GUARD = new SecretLeakGuard(false);

  /** One request as the server saw it: the Host header, the path and the API key header. */
  record Seen(String host, String path, String apiKey, String body) {}

  private HttpServer server;
  private int port;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void guard() {
    GUARD.token(VALUE);
    GUARD.start();
  }

  @AfterAll
  static void noLeak() {
    GUARD.stop();
    assertEquals(List.of(), GUARD.leaks());
  }

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange.getRequestHeaders().getFirst("Host"),
          exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("X-Api-Key"),
          new String(body, StandardCharsets.UTF_8)));
      if (exchange.getRequestURI().getPath().equals("/never")) {
        try {
          Thread.sleep(3_000); // answers only after the client gave up
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(200, -1);
      } else if (exchange.getRequestURI().getPath().equals("/redirect")) {
        exchange.getResponseHeaders().add("Location", "http://localhost:" + port + "/landing");
        exchange.sendResponseHeaders(302, -1);
      } else {
        exchange.sendResponseHeaders(200, -1);
      }
      exchange.close();
    });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static VaultSession session(VaultService vaults) {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("tools")
        .addCredential(CreateCredentialRequest.builder().type(CredentialType.ENVIRONMENT_VARIABLE)
            .secretName("API_KEY").secretValue(Secret.of(VALUE))
            .networking(Networking.limited(List.of("127.0.0.1")))
            .injectionLocation(new InjectionLocation(true, false)).build())
        .build());
    return vaults.openSession(List.of(v.vault().id()));
  }

  private HttpRequest post(String host, String path, String placeholder) {
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .header("X-Api-Key", placeholder)
        .POST(HttpRequest.BodyPublishers.ofString("key=" + placeholder))
        .timeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void theAllowedHostGetsTheValueWhereAllowedAndAnyOtherHostThePlaceholder(VaultService vaults)
      throws Exception {
    ToolHttpClient http = ToolHttpClient.of(session(vaults));
    String placeholder = http.placeholder("API_KEY");
    assertEquals(placeholder, http.environment().get("API_KEY"));
    assertFalse(placeholder.contains(VALUE));

    assertEquals(200, http.send(post("127.0.0.1", "/api", placeholder),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    assertEquals(200, http.send(post("localhost", "/api", placeholder),
        HttpResponse.BodyHandlers.discarding()).statusCode());

    assertEquals(2, seen.size());
    assertEquals("127.0.0.1:" + port, seen.get(0).host());
    assertTrue(VALUE.equals(seen.get(0).apiKey()), "the allowed host got the value in the header");
    assertEquals("key=" + placeholder, seen.get(0).body(), "the body is not an allowed location");
    assertEquals("localhost:" + port, seen.get(1).host());
    assertEquals(placeholder, seen.get(1).apiKey(), "another host gets the placeholder");
  }

  @Test
  void aRedirectToAnotherHostCarriesThePlaceholder(VaultService vaults) throws Exception {
    ToolHttpClient http = ToolHttpClient.of(session(vaults));
    String placeholder = http.placeholder("API_KEY");
    HttpResponse<Void> response = http.send(post("127.0.0.1", "/redirect", placeholder),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(200, response.statusCode());
    assertEquals(2, seen.size());
    assertTrue(VALUE.equals(seen.get(0).apiKey()));
    assertEquals("/landing", seen.get(1).path());
    assertEquals("localhost:" + port, seen.get(1).host());
    assertEquals(placeholder, seen.get(1).apiKey());
  }

  /**
   * A request that sets no timeout gets the client's, so a server that never answers does not
   * hang the tool; one that sets its own keeps it.
   */
  @Test
  void aRequestWithoutATimeoutGetsTheClients(VaultService vaults) throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .build();
    ToolHttpClient http = ToolHttpClient.of(session(vaults), client, Duration.ofMillis(300));
    HttpRequest untimed = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/never")).build();
    long start = System.nanoTime();
    assertThrows(java.net.http.HttpTimeoutException.class,
        () -> http.send(untimed, HttpResponse.BodyHandlers.discarding()));
    assertTrue(System.nanoTime() - start < 2_500_000_000L, "gave up before the server answered");
    HttpRequest own = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ok"))
        .timeout(Duration.ofSeconds(10)).build();
    assertEquals(200, http.send(own, HttpResponse.BodyHandlers.discarding()).statusCode(),
        "a request's own timeout is kept (the server is free again after /never)");
    assertThrows(IllegalArgumentException.class,
        () -> ToolHttpClient.of(session(vaults), client, Duration.ZERO));
  }

  @Test
  void aClientThatFollowsRedirectsIsRefusedWhenTheToolIsSetUp(VaultService vaults) {
    HttpClient following = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ToolHttpClient.of(session(vaults), following));
    assertTrue(e.getMessage().contains("Redirect.NEVER"), e.getMessage());
    ToolHttpClient ok = ToolHttpClient.of(session(vaults), HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER).build());
    assertTrue(ok.placeholder("API_KEY").startsWith("vaultenv_"));
  }

  @Test
  void anUnknownNameIsNamedNeverGuessed(VaultService vaults) {
    ToolHttpClient http = ToolHttpClient.of(session(vaults));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> http.placeholder("OPENAI_API_KEY"));
    GUARD.record(e);
    assertEquals("The session has no environment_variable named 'OPENAI_API_KEY'", e.getMessage());
  }
}
