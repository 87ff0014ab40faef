package dev.vaultengine.testkit;

import static dev.vaultengine.testkit.VaultAssertions.assertBearer;
import static dev.vaultengine.testkit.VaultAssertions.assertInjects;
import static dev.vaultengine.testkit.VaultAssertions.assertInjectsNothing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a host runtime tests injection: a local MCP-like server on loopback requires the bearer
 * token; the agent's connection gets 200 with the session's injection, 401 without it, and 401
 * again once the credential is archived.
 */
@ExtendWith(VaultEngineExtension.class)
class HostInjectionExampleTest {
  private static final String TOKEN = "mcp_secret_for_the_test_server";
  private HttpServer server;
  private String url;
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/mcp", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      int status = ("Bearer " + TOKEN).equals(auth) ? 200 : 401;
      byte[] body = (status == 200 ? "ok" : "unauthorized").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** What the host does when its agent connects: inject if the session has a credential. */
  private int connect(VaultSession session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5));
    session.resolve(url).ifPresent(c -> c.applyTo(request));
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void injectionAuthenticatesAndArchivalRevokes(VaultService vaults) throws Exception {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("local")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
            .protocol(Protocol.STREAMABLE_HTTP).accessToken(TOKEN).build())
        .build());
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    assertInjects(session, url, TOKEN);
    HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(url));
    session.resolve(url).orElseThrow().applyTo(probe);
    assertBearer(probe.build(), TOKEN);

    assertEquals(200, connect(session), "with the session's injection");

    VaultSession unrelated = vaults.openSession(List.of(vaults.createVault(
        CreateVaultRequest.builder().displayName("other").addCredential(CreateCredentialRequest
            .builder().mcpServerUrl("https://elsewhere.example/mcp").protocol(Protocol.SSE)
            .accessToken("tok_elsewhere").build()).build()).vault().id()));
    assertInjectsNothing(unrelated, url);
    assertEquals(401, connect(unrelated), "without injection");

    vaults.archiveCredential(v.vault().id(), v.credentials().get(0).id());
    assertInjectsNothing(session, url);
    assertEquals(401, connect(session), "after the credential is archived");
  }
}
