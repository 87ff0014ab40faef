package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultengine.testkit.PlaintextScanner;
import dev.vaultengine.testkit.SecretLeakGuard;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault events tail [--follow]}, {@code vault audit list|verify|hash} on the embedded
 * default: what each prints, the actor, a tampered trail found by {@code verify} with its exit
 * code, and no secret in any of it.
 */
class CliEventsAuditTest {
  /**
   * A thread per follower: the common pool has one thread on a 2-core machine, and JDK 25 runs
   * {@code supplyAsync} there (JDK 17 started a thread per task below two), so a follower still
   * waiting held up every later one.
   */
  private static final ExecutorService FOLLOWERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cli-follower");
    t.setDaemon(true);
    return t;
  });

  private static final String TOKEN = "tok_cli_events_audit_0001";
  private static final String ROTATED = "tok_cli_events_rotated_0002";

  @TempDir
  Path dir;
  private CliRunner cli;
  private SecretLeakGuard guard;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    guard = new SecretLeakGuard(false);
    guard.token(TOKEN);
    guard.token(ROTATED);
    guard.start();
  }

  @AfterEach
  void noSecretPrintedOrWritten() throws Exception {
    guard.stop();
    assertEquals(List.of(), guard.leaks(), "a secret was printed");
    assertEquals(List.of(), new PlaintextScanner(List.of(TOKEN, ROTATED)).findInDirectory(dir),
        "a secret in the data directory");
  }

  private String createVault() {
    CliRunner.Result r = cli.input(TOKEN + "\n", "--actor", "ops@example.com", "vaults",
        "create", "--display-name", "events", "--credential", "https://a.example/mcp,sse");
    assertEquals(0, r.exitCode(), r.err());
    return r.json().get("id").asText();
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(Json.MAPPER.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void eventsTailPrintsEveryChangeAndFollowsNewOnes() throws Exception {
    String vaultId = createVault();
    CliRunner.Result tail = cli.run("events", "tail");
    assertEquals(0, tail.exitCode(), tail.err());
    List<JsonNode> events = lines(tail.out());
    assertEquals(List.of("vault.created", "vault_credential.created"),
        events.stream().map(e -> e.get("type").asText()).toList());
    assertEquals(vaultId, events.get(0).get("vault_id").asText());
    assertTrue(events.get(0).get("id").asText().startsWith("evt_"));
    long last = events.get(1).get("sequence").asLong();

    // --follow: another command's archive is printed as it commits.
    CompletableFuture<CliRunner.Result> follower = CompletableFuture.supplyAsync(() ->
        cli.run("events", "tail", "--follow", "--name", "cli-test", "--stop-after", "2"),
        FOLLOWERS);
    Thread.sleep(1_500); // the follower registers before the change (it starts at the end)
    assertEquals(0, cli.run("vaults", "archive", vaultId).exitCode());
    CliRunner.Result followed = follower.get(30, TimeUnit.SECONDS);
    assertEquals(0, followed.exitCode(), followed.err());
    List<JsonNode> seen = lines(followed.out());
    assertEquals(List.of("vault.archived", "vault_credential.archived"),
        seen.stream().map(e -> e.get("type").asText()).toList());
    assertTrue(seen.get(0).get("sequence").asLong() > last);

    // The durable name resumes after what it printed: the delete's events only.
    assertEquals(0, cli.run("vaults", "delete", vaultId).exitCode());
    CliRunner.Result resumed = cli.run("events", "tail", "--follow", "--name", "cli-test",
        "--stop-after", "2");
    assertEquals(List.of("vault.deleted", "vault_credential.deleted"),
        lines(resumed.out()).stream().map(e -> e.get("type").asText()).toList());
  }

  private static List<String> types(CliRunner.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r.err());
    return lines(r.out()).stream().map(e -> e.get("type").asText()).toList();
  }

  /** As the help says: --follow prints the stored events first, from the oldest by default. */
  @Test
  void followPrintsTheStoredEventsThenTheNewOnes() throws Exception {
    String vaultId = createVault();
    List<String> stored = List.of("vault.created", "vault_credential.created");
    assertEquals(stored, types(CompletableFuture.supplyAsync(() -> cli.run("events", "tail",
        "--follow", "--stop-after", "2"), FOLLOWERS).get(30, TimeUnit.SECONDS)));
    assertEquals(stored, types(CompletableFuture.supplyAsync(() -> cli.run("events", "tail",
        "--after", "0", "--follow", "--stop-after", "2"), FOLLOWERS)
        .get(30, TimeUnit.SECONDS)));

    // Stored ones, then an archive committed while following; --after now: the archive only.
    CompletableFuture<CliRunner.Result> all = CompletableFuture.supplyAsync(() ->
        cli.run("events", "tail", "--follow", "--stop-after", "4"), FOLLOWERS);
    CompletableFuture<CliRunner.Result> fromNow = CompletableFuture.supplyAsync(() ->
        cli.run("events", "tail", "--after", "now", "--follow", "--stop-after", "2"),
        FOLLOWERS);
    Thread.sleep(1_500); // both followers subscribe before the change
    assertEquals(0, cli.run("vaults", "archive", vaultId).exitCode());
    List<String> archived = List.of("vault.archived", "vault_credential.archived");
    List<String> everything = new ArrayList<>(stored);
    everything.addAll(archived);
    assertEquals(everything, types(all.get(30, TimeUnit.SECONDS)));
    assertEquals(archived, types(fromNow.get(30, TimeUnit.SECONDS)));
    assertEquals(List.of(), types(cli.run("events", "tail", "--after", "now")));
  }

  private static void assertRefused(CliRunner.Result r, String param) {
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertEquals("invalid_request_error", r.error().get("error").get("type").asText());
    assertEquals(param, r.error().get("error").get("param").asText(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void optionsThatWouldBeIgnoredAreRefused() {
    createVault();
    assertRefused(cli.run("events", "tail", "--name", "n1"), "name");
    assertRefused(cli.run("events", "tail", "--follow", "--name", "n1", "--after", "1"), "after");
    assertRefused(cli.run("events", "tail", "--follow", "--limit", "5"), "limit");
    assertRefused(cli.run("events", "tail", "--after", "-1"), "after");
    assertRefused(cli.run("events", "tail", "--after", "first"), "after");
    assertRefused(cli.run("events", "tail", "--output", "table"), "output");
    assertRefused(cli.run("--output", "table", "audit", "list"), "output");
    assertTrue(cli.run("events", "tail", "--output", "table").error().get("error").get("message")
        .asText().contains("'--output table' is not available for events tail"));
  }

  @Test
  void auditListVerifyAndHash() throws Exception {
    String vaultId = createVault();
    String credentialId = cli.run("credentials", "list", vaultId).json().get("data").get(0)
        .get("id").asText();
    assertEquals(0, cli.input(ROTATED + "\n", "credentials", "rotate", vaultId, credentialId)
        .exitCode());
    assertEquals(3, cli.run("vaults", "get", "vault_0000000000000000000000000000abcd")
        .exitCode());
    assertEquals(0, cli.run("vaults", "archive", vaultId).exitCode());
    assertEquals(4, cli.run("vaults", "archive", vaultId).exitCode(), "archived twice");

    List<JsonNode> entries = lines(cli.run("audit", "list").out());
    List<String> operations = entries.stream().map(e -> e.get("operation").asText()).toList();
    assertTrue(operations.containsAll(List.of("keyset.create", "vault.create",
        "credential.rotate", "vault.archive")), operations.toString());
    JsonNode create = entries.stream().filter(e -> e.get("operation").asText()
        .equals("vault.create")).findFirst().orElseThrow();
    assertEquals("ops@example.com", create.get("actor").asText());
    JsonNode refused = entries.get(entries.size() - 1);
    assertEquals("vault.archive", refused.get("operation").asText());
    assertEquals("conflict_error", refused.get("outcome").asText());

    CliRunner.Result verified = cli.run("audit", "verify");
    assertEquals(0, verified.exitCode(), verified.out() + verified.err());
    JsonNode v = verified.json();
    assertTrue(v.get("intact").asBoolean());
    String anchor = v.get("head_sequence").asText() + ":" + v.get("head_mac").asText();
    assertEquals(0, cli.run("audit", "verify", "--anchor", anchor).exitCode());

    // audit hash: the token was stored (by the create), the rotated one by the rotation.
    JsonNode hash = cli.input(TOKEN + "\n", "audit", "hash").json();
    assertTrue(hash.get("ever_recorded").asBoolean());
    assertEquals("vault.create", hash.get("entries").get(0).get("operation").asText());
    assertEquals(hash.get("hmac").asText(),
        create.get("secret_hmacs").get(credentialId + ".access_token").asText());
    JsonNode never = cli.input("tok_never_stored_cli_0003\n", "audit", "hash").json();
    assertFalse(never.get("ever_recorded").asBoolean());

    // Tamper with the trail in the SQLite file: verify names the entry and exits 6.
    long altered = entries.get(2).get("sequence").asLong();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE ve_audit SET actor = 'someone-else' WHERE sequence = " + altered);
    }
    CliRunner.Result broken = cli.run("audit", "verify");
    assertEquals(AuditCommand.BROKEN, broken.exitCode(), broken.out() + broken.err());
    assertFalse(broken.json().get("intact").asBoolean());
    assertEquals(altered, broken.json().get("first_broken_sequence").asLong());
  }
}
