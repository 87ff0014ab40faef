package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' example requests replayed through the CLI: each response must have exactly the
 * fields, order and shapes of the seeds' example response (fixtures under
 * {@code src/test/resources/seeds}), ids and times aside.
 */
class CliSeedsTest {
  private static final Pattern TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
  private static final Pattern VAULT_ID = Pattern.compile("vault_[0-9a-f]{32}");
  private static final Pattern CRED_ID = Pattern.compile("vcred_[0-9a-f]{32}");

  @TempDir
  Path dir;
  private CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  private static JsonNode fixture(String name) throws Exception {
    try (InputStream in = CliSeedsTest.class.getResourceAsStream("/seeds/" + name)) {
      return Json.MAPPER.readTree(in);
    }
  }

  /** Same fields in the same order, same values, ids and times compared by shape only. */
  private static void assertSameShape(JsonNode expected, JsonNode actual, boolean order,
      String path) {
    assertEquals(expected.getNodeType(), actual.getNodeType(), path);
    if (expected.isObject()) {
      List<String> e = names(expected);
      List<String> a = names(actual);
      if (order) {
        assertEquals(e, a, "fields of " + path);
      } else {
        assertEquals(e.stream().sorted().toList(), a.stream().sorted().toList(), "fields of "
            + path);
      }
      for (String f : e) {
        assertSameShape(expected.get(f), actual.get(f), order, path + "." + f);
      }
    } else if (expected.isArray()) {
      assertEquals(expected.size(), actual.size(), "size of " + path);
      for (int i = 0; i < expected.size(); i++) {
        assertSameShape(expected.get(i), actual.get(i), order, path + "[" + i + "]");
      }
    } else if (expected.isTextual() && VAULT_ID.matcher(expected.asText()).matches()) {
      assertTrue(VAULT_ID.matcher(actual.asText()).matches(), path + ": " + actual);
    } else if (expected.isTextual() && CRED_ID.matcher(expected.asText()).matches()) {
      assertTrue(CRED_ID.matcher(actual.asText()).matches(), path + ": " + actual);
    } else if (path.endsWith("_at")) {
      assertTrue(TIME.matcher(actual.asText()).matches(), path + ": " + actual);
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void theApiReferenceExamplesGiveTheirDocumentedResponses() throws Exception {
    // GET /v1/vaults on an empty account: the documented empty list.
    assertSameShape(fixture("list-empty.json"), cli.run("vaults", "list").json(), true, "$");

    // POST /v1/vaults with the example body.
    CliRunner.Result created = cli.input("your-access-token\n", "vaults", "create",
        "--display-name", "my-mcp-vault", "--credential", "https://example.com/mcp,sse");
    assertEquals(0, created.exitCode(), created.err());
    assertSameShape(fixture("create-vault.json"), created.json(), true, "$");
    assertFalse(created.out().contains("your-access-token"));
    String vaultId = created.json().get("id").asText();

    // GET /v1/vaults: the vault without its credentials.
    assertSameShape(fixture("list-vaults.json"), cli.run("vaults", "list").json(), true, "$");

    // POST /v1/vaults/{vault_id}/credentials with the example body.
    CliRunner.Result credential = cli.input("your-access-token\n", "credentials", "create", vaultId,
        "--mcp-server-url", "https://example.com/mcp-stream", "--protocol", "streamable_http",
        "--type", "static_bearer");
    assertEquals(0, credential.exitCode(), credential.err());
    assertSameShape(fixture("create-credential.json"), credential.json(), true, "$");
    assertEquals(vaultId, credential.json().get("vault_id").asText());

    // GET /v1/vaults/{vault_id}/credentials of a vault holding the listed example credential.
    String listed = cli.input("your-access-token\n", "vaults", "create", "--display-name",
        "my-mcp-vault", "--credential", "https://example.com/mcp,streamable_http").json()
        .get("id").asText();
    assertSameShape(fixture("list-credentials.json"), cli.run("credentials", "list", listed)
        .json(), true, "$");
    assertEquals(2, cli.run("credentials", "list", vaultId).json().get("data").size());
  }

  @Test
  void theExampleRequestBodyWorksAsWrittenThroughBody() throws Exception {
    String vaultId = cli.input("your-access-token\n", "vaults", "create", "--display-name",
        "my-mcp-vault", "--credential", "https://example.com/mcp,sse").json().get("id").asText();
    // POST /v1/vaults/{vault_id}/credentials: the documented -d body, unchanged, on stdin.
    String body = """
        {
            "mcp_server_url": "https://example.com/mcp-stream",
            "protocol": "streamable_http",
            "type": "static_bearer",
            "access_token": "your-access-token"
          }""";
    CliRunner.Result credential = cli.input(body, "credentials", "create", vaultId, "--body", "-");
    assertEquals(0, credential.exitCode(), credential.err());
    assertSameShape(fixture("create-credential.json"), credential.json(), true, "$");
    assertFalse(credential.out().contains("your-access-token"));
  }

  @Test
  void theGuidesExampleGivesItsResponse() throws Exception {
    CliRunner.Result created = cli.input("ghp_xxxxxxxxxxxx\n", "vaults", "create",
        "--display-name", "My GitHub credentials", "--credential", "https://mcp.github.com/sse,sse");
    assertEquals(0, created.exitCode(), created.err());
    // The guide orders fields differently and omits fraction digits; the fields are the same.
    assertSameShape(fixture("guide-create-vault.json"), created.json(), false, "$");
    String vaultId = created.json().get("id").asText();
    CliRunner.Result appended = cli.input("jira_token_xxxxxxxx\n", "credentials", "create", vaultId,
        "--mcp-server-url", "https://jira.example.com/mcp/sse", "--protocol", "sse");
    assertEquals(0, appended.exitCode(), appended.err());
    assertEquals(2, cli.run("credentials", "list", vaultId).json().get("data").size());
  }
}
