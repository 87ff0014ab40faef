package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.testkit.PlaintextScanner;
import dev.vaultengine.testkit.SecretLeakGuard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credentials create --body}, {@code credentials update --body} and {@code sessions env}:
 * every kind from the REST request body on standard input, the merge patch, the field errors with
 * their {@code param}, and no secret of any kind in what these commands print or write.
 */
class CliCredentialKindsTest {
  private static final Pattern PLACEHOLDER = Pattern.compile("vaultenv_[0-9a-f]{32}");

  // Every secret the tests write; each must stay out of output and files.
  private static final String STATIC_TOKEN = "tok_static_kinds_0001";
  private static final String OAUTH_TOKEN = "oat_access_kinds_0002";
  private static final String REFRESH_TOKEN = "ort_refresh_kinds_0003";
  private static final String CLIENT_SECRET = "ocs_client_secret_kinds_0004";
  private static final String SECRET_VALUE = "sk-env-value-kinds-0005";
  private static final String BASIC_SECRET = "ocs_basic_secret_kinds_0006";
  private static final String OTHER_VALUE = "sk-other-value-kinds-0007";
  private static final String NEW_TOKEN = "oat_new_access_kinds_0008";
  private static final String NEW_REFRESH = "ort_new_refresh_kinds_0009";
  private static final String NEW_CLIENT_SECRET = "ocs_new_client_secret_kinds_0010";
  private static final String NEW_VALUE = "sk-new-env-value-kinds-0011";
  private static final String NEW_STATIC = "tok_new_static_kinds_0012";
  private static final String UNQUOTED = "tok_unquoted_kinds_0013";
  private static final List<String> SECRETS = List.of(STATIC_TOKEN, OAUTH_TOKEN, REFRESH_TOKEN,
      CLIENT_SECRET, SECRET_VALUE, BASIC_SECRET, OTHER_VALUE, NEW_TOKEN, NEW_REFRESH,
      NEW_CLIENT_SECRET, NEW_VALUE, NEW_STATIC, UNQUOTED);

  @TempDir
  Path dir;
  private CliRunner cli;
  private SecretLeakGuard guard;
  private String vaultId;
  private final String expiresAt = Instant.now().plus(Duration.ofDays(30))
      .truncatedTo(ChronoUnit.SECONDS).toString();

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    guard = new SecretLeakGuard(false);
    SECRETS.forEach(guard::token);
    guard.start();
    vaultId = newVault("kinds");
  }

  @AfterEach
  void noSecretPrintedOrWritten() throws Exception {
    guard.stop();
    assertEquals(List.of(), guard.leaks(), "a secret was printed");
    PlaintextScanner scanner = new PlaintextScanner(SECRETS);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().equals("kek.json")) {
          assertEquals(List.of(), scanner.findIn(Files.readAllBytes(f)), f.toString());
        }
      }
    }
  }

  /** A vault with one static_bearer credential (a vault is created with at least one). */
  private String newVault(String name) {
    return ok(STATIC_TOKEN + "\n", "vaults", "create", "--display-name", name, "--credential",
        "https://mcp.first.example/sse,sse").json().get("id").asText();
  }

  /** Runs a command whose output and errors are watched for secrets. */
  private CliRunner.Result run(String stdin, String... args) {
    CliRunner.Result r = cli.input(stdin, args);
    guard.record(r.out());
    guard.record(r.err());
    return r;
  }

  private CliRunner.Result ok(String stdin, String... args) {
    CliRunner.Result r = run(stdin, args);
    assertEquals(0, r.exitCode(), () -> String.join(" ", args) + ": " + r.err());
    assertEquals("", r.err());
    return r;
  }

  private JsonNode create(String body) {
    return ok(body, "credentials", "create", vaultId, "--body", "-").json();
  }

  private JsonNode update(String credentialId, String body) {
    return ok(body, "credentials", "update", vaultId, credentialId, "--body", "-").json();
  }

  private JsonNode get(String credentialId) {
    return ok("", "credentials", "get", vaultId, credentialId).json();
  }

  private static void assertError(CliRunner.Result r, int exit, String type, String message,
      String param) {
    assertEquals(exit, r.exitCode(), r.err());
    assertEquals("", r.out());
    JsonNode e = r.error().get("error");
    assertEquals(type, e.get("type").asText(), r.err());
    if (message != null) {
      assertEquals(message, e.get("message").asText());
    }
    assertEquals(param, e.get("param").isNull() ? null : e.get("param").asText(), r.err());
  }

  private CliRunner.Result createFails(String body) {
    return run(body, "credentials", "create", vaultId, "--body", "-");
  }

  private CliRunner.Result updateFails(String credentialId, String body) {
    return run(body, "credentials", "update", vaultId, credentialId, "--body", "-");
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private String authorization(String url) {
    // --reveal prints the token by design: not recorded by the guard.
    CliRunner.Result r = cli.run("sessions", "resolve", "--vault-ids", vaultId, "--url", url,
        "--reveal");
    assertEquals(0, r.exitCode(), r.err());
    return r.json().get("authorization").asText();
  }

  /** The Authorization header a session substitutes toward {@code host}, through the Java API. */
  private String substituted(String name, String host) {
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(dir))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build()) {
      VaultSession session = engine.forAccount("default").openSession(List.of(vaultId));
      String placeholder = session.environment().get(name);
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + "/v1/x"))
          .header("Authorization", "Bearer " + placeholder).GET().build();
      return session.substitute(request).headers().firstValue("Authorization").orElseThrow();
    }
  }

  private String staticBody() {
    return """
        {
          "mcp_server_url": "https://mcp.linear.app/sse",
          "protocol": "sse",
          "type": "static_bearer",
          "access_token": "%s"
        }
        """.formatted(STATIC_TOKEN);
  }

  private String oauthBody() {
    return """
        {
          "type": "mcp_oauth",
          "mcp_server_url": "https://mcp.notion.com/mcp",
          "protocol": "streamable_http",
          "access_token": "%s",
          "expires_at": "%s",
          "refresh": {
            "token_endpoint": "https://api.notion.com/v1/oauth/token",
            "client_id": "notion-client-123",
            "scope": "read write",
            "resource": "https://mcp.notion.com/mcp",
            "refresh_token": "%s",
            "token_endpoint_auth": {
              "type": "client_secret_post",
              "client_secret": "%s"
            }
          },
          "display_name": "Notion",
          "metadata": {"team": "docs"}
        }
        """.formatted(OAUTH_TOKEN, expiresAt, REFRESH_TOKEN, CLIENT_SECRET);
  }

  private String envBody() {
    return """
        {
          "type": "environment_variable",
          "secret_name": "OPENAI_API_KEY",
          "secret_value": "%s",
          "networking": {"type": "limited", "allowed_hosts": ["api.openai.com", "*.openai.com"]},
          "injection_location": {"header": true, "body": false},
          "display_name": "OpenAI"
        }
        """.formatted(SECRET_VALUE);
  }

  @Test
  void everyKindIsCreatedFromTheRestBodyOnStandardInput() {
    JsonNode bearer = create(staticBody());
    assertEquals(List.of("id", "vault_id", "mcp_server_url", "protocol", "type", "status",
        "created_at", "updated_at"), names(bearer), "a seeds request gets the seeds' response");
    assertEquals("static_bearer", bearer.get("type").asText());
    assertEquals("Bearer " + STATIC_TOKEN, authorization("https://mcp.linear.app/sse"));

    JsonNode oauth = create(oauthBody());
    assertEquals(List.of("id", "vault_id", "mcp_server_url", "protocol", "type", "expires_at",
        "refresh", "display_name", "metadata", "status", "created_at", "updated_at"),
        names(oauth));
    assertEquals("mcp_oauth", oauth.get("type").asText());
    assertEquals("streamable_http", oauth.get("protocol").asText());
    assertEquals(Json.time(Instant.parse(expiresAt)), oauth.get("expires_at").asText());
    assertEquals(Json.MAPPER.createObjectNode()
        .put("token_endpoint", "https://api.notion.com/v1/oauth/token")
        .put("client_id", "notion-client-123")
        .put("scope", "read write")
        .put("resource", "https://mcp.notion.com/mcp")
        .set("token_endpoint_auth", Json.MAPPER.createObjectNode()
            .put("type", "client_secret_post")), oauth.get("refresh"));
    assertEquals("Notion", oauth.get("display_name").asText());
    assertEquals("docs", oauth.get("metadata").get("team").asText());
    assertEquals("Bearer " + OAUTH_TOKEN, authorization("https://mcp.notion.com/mcp"));

    JsonNode basic = create("""
        {"type": "mcp_oauth", "mcp_server_url": "https://mcp.atlassian.com/v1/sse",
         "protocol": "sse", "access_token": "%s",
         "refresh": {"token_endpoint": "https://auth.atlassian.com/oauth/token",
                     "client_id": "atl-1", "refresh_token": "%s",
                     "token_endpoint_auth": {"type": "client_secret_basic",
                                             "client_secret": "%s"}}}
        """.formatted(OAUTH_TOKEN, REFRESH_TOKEN, BASIC_SECRET));
    assertTrue(basic.get("expires_at").isNull());
    assertTrue(basic.get("refresh").get("scope").isNull());
    assertEquals("client_secret_basic",
        basic.get("refresh").get("token_endpoint_auth").get("type").asText());
    assertFalse(basic.has("display_name"));

    JsonNode bare = create("""
        {"type": "mcp_oauth", "mcp_server_url": "https://mcp.github.com/mcp",
         "protocol": "streamable_http", "access_token": "%s"}""".formatted(OAUTH_TOKEN));
    assertTrue(bare.get("refresh").isNull());

    JsonNode env = create(envBody());
    assertEquals(List.of("id", "vault_id", "type", "secret_name", "networking",
        "injection_location", "display_name", "metadata", "status", "created_at", "updated_at"),
        names(env));
    assertEquals("OPENAI_API_KEY", env.get("secret_name").asText());
    assertEquals("limited", env.get("networking").get("type").asText());
    assertEquals(List.of("api.openai.com", "*.openai.com"),
        List.of(env.get("networking").get("allowed_hosts").get(0).asText(),
            env.get("networking").get("allowed_hosts").get(1).asText()));
    assertTrue(env.get("injection_location").get("header").asBoolean());
    assertFalse(env.get("injection_location").get("body").asBoolean());
    assertEquals("Bearer " + SECRET_VALUE, substituted("OPENAI_API_KEY", "api.openai.com"));

    JsonNode open = create("""
        {"type": "environment_variable", "secret_name": "STRIPE_KEY", "secret_value": "%s",
         "networking": {"type": "unrestricted"},
         "injection_location": {"header": true, "body": true}}""".formatted(OTHER_VALUE));
    assertEquals(Json.MAPPER.createObjectNode().put("type", "unrestricted"),
        open.get("networking"));

    // The list and get show the same shapes; the name filter finds a secret name.
    assertEquals(oauth, get(oauth.get("id").asText()));
    assertEquals(7, ok("", "credentials", "list", vaultId).json().get("data").size());
    JsonNode found = ok("", "credentials", "list", vaultId, "--name", "openai_api").json();
    assertEquals(1, found.get("data").size());
    assertEquals(env.get("id"), found.get("data").get(0).get("id"));
    String table = ok("", "--output", "table", "credentials", "list", vaultId).out();
    assertTrue(table.contains("OPENAI_API_KEY") && table.contains("mcp_oauth"), table);

    // The flag-based create still works beside --body.
    JsonNode flags = ok(NEW_STATIC + "\n", "credentials", "create", vaultId, "--mcp-server-url",
        "https://mcp.flags.example/sse", "--protocol", "sse").json();
    assertEquals("static_bearer", flags.get("type").asText());
  }

  @Test
  void aBodyComesFromAFileToo() throws Exception {
    Path file = dir.resolve("body.json");
    Files.writeString(file, envBody());
    try {
      JsonNode env = ok("", "credentials", "create", vaultId, "--body", "@" + file).json();
      assertEquals("OPENAI_API_KEY", env.get("secret_name").asText());
    } finally {
      Files.delete(file);
    }
    assertError(run("", "credentials", "create", vaultId, "--body", "@" + file), 2,
        "invalid_request_error", "Option '--body' names a file that could not be read: " + file
            + ".", "body");
    assertError(run("", "credentials", "create", vaultId, "--body", "body.json"), 2,
        "invalid_request_error", "Option '--body' must be - (standard input) or @FILE.", "body");
  }

  @Test
  void eachSecretIsReplacedAloneAndTheOthersKeepWorking() {
    String oauth = create(oauthBody()).get("id").asText();
    JsonNode before = get(oauth);

    JsonNode updated = update(oauth, """
        {"type": "mcp_oauth", "access_token": "%s"}""".formatted(NEW_TOKEN));
    assertEquals("Bearer " + NEW_TOKEN, authorization("https://mcp.notion.com/mcp"));
    assertEquals(before.get("refresh"), updated.get("refresh"));
    assertEquals(before.get("expires_at"), updated.get("expires_at"));
    assertNotEquals(before.get("updated_at"), updated.get("updated_at"));

    updated = update(oauth, """
        {"type": "mcp_oauth", "refresh": {"refresh_token": "%s"}}""".formatted(NEW_REFRESH));
    assertEquals(before.get("refresh"), updated.get("refresh"));
    assertEquals("Bearer " + NEW_TOKEN, authorization("https://mcp.notion.com/mcp"));

    updated = update(oauth, """
        {"type": "mcp_oauth", "refresh": {"token_endpoint_auth":
          {"type": "client_secret_basic", "client_secret": "%s"}}}""".formatted(NEW_CLIENT_SECRET));
    assertEquals("client_secret_basic",
        updated.get("refresh").get("token_endpoint_auth").get("type").asText());
    assertEquals("Bearer " + NEW_TOKEN, authorization("https://mcp.notion.com/mcp"));

    // Non-secret fields: null clears, a metadata key set to null is removed.
    updated = update(oauth, """
        {"type": "mcp_oauth", "expires_at": null, "refresh": {"scope": null},
         "protocol": "sse", "display_name": "Notion (docs)",
         "metadata": {"team": null, "owner": "ana"}}""");
    assertTrue(updated.get("expires_at").isNull());
    assertTrue(updated.get("refresh").get("scope").isNull());
    assertEquals("https://mcp.notion.com/mcp", updated.get("refresh").get("resource").asText());
    assertEquals("sse", updated.get("protocol").asText());
    assertEquals("Notion (docs)", updated.get("display_name").asText());
    assertEquals(Json.MAPPER.createObjectNode().put("owner", "ana"), updated.get("metadata"));
    assertEquals("Bearer " + NEW_TOKEN, authorization("https://mcp.notion.com/mcp"));

    updated = update(oauth, """
        {"type": "mcp_oauth", "refresh": null}""");
    assertTrue(updated.get("refresh").isNull());
    assertEquals("Bearer " + NEW_TOKEN, authorization("https://mcp.notion.com/mcp"));

    String env = create(envBody()).get("id").asText();
    update(env, """
        {"type": "environment_variable", "secret_value": "%s"}""".formatted(NEW_VALUE));
    assertEquals("Bearer " + NEW_VALUE, substituted("OPENAI_API_KEY", "api.openai.com"));
    JsonNode moved = update(env, """
        {"type": "environment_variable",
         "networking": {"type": "limited", "allowed_hosts": ["api.example.com"]},
         "injection_location": {"body": true}}""");
    assertEquals("api.example.com",
        moved.get("networking").get("allowed_hosts").get(0).asText());
    assertFalse(moved.get("injection_location").get("header").asBoolean(),
        "injection_location is replaced whole: a flag left out is false");
    assertTrue(moved.get("injection_location").get("body").asBoolean());

    String bearer = create(staticBody()).get("id").asText();
    JsonNode named = update(bearer, """
        {"type": "static_bearer", "access_token": "%s", "display_name": "Linear"}"""
        .formatted(NEW_STATIC));
    assertEquals("Linear", named.get("display_name").asText());
    assertEquals("Bearer " + NEW_STATIC, authorization("https://mcp.linear.app/sse"));
    JsonNode unnamed = update(bearer, """
        {"type": "static_bearer", "display_name": null}""");
    assertFalse(unnamed.has("display_name"), "back to the seeds' shape");
  }

  @Test
  void lockedFieldsAreRefusedAndNothingIsWritten() {
    String oauth = create(oauthBody()).get("id").asText();
    String env = create(envBody()).get("id").asText();
    JsonNode oauthBefore = get(oauth);
    JsonNode envBefore = get(env);
    String locked = "Field '%s' cannot be changed after the credential is created; omit it.";
    assertError(updateFails(oauth, """
        {"type": "mcp_oauth", "access_token": "%s",
         "mcp_server_url": "https://mcp.notion.com/other"}""".formatted(NEW_TOKEN)), 2,
        "invalid_request_error", locked.formatted("mcp_server_url"), "mcp_server_url");
    assertError(updateFails(oauth, """
        {"type": "mcp_oauth", "refresh": {"token_endpoint": "https://evil.example/token",
         "refresh_token": "%s"}}""".formatted(NEW_REFRESH)), 2,
        "invalid_request_error", locked.formatted("refresh.token_endpoint"),
        "refresh.token_endpoint");
    assertError(updateFails(oauth, """
        {"type": "mcp_oauth", "refresh": {"client_id": "other"}}"""), 2,
        "invalid_request_error", locked.formatted("refresh.client_id"), "refresh.client_id");
    assertError(updateFails(env, """
        {"type": "environment_variable", "secret_name": "OTHER",
         "secret_value": "%s"}""".formatted(NEW_VALUE)), 2,
        "invalid_request_error", locked.formatted("secret_name"), "secret_name");
    assertError(updateFails(env, """
        {"type": "environment_variable", "secret_name": null}"""), 2,
        "invalid_request_error", locked.formatted("secret_name"), "secret_name");
    String bearer = create(staticBody()).get("id").asText();
    assertError(updateFails(bearer, """
        {"type": "static_bearer", "mcp_server_url": "https://mcp.linear.app/mcp"}"""), 2,
        "invalid_request_error", locked.formatted("mcp_server_url"), "mcp_server_url");

    // Other refusals of the service, printed the same way.
    assertError(updateFails(env, """
        {"type": "static_bearer", "access_token": "%s"}""".formatted(NEW_TOKEN)), 2,
        "invalid_request_error", null, "type");
    assertError(updateFails(env, """
        {"type": "environment_variable", "secret_value": null}"""), 2,
        "invalid_request_error", "Field 'secret_value' cannot be cleared.", "secret_value");
    assertError(updateFails(env, "{\"type\": \"environment_variable\"}"), 2,
        "invalid_request_error", "At least one field to change must be given.", null);

    assertEquals(oauthBefore, get(oauth));
    assertEquals(envBefore, get(env));
    assertEquals("Bearer " + OAUTH_TOKEN, authorization("https://mcp.notion.com/mcp"));
    assertEquals("Bearer " + SECRET_VALUE, substituted("OPENAI_API_KEY", "api.openai.com"));

    ok("", "credentials", "archive", vaultId, env);
    assertEquals("conflict_error", updateFails(env, """
        {"type": "environment_variable", "secret_value": "%s"}""".formatted(NEW_VALUE))
        .error().get("error").get("type").asText());
  }

  @Test
  void badBodiesAreInvalidRequestsNamingTheFieldAndWriteNothing() {
    String invalid = "invalid_request_error";
    // Syntax: the message gives the place, never the text (here a secret written unquoted).
    CliRunner.Result unquoted = createFails("""
        {"type": "static_bearer", "access_token": %s}""".formatted(UNQUOTED));
    assertError(unquoted, 2, invalid, null, "access_token");
    String message = unquoted.error().get("error").get("message").asText();
    assertTrue(message.startsWith("The request body is not valid JSON at line 1, column "),
        message);
    assertError(createFails("{\"type\": \"mcp_oauth\", \"refresh\": {\"client_id\": "), 2, invalid,
        null, "refresh.client_id");
    assertTrue(createFails("{\"type\": ").err().contains("ends before its JSON is complete"));
    assertError(createFails(""), 2, invalid, "Request body is required.", null);
    assertError(createFails("[]"), 2, invalid, "The request body must be a JSON object.", null);
    assertError(createFails(staticBody() + " {}"), 2, invalid,
        "The request body must be one JSON object with nothing after it.", null);

    // JSON types.
    assertError(createFails("""
        {"type": "static_bearer", "mcp_server_url": 42, "protocol": "sse"}"""), 2, invalid,
        "Field 'mcp_server_url' must be a string.", "mcp_server_url");
    assertError(createFails("""
        {"type": "static_bearer", "mcp_server_url": "https://a.example/", "protocol": "sse",
         "access_token": 12345678901234}"""), 2, invalid,
        "Field 'access_token' must be a string.", "access_token");
    assertError(createFails("""
        {"type": "mcp_oauth", "refresh": {"token_endpoint_auth": {"type": 1}}}"""), 2, invalid,
        "Field 'type' must be a string.", "refresh.token_endpoint_auth.type");
    assertError(createFails("""
        {"type": "environment_variable", "injection_location": {"header": "yes"}}"""), 2,
        invalid, "Field 'header' must be true or false.", "injection_location.header");
    assertError(createFails("""
        {"type": "environment_variable",
         "networking": {"type": "limited", "allowed_hosts": ["a.example.com", 5]}}"""), 2,
        invalid, "Field 'allowed_hosts' must be an array of strings.",
        "networking.allowed_hosts[1]");
    assertError(createFails("""
        {"type": "environment_variable", "networking": "limited"}"""), 2, invalid,
        "Field 'networking' must be an object.", "networking");
    assertError(createFails("""
        {"type": "environment_variable", "metadata": {"team": 1}}"""), 2, invalid, null,
        "metadata.team");
    assertError(createFails("""
        {"type": "mcp_oauth", "expires_at": "tomorrow"}"""), 2, invalid,
        "Field 'expires_at' must be an RFC 3339 timestamp.", "expires_at");

    // Unknown and repeated fields.
    assertError(createFails("""
        {"type": "static_bearer", "token": "%s"}""".formatted(STATIC_TOKEN)), 2, invalid,
        "Unknown field 'token'.", "token");
    assertError(createFails("""
        {"type": "mcp_oauth", "refresh": {"client_secret": "%s"}}""".formatted(CLIENT_SECRET)),
        2, invalid, "Unknown field 'refresh.client_secret'.", "refresh.client_secret");
    assertError(createFails("""
        {"type": "static_bearer", "type": "mcp_oauth"}"""), 2, invalid,
        "Field 'type' is given more than once.", "type");
    assertError(createFails("""
        {"type": "environment_variable", "networking": {"type": "open"}}"""), 2, invalid,
        "Field 'type' must be one of: unrestricted, limited.", "networking.type");

    // The service's own rules come through with their params.
    assertError(createFails("""
        {"mcp_server_url": "https://a.example/", "protocol": "sse",
         "access_token": "%s"}""".formatted(STATIC_TOKEN)), 2, invalid,
        "Field 'type' is required.", "type");
    assertError(createFails("""
        {"type": "mcp_oauth", "mcp_server_url": "https://a.example/", "protocol": "sse",
         "access_token": "%s", "expires_at": "2001-01-01T00:00:00Z"}""".formatted(OAUTH_TOKEN)),
        2, invalid, "Field 'expires_at' must be in the future.", "expires_at");
    assertError(createFails("""
        {"type": "environment_variable", "secret_name": "1BAD", "secret_value": "%s",
         "networking": {"type": "unrestricted"},
         "injection_location": {"header": true}}""".formatted(SECRET_VALUE)), 2, invalid,
        null, "secret_name");
    assertError(createFails("""
        {"type": "static_bearer", "mcp_server_url": "https://a.example/", "protocol": "sse",
         "access_token": "%s", "secret_value": "%s"}""".formatted(STATIC_TOKEN, SECRET_VALUE)),
        2, invalid, "Field 'secret_value' does not apply to static_bearer credentials.",
        "secret_value");
    create(envBody());
    assertError(createFails(envBody()), 4, "conflict_error",
        "A credential already exists for this secret name.", "secret_name");

    // --body excludes the flags.
    assertError(run(staticBody(), "credentials", "create", vaultId, "--body", "-",
        "--protocol", "sse"), 2, invalid, null, "body");
    assertError(run("", "credentials", "create", vaultId), 2, invalid, null, "mcp_server_url");

    // Updates parse the same way.
    String env = ok("", "credentials", "list", vaultId).json().get("data").get(0).get("id")
        .asText();
    assertError(updateFails(env, """
        {"type": "environment_variable", "secret_value": %s}""".formatted(UNQUOTED)), 2,
        invalid, null, "secret_value");
    assertError(updateFails(env, """
        {"type": "environment_variable", "secret_value": ["%s"]}""".formatted(NEW_VALUE)), 2,
        invalid, "Field 'secret_value' must be a string.", "secret_value");
    assertError(updateFails(env, """
        {"type": "environment_variable", "metadata": null}"""), 2, invalid, null, "metadata");

    assertEquals(2, ok("", "credentials", "list", vaultId).json().get("data").size(),
        "only the one good create wrote");
    assertEquals("Bearer " + SECRET_VALUE, substituted("OPENAI_API_KEY", "api.openai.com"));
  }

  @Test
  void sessionsEnvPrintsNamesAndPlaceholdersNeverValues() {
    create(envBody());
    create("""
        {"type": "environment_variable", "secret_name": "STRIPE_KEY", "secret_value": "%s",
         "networking": {"type": "unrestricted"},
         "injection_location": {"header": true, "body": true}}""".formatted(OTHER_VALUE));
    create(staticBody());
    String second = newVault("second");
    ok("""
        {"type": "environment_variable", "secret_name": "OPENAI_API_KEY", "secret_value": "%s",
         "networking": {"type": "unrestricted"},
         "injection_location": {"header": true}}""".formatted(NEW_VALUE),
        "credentials", "create", second, "--body", "-");

    JsonNode env = ok("", "sessions", "env", "--vault-ids", vaultId + "," + second).json();
    assertEquals(List.of("vault_ids", "environment"), names(env));
    assertEquals(List.of(vaultId, second), List.of(env.get("vault_ids").get(0).asText(),
        env.get("vault_ids").get(1).asText()));
    assertEquals(List.of("OPENAI_API_KEY", "STRIPE_KEY"), names(env.get("environment")));
    for (JsonNode placeholder : env.get("environment")) {
      assertTrue(PLACEHOLDER.matcher(placeholder.asText()).matches(), placeholder.asText());
    }
    assertNotEquals(env.get("environment").get("OPENAI_API_KEY"),
        env.get("environment").get("STRIPE_KEY"));

    assertEquals(Map.of(), Json.MAPPER.convertValue(ok("", "sessions", "env", "--vault-ids",
        newVault("no variables")).json()
        .get("environment"), Map.class));
    String table = ok("", "--output", "table", "sessions", "env", "--vault-ids", second).out();
    assertTrue(table.contains("OPENAI_API_KEY"), table);
    assertError(run("", "sessions", "env", "--vault-ids",
        "vault_019e3bb940277f0db05ab74291acf6ef"), 3, "not_found_error", null, null);
  }
}
