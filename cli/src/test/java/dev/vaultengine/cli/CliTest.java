package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command, the documented errors with their exit codes, and tokens kept out of output. */
class CliTest {
  private static final String TOKEN = "tok_cli_secret_value_123";

  @TempDir
  Path dir;
  private CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  private String createVault(String name, String url) {
    CliRunner.Result r = cli.input(TOKEN + "\n", "vaults", "create", "--display-name", name,
        "--credential", url + ",sse");
    assertEquals(0, r.exitCode(), r.err());
    return r.json().get("id").asText();
  }

  private static void assertError(CliRunner.Result r, int exit, String type, String message,
      String param) {
    assertEquals(exit, r.exitCode(), r.err());
    assertEquals("", r.out());
    JsonNode e = r.error();
    assertEquals("error", e.get("type").asText());
    assertEquals(type, e.get("error").get("type").asText());
    if (message != null) {
      assertEquals(message, e.get("error").get("message").asText());
    }
    assertEquals(param, e.get("error").get("param").isNull() ? null
        : e.get("error").get("param").asText());
  }

  @Test
  void documentedErrorsHaveTheirMessagesAndExitCodes() {
    assertError(cli.run("vaults", "create", "--display-name", "empty"), 2,
        "invalid_request_error", "At least one credential is required when creating a vault.",
        "credentials");
    assertError(cli.input("", "vaults", "create", "--display-name", "v", "--credential",
        "https://a.example/mcp,sse"), 2, "invalid_request_error",
        "Field 'access_token' is required for static_bearer type.",
        "credentials[0].access_token");
    String missing = "vault_019e3bb940277f0db05ab74291acf6ef";
    assertError(cli.run("vaults", "get", missing), 3, "not_found_error",
        "Vault '" + missing + "' was not found.", null);
    assertError(cli.input(TOKEN + "\n", "credentials", "create", missing, "--mcp-server-url",
        "https://a.example/mcp", "--protocol", "sse"), 3, "not_found_error",
        "Vault '" + missing + "' was not found.", null);
    assertError(cli.run("credentials", "list", missing), 3, "not_found_error",
        "Vault '" + missing + "' was not found.", null);
    String id = createVault("v", "https://a.example/mcp");
    assertError(cli.input(TOKEN + "\n", "credentials", "create", id, "--mcp-server-url",
        "https://A.EXAMPLE/mcp", "--protocol", "sse"), 4, "conflict_error",
        "A credential already exists for this MCP server URL.", "mcp_server_url");
    assertError(cli.input("", "credentials", "create", id, "--mcp-server-url",
        "https://b.example/mcp", "--protocol", "sse"), 2, "invalid_request_error",
        "Field 'access_token' is required for static_bearer type.", "access_token");
    assertError(cli.input(TOKEN + "\n", "credentials", "create", id, "--mcp-server-url",
        "https://b.example/mcp", "--protocol", "websocket"), 2, "invalid_request_error",
        "Field 'protocol' must be one of: sse, streamable_http.", "protocol");
    assertError(cli.input(TOKEN + "\n", "credentials", "create", id, "--mcp-server-url",
        "https://b.example/mcp", "--protocol", "sse", "--type", "oauth"), 2,
        "invalid_request_error", "Field 'type' must be one of: static_bearer, mcp_oauth, environment_variable.", "type");
    assertError(cli.run("vaults", "list", "--limit", "0"), 2, "invalid_request_error",
        "Field 'limit' must be between 1 and 100.", "limit");
    assertError(cli.run("vaults", "list", "--created-at-gte", "yesterday"), 2,
        "invalid_request_error", "Field 'created_at[gte]' must be an RFC 3339 timestamp.",
        "created_at[gte]");
    assertError(cli.run("vaults", "update", id), 2, "invalid_request_error",
        "At least one of 'display_name' or 'metadata' must be given.", null);
    assertEquals(0, cli.run("vaults", "archive", id).exitCode());
    assertError(cli.run("vaults", "archive", id), 4, "conflict_error",
        "Vault '" + id + "' is already archived.", null);
    assertError(cli.run("vaults", "frobnicate"), 2, "invalid_request_error", null, null);
    assertError(cli.run("vaults", "list", "--after-id", id, "--before-id", id), 2,
        "invalid_request_error", null, null);
  }

  @Test
  void everyCommandWorksAndNoTokenIsPrintedWithoutReveal() throws Exception {
    String a = createVault("alpha", "https://a.example/mcp");
    String b = createVault("beta", "https://a.example/mcp");
    JsonNode updated = cli.run("vaults", "update", a, "--display-name", "alpha2",
        "--metadata", "env=prod", "--metadata", "team=x").json();
    assertEquals("alpha2", updated.get("display_name").asText());
    assertEquals("prod", updated.get("metadata").get("env").asText());
    JsonNode patched = cli.run("vaults", "update", a, "--metadata", "team=").json();
    assertFalse(patched.get("metadata").has("team"));
    assertEquals(a, cli.run("vaults", "get", a).json().get("id").asText());
    assertEquals(1, cli.run("vaults", "list", "--limit", "1").json().get("data").size());
    assertEquals(1, cli.run("vaults", "list", "--name", "ALPHA").json().get("data").size());

    CliRunner.Result resolved = cli.run("sessions", "resolve", "--vault-ids", a + "," + b,
        "--url", "https://a.example/mcp");
    assertEquals(a, resolved.json().get("vault_id").asText());
    assertFalse(resolved.json().has("authorization"));
    assertFalse(resolved.out().contains(TOKEN));
    CliRunner.Result revealed = cli.run("sessions", "resolve", "--vault-ids", b, "--url",
        "https://a.example/mcp", "--reveal");
    assertEquals("Bearer " + TOKEN, revealed.json().get("authorization").asText());
    assertEquals(List.of("matched"), List.copyOf(iterable(cli.run("sessions", "resolve",
        "--vault-ids", a, "--url", "https://nowhere.example/").json())));

    JsonNode explained = cli.run("sessions", "explain", "--vault-ids", a, "--url",
        "https://a.example/mcp/").json();
    assertEquals("trailing_slash",
        explained.get("near_misses").get(0).get("differences").get(0).asText());

    String credential = cli.run("credentials", "list", a).json().get("data").get(0).get("id")
        .asText();
    CliRunner.Result rotated = cli.input("tok_rotated_987654\n", "credentials", "rotate", a,
        credential);
    assertEquals(0, rotated.exitCode(), rotated.err());
    assertEquals("archived", cli.run("credentials", "get", a, credential).json().get("status")
        .asText());
    String fresh = rotated.json().get("id").asText();
    assertEquals("vault_credential_deleted",
        cli.run("credentials", "delete", a, fresh).json().get("type").asText());

    JsonNode keys = cli.run("keys", "rotate").json();
    assertEquals(2, keys.get("keys").size());
    assertEquals(1, keys.get("tokens_on_older_keys").asInt());
    CliRunner.Result reencrypted = cli.run("keys", "reencrypt");
    JsonNode report = reencrypted.json();
    assertEquals(1, report.get("reencrypted").asInt());
    assertEquals("", reencrypted.err(), "no progress line when the output is not a terminal");
    assertEquals(0, cli.run("keys", "status").json().get("tokens_on_older_keys").asInt());

    String table = cli.run("--output", "table", "vaults", "list").out();
    assertTrue(table.startsWith("ID"), table);
    assertTrue(table.contains("beta"), table);
    assertEquals("vault_deleted", cli.run("vaults", "delete", b).json().get("type").asText());
    assertEquals(3, cli.run("vaults", "get", b).exitCode());

    for (Path f : Files.list(dir).toList()) {
      if (!f.getFileName().toString().equals("kek.json")) {
        assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains(TOKEN), f.toString());
      }
    }
  }

  private static java.util.List<String> iterable(JsonNode n) {
    java.util.List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aJdbcUrlAndAKmsKeyUriCanReplaceTheDefaults() {
    String url = "jdbc:h2:file:" + dir.resolve("elsewhere/db") + ";WRITE_DELAY=0";
    String kms = "test-kms://key-1";
    CliRunner.Result created = cli.input(TOKEN + "\n", "--db-url", url, "--kms-key-uri", kms,
        "vaults", "create", "--display-name", "remote", "--credential", "https://r.example/,sse");
    assertEquals(0, created.exitCode(), created.err());
    String id = created.json().get("id").asText();
    assertEquals(id, cli.run("--db-url", url, "--kms-key-uri", kms, "vaults", "list").json()
        .get("data").get(0).get("id").asText());
    assertEquals("Bearer " + TOKEN, cli.run("--db-url", url, "--kms-key-uri", kms, "sessions",
        "resolve", "--vault-ids", id, "--url", "https://r.example/", "--reveal").json()
        .get("authorization").asText());
    // The default data directory was not touched, and another KEK cannot open the database.
    assertEquals(0, cli.run("vaults", "list").json().get("data").size());
    assertError(cli.run("--db-url", url, "--kms-key-uri", "test-kms://key-2", "vaults",
        "list"), 1, "api_error", null, null);
    assertError(cli.run("--db-url", "jdbc:oracle:thin:@x", "vaults", "list"), 2,
        "invalid_request_error",
        "Field 'db_url' must be a jdbc:sqlite:, jdbc:h2:, jdbc:postgresql: or jdbc:mariadb: URL.", "db_url");
  }

  @Test
  void theDemoTellsTheStoryAndFindsNoTokenOnDisk() {
    CliRunner.Result r = cli.run("demo", "--data-dir", dir.resolve("demo").toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String step : List.of("1. A vault with credentials", "2. Cursor pagination",
        "3. A session", "4. Rotation", "5. Archive", "6. Explain a mistyped URL",
        "7. Other kinds", "8. Events and a tamper-evident audit trail",
        "9. No secret on disk")) {
      assertTrue(r.out().contains(step), step);
    }
    assertTrue(r.out().contains("same 25 vaults in the same order: yes"), r.out());
    assertTrue(r.out().contains("injects nothing"), r.out());
    assertTrue(r.out().contains("[TRAILING_SLASH]"), r.out());
    assertTrue(r.out().contains("none found."), r.out());
    assertTrue(r.out().contains("chained with MACs: intact"), r.out());
    assertTrue(r.out().contains("vault_credential.rotated=1"), r.out());
    assertTrue(r.out().contains("Its HMAC under the audit key is in 1 entry ([vault.create])"),
        r.out());
    assertTrue(r.out().contains("Session [Team A, Team B] injects Team A's"), r.out());
    assertTrue(r.out().contains("Session [Team B, Team A] injects Team B's"), r.out());
    assertTrue(r.out().contains("\"type\" : \"mcp_oauth\""), r.out());
    assertTrue(r.out().contains("OPENAI_API_KEY=vaultenv_"), r.out());
    assertTrue(r.out().contains("api.openai.com carries Authorization: Bearer <the value, "
        + "substituted"), r.out());
    assertTrue(r.out().contains("api.openai.com.evil.example carries Authorization: Bearer the "
        + "placeholder"), r.out());
    assertError(cli.run("demo", "--data-dir", dir.resolve("demo").toString()), 2,
        "invalid_request_error", "Field 'data_dir' must be a new or empty directory for the demo.",
        "data_dir");
  }
}
