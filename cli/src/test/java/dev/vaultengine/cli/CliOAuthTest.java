package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultengine.testkit.PlaintextScanner;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credentials validate} and {@code sessions resolve} refresh an mcp_oauth credential as a
 * host's engine does, against a real OAuth server library on loopback (navikt's
 * mock-oauth2-server, which issues a refresh token through its authorization-code flow and rotates
 * it); no token, refresh token or client secret is printed or written in clear.
 */
class CliOAuthTest {
  private static final String CLIENT_ID = "cli-client";
  private static final String CLIENT_SECRET = "cs-cli-oauth-test-61c2";
  private static final String REDIRECT = "http://127.0.0.1/callback";
  private static final String URL = "https://mcp.oauth.example/mcp";

  @TempDir
  Path dir;
  private MockOAuth2Server server;
  private String base;
  private CliRunner cli;
  private final List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET));

  @BeforeEach
  void start() throws Exception {
    server = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    base = "http://127.0.0.1:" + server.baseUrl().port() + "/cli-issuer";
    cli = new CliRunner(dir);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
    PlaintextScanner scanner = new PlaintextScanner(secrets);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().equals("kek.json")) {
          assertEquals(List.of(), scanner.findIn(Files.readAllBytes(f)), f.toString());
        }
      }
    }
  }

  /** Tokens from the server's authorization-code flow: {access_token, refresh_token}. */
  private JsonNode grant() throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String query = "client_id=" + CLIENT_ID + "&response_type=code&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid%20offline_access"
        + "&state=s";
    HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(
        URI.create(base + "/authorize?" + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String location = authorize.headers().firstValue("Location").orElseThrow();
    String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    String form = "grant_type=authorization_code&code=" + code + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&client_id=" + CLIENT_ID
        + "&client_secret=" + CLIENT_SECRET;
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, token.statusCode());
    return new ObjectMapper().readTree(token.body());
  }

  private CliRunner.Result ok(String stdin, String... args) {
    CliRunner.Result r = cli.input(stdin, args);
    assertEquals(0, r.exitCode(), () -> String.join(" ", args) + ": " + r.err());
    for (String s : secrets) {
      assertFalse(r.out().contains(s) || r.err().contains(s), "a secret was printed");
    }
    return r;
  }

  @Test
  void validateAndResolveRefreshAgainstARealOAuthServer() throws Exception {
    JsonNode tokens = grant();
    String access = tokens.get("access_token").asText();
    String refresh = tokens.get("refresh_token").asText();
    secrets.add(access);
    secrets.add(refresh);
    String vault = ok("tok_static_cli_oauth\n", "vaults", "create", "--display-name", "o",
        "--credential", "https://static.example/sse,sse").json().get("id").asText();
    secrets.add("tok_static_cli_oauth");
    // Due at once: it expires within the engine's 60 s refresh window.
    String expiresAt = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS).toString();
    String credential = ok("""
        {"type": "mcp_oauth", "mcp_server_url": "%s", "protocol": "streamable_http",
         "access_token": "%s", "expires_at": "%s",
         "refresh": {"token_endpoint": "%s/token", "client_id": "%s",
                     "scope": "openid offline_access", "refresh_token": "%s",
                     "token_endpoint_auth": {"type": "client_secret_post",
                                             "client_secret": "%s"}}}"""
        .formatted(URL, access, expiresAt, base, CLIENT_ID, refresh, CLIENT_SECRET),
        "credentials", "create", vault, "--body", "-").json().get("id").asText();

    JsonNode validation = ok("", "credentials", "validate", vault, credential).json();
    assertEquals("vault_credential_validation", validation.get("type").asText());
    assertEquals("valid", validation.get("status").asText());
    assertEquals("succeeded", validation.get("refresh").get("status").asText());
    assertTrue(validation.get("has_refresh_token").asBoolean());

    JsonNode resolved = ok("", "sessions", "resolve", "--vault-ids", vault, "--url", URL).json();
    assertEquals("mcp_oauth", resolved.get("type").asText());
    assertFalse(resolved.has("refresh_problem"), resolved.toString());
    Instant expires = Instant.parse(resolved.get("expires_at").asText());
    assertTrue(expires.isAfter(Instant.now().plusSeconds(60)), "the refreshed token's expiry");

    JsonNode revealed = ok("", "sessions", "resolve", "--vault-ids", vault, "--url", URL,
        "--reveal").json();
    String header = revealed.get("authorization").asText();
    assertTrue(header.startsWith("Bearer "));
    String served = header.substring(7);
    assertNotEquals(access, served, "a token the server issued at the refresh");
    assertEquals(3, served.split("\\.").length, "a JWT signed by the server");
  }

  @Test
  void withoutARefreshGrantValidateSaysSo() {
    String vault = ok("tok_static_cli_oauth_2\n", "vaults", "create", "--display-name", "o",
        "--credential", "https://static.example/sse,sse").json().get("id").asText();
    secrets.add("tok_static_cli_oauth_2");
    secrets.add("oat_cli_no_refresh_0001");
    String credential = ok("""
        {"type": "mcp_oauth", "mcp_server_url": "%s", "protocol": "sse",
         "access_token": "oat_cli_no_refresh_0001"}""".formatted(URL),
        "credentials", "create", vault, "--body", "-").json().get("id").asText();
    JsonNode validation = ok("", "credentials", "validate", vault, credential).json();
    assertEquals("unknown", validation.get("status").asText());
    assertEquals("no_refresh_token", validation.get("refresh").get("status").asText());
    assertFalse(validation.get("has_refresh_token").asBoolean());
  }
}
