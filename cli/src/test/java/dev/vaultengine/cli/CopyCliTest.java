package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.jdbc.EmbeddedStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault copy}: an H2 data directory moved to SQLite with exactly the command the CLI prints
 * when it finds one, then the SQLite directory to PostgreSQL; each copy run twice.
 */
class CopyCliTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  Path dir;

  /** An H2 data directory as earlier versions wrote it: two vaults, one credential archived. */
  private List<String> h2DataDirectory(Path data) {
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.h2File(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      VaultService vaults = engine.forAccount("default");
      List<String> ids = new ArrayList<>();
      for (int v = 0; v < 2; v++) {
        CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("team " + v);
        for (int c = 0; c < 3; c++) {
          b.addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://svc" + c + ".example/mcp").protocol(Protocol.SSE)
              .accessToken("tok_cli_copy_" + v + "_" + c).build());
        }
        var created = vaults.createVault(b.build());
        ids.add(created.vault().id());
        vaults.archiveCredential(created.vault().id(), created.credentials().get(2).id());
      }
      engine.forAccount("other").createVault(CreateVaultRequest.builder().displayName("theirs")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://o.example/")
              .protocol(Protocol.SSE).accessToken("tok_other_account").build()).build());
      return ids;
    }
  }

  /** The arguments a POSIX shell makes of {@code command}, as when a user pastes it. */
  private static List<String> shellWords(String command) throws Exception {
    Process sh = new ProcessBuilder("sh", "-c",
        "for a in " + command + "; do printf '%s\\n' \"$a\"; done").redirectErrorStream(true)
        .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, sh.waitFor(), out);
    return Arrays.asList(out.split("\n"));
  }

  private static void assertCounts(JsonNode n, String table, long copied, long present) {
    assertEquals(copied, n.get(table).get("copied").asLong(), table + " copied: " + n);
    assertEquals(present, n.get(table).get("already_present").asLong(), table + " present: " + n);
  }

  @Test
  void theCommandOfTheH2NoticeMovesTheDirectoryToSqlite() throws Exception {
    // A space and a quote in the name: the printed command must survive being pasted.
    Path data = dir.resolve("vault data's");
    List<String> ids = h2DataDirectory(data);
    CliRunner cli = new CliRunner(data);

    CliRunner.Result refused = cli.run("vaults", "list");
    assertEquals(2, refused.exitCode());
    String message = refused.error().get("error").get("message").asText();
    String command = message.substring(message.indexOf("run: vault copy ") + "run: vault ".length());
    List<String> args = shellWords(command);
    assertEquals(List.of("copy", "--from", data.toAbsolutePath().toString(),
        "--to", data.toAbsolutePath().toString()), args);

    CliRunner.Result copied = cli.run(args.toArray(String[]::new));
    assertEquals(0, copied.exitCode(), copied.err());
    assertEquals("", copied.err(), "no progress off a terminal");
    JsonNode report = copied.json();
    assertEquals("h2", report.get("from").asText());
    assertEquals("sqlite", report.get("to").asText());
    assertFalse(report.get("nothing_copied").asBoolean());
    assertTrue(report.get("keyset_copied").asBoolean());
    assertCounts(report, "vaults", 3, 0);
    assertCounts(report, "credentials", 7, 0);
    assertEquals(2, report.get("verified").get("accounts").asInt());
    assertEquals(5, report.get("verified").get("tokens").asInt());
    assertFalse(report.get("kek_file_copied").asBoolean(), "the directory has its KEK already");
    assertTrue(Files.exists(data.resolve("vault.db")));
    assertTrue(Files.exists(data.resolve("vault.mv.db")), "the H2 file is left in place");

    // Normal commands now work on the directory, on SQLite.
    assertEquals(2, cli.run("vaults", "list").json().get("data").size());
    assertEquals("Bearer tok_cli_copy_1_0", cli.run("sessions", "resolve", "--vault-ids",
        ids.get(1), "--url", "https://svc0.example/mcp", "--reveal").json().get("authorization")
        .asText());
    assertEquals(List.of("matched"), fieldNames(cli.run("sessions", "resolve", "--vault-ids",
        ids.get(0), "--url", "https://svc2.example/mcp").json()), "archived stays archived");

    CliRunner.Result again = cli.run(args.toArray(String[]::new));
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.json().get("nothing_copied").asBoolean(), again.out());
    assertCounts(again.json(), "credentials", 0, 7);
    assertCounts(again.json(), "events", 0, report.get("events").get("total").asLong());
    assertCounts(again.json(), "audit_entries", 0,
        report.get("audit_entries").get("total").asLong());

    // Once the directory is in use on SQLite, the copy never deletes or overwrites its records:
    // run again, it copies nothing and says the two sides now differ.
    CliRunner.Result added = cli.input("tok_after_move\n", "credentials", "create", ids.get(0),
        "--mcp-server-url", "https://new.example/mcp", "--protocol", "sse");
    assertEquals(0, added.exitCode(), added.err());
    CliRunner.Result differs = cli.run(args.toArray(String[]::new));
    assertEquals(1, differs.exitCode(), differs.err());
    assertTrue(differs.error().get("error").get("message").asText().startsWith(
        "The copy did not verify: account 'default' has 6 credentials in the source and 7 in the "
        + "target"), differs.err());
    assertEquals(3, cli.run("credentials", "list", ids.get(0)).json().get("data").size());
  }

  @Test
  void aDataDirectoryMovesToPostgresqlAndToANewDirectory() throws Exception {
    requireLoopbackPostgres();
    Path data = dir.resolve("vault-data");
    List<String> ids = h2DataDirectory(data);
    CliRunner cli = new CliRunner(data);
    assertEquals(0, cli.run("copy", "--from", data.toString(), "--to", data.toString())
        .exitCode(), "an H2-only directory is a source, its SQLite file the target");
    String prefix = "clicp" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    try {
      CliRunner.Result copied = cli.run("copy", "--from", data.toString(), "--to", PG,
          "--to-table-prefix", prefix);
      assertEquals(0, copied.exitCode(), copied.err());
      JsonNode report = copied.json();
      assertEquals("sqlite", report.get("from").asText());
      assertEquals("postgresql", report.get("to").asText());
      assertCounts(report, "credentials", 7, 0);
      assertEquals(5, report.get("verified").get("tokens").asInt());
      assertEquals(data.resolve("kek.json").toAbsolutePath().toString(),
          report.get("kek_file").asText());

      CliRunner.Result again = cli.run("copy", "--from", data.toString(), "--to", PG,
          "--to-table-prefix", prefix);
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.json().get("nothing_copied").asBoolean(), again.out());
      assertCounts(again.json(), "vaults", 0, 3);
      assertCounts(again.json(), "credentials", 0, 7);

      // The PostgreSQL tables serve the usual commands with the source's KEK file.
      assertEquals("Bearer tok_cli_copy_0_1", cli.run("--db-url", PG, "--table-prefix", prefix,
          "--kek-file", data.resolve("kek.json").toString(), "sessions", "resolve",
          "--vault-ids", ids.get(0), "--url", "https://svc1.example/mcp", "--reveal").json()
          .get("authorization").asText());

      // From PostgreSQL to a new directory: the KEK file goes along, owner-only.
      Path moved = dir.resolve("moved");
      CliRunner.Result back = cli.run("--kek-file", data.resolve("kek.json").toString(), "copy",
          "--from", PG, "--from-table-prefix", prefix, "--to", moved.toString());
      assertEquals(0, back.exitCode(), back.err());
      assertTrue(back.json().get("kek_file_copied").asBoolean(), back.out());
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(moved.resolve("kek.json"))));
      assertEquals(-1, Files.mismatch(data.resolve("kek.json"), moved.resolve("kek.json")));
      assertEquals("Bearer tok_cli_copy_1_1", new CliRunner(moved).run("sessions", "resolve",
          "--vault-ids", ids.get(1), "--url", "https://svc1.example/mcp", "--reveal").json()
          .get("authorization").asText());
    } finally {
      dropTables(prefix);
    }
  }

  @Test
  void mistakesAreRefusedWithTheEnvelopeAndChangeNothing() throws Exception {
    Path data = dir.resolve("vault-data");
    h2DataDirectory(data);
    CliRunner cli = new CliRunner(data);
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    CliRunner.Result none = cli.run("copy", "--from", empty.toString(), "--to", data.toString());
    assertEquals(2, none.exitCode());
    assertEquals("from", none.error().get("error").get("param").asText());

    // Another directory with its own keys: its kek.json is not the source's.
    Path other = dir.resolve("other");
    assertEquals(0, new CliRunner(other).input("tok_x\n", "vaults", "create", "--display-name",
        "x", "--credential", "https://x.example/,sse").exitCode());
    byte[] before = Files.readAllBytes(other.resolve("vault.db"));
    CliRunner.Result kek = cli.run("copy", "--from", data.toString(), "--to", other.toString());
    assertEquals(2, kek.exitCode(), kek.err());
    assertEquals("to", kek.error().get("error").get("param").asText());
    assertTrue(kek.error().get("error").get("message").asText().contains("kek.json"));
    // With the right KEK file given, the target's own keyset is what refuses.
    CliRunner.Result keyset = cli.run("--kek-file", data.resolve("kek.json").toString(), "copy",
        "--from", data.toString(), "--to", "jdbc:sqlite:" + other.resolve("vault.db"));
    assertEquals(2, keyset.exitCode(), keyset.err());
    assertTrue(keyset.error().get("error").get("message").asText()
        .startsWith("The target already holds a different data keyset"), keyset.err());
    assertTrue(Arrays.equals(before, Files.readAllBytes(other.resolve("vault.db"))));

    CliRunner.Result noKek = cli.run("--kek-file", dir.resolve("missing.json").toString(), "copy",
        "--from", data.toString(), "--to", dir.resolve("fresh").toString());
    assertEquals(2, noKek.exitCode());
    assertEquals("kek_file", noKek.error().get("error").get("param").asText());
    assertFalse(Files.exists(dir.resolve("missing.json")), "no KEK is ever created by a copy");
    assertFalse(Files.exists(dir.resolve("fresh")), "nor the target, when the KEK is missing");

    CliRunner.Result prefix = cli.run("copy", "--from", data.toString(), "--to",
        "jdbc:sqlite:" + dir.resolve("p.db"), "--to-table-prefix", "Bad-Prefix");
    assertEquals(2, prefix.exitCode());
    assertEquals("to_table_prefix", prefix.error().get("error").get("param").asText());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * An H2 database made by the CLI itself through {@code --db-url} copies through the same URL:
   * the copy opens it as {@code --db-url} does (empty user name; before session 12 it opened it as
   * {@code sa}, which H2 refused, and left {@code vault.trace.db} behind).
   */
  @Test
  void anH2DatabaseMadeThroughDbUrlCopiesThroughTheSameUrl() throws Exception {
    Path data = dir.resolve("h2-url");
    Files.createDirectories(data);
    String url = "jdbc:h2:file:" + data.toAbsolutePath() + "/vault";
    String kek = data.resolve("kek.json").toString();
    CliRunner cli = new CliRunner(data);
    CliRunner.Result created = cli.input("tok_made_through_the_url\n", "--db-url", url,
        "--kek-file", kek, "vaults", "create", "--display-name", "made through the URL",
        "--credential", "https://url.example/sse,sse");
    assertEquals(0, created.exitCode(), created.err());
    CliRunner.Result copied = cli.run("--kek-file", kek, "copy", "--from", url, "--to",
        data.toString());
    assertEquals(0, copied.exitCode(), copied.err());
    assertEquals("h2", copied.json().get("from").asText());
    assertCounts(copied.json(), "vaults", 1, 0);
    assertCounts(copied.json(), "credentials", 1, 0);
    assertEquals(1, copied.json().get("verified").get("tokens").asInt());
    assertFalse(Files.exists(data.resolve("vault.trace.db")), "no failed H2 login");
    assertEquals("made through the URL", cli.run("vaults", "list").json().get("data").get(0)
        .get("display_name").asText());
  }

  /**
   * The H2 notice's command, given the directory of an H2 file made through {@code --db-url}
   * (empty user name, where an earlier version's directory has {@code sa}): the copy opens it
   * with the user it was made with, and leaves no trace file of the refused one.
   */
  @Test
  void theNoticesDirectoryFormCopiesAnH2FileMadeThroughDbUrl() throws Exception {
    Path data = dir.resolve("h2-url-dir");
    Files.createDirectories(data);
    String url = "jdbc:h2:file:" + data.toAbsolutePath() + "/vault";
    CliRunner cli = new CliRunner(data);
    assertEquals(0, cli.input("tok_made_through_the_url_2\n", "--db-url", url, "--kek-file",
        data.resolve("kek.json").toString(), "vaults", "create", "--display-name", "d",
        "--credential", "https://url2.example/sse,sse").exitCode());
    CliRunner.Result notice = cli.run("vaults", "list");
    assertEquals(2, notice.exitCode(), notice.err());
    assertTrue(notice.err().contains("vault copy --from"), notice.err());
    CliRunner.Result copied = cli.run("copy", "--from", data.toString(), "--to",
        data.toString());
    assertEquals(0, copied.exitCode(), copied.err());
    assertEquals(1, copied.json().get("verified").get("tokens").asInt());
    assertFalse(Files.exists(data.resolve("vault.trace.db")), "no trace of the refused login");
    assertEquals("d", cli.run("vaults", "list").json().get("data").get(0).get("display_name")
        .asText());
  }

  /**
   * An earlier version's embedded H2 directory (user {@code sa}) given as a URL: H2 refuses the
   * URL's empty user name, and the copy says what to give instead, changing nothing.
   */
  @Test
  void anEmbeddedH2DirectoryGivenAsAUrlIsRefusedWithWhatToDo() {
    Path data = dir.resolve("embedded");
    h2DataDirectory(data);
    CliRunner.Result refused = new CliRunner(data).run("copy", "--from",
        "jdbc:h2:file:" + data.toAbsolutePath() + "/vault", "--to", data.toString());
    assertEquals(2, refused.exitCode(), refused.err());
    JsonNode error = refused.error().get("error");
    assertEquals("invalid_request_error", error.get("type").asText());
    assertTrue(error.get("message").asText().contains("vault copy --from DIR --to DIR"),
        refused.err());
    assertFalse(Files.exists(data.resolve("vault.db")));
    assertFalse(Files.exists(data.resolve("vault.trace.db")), "no trace of the refused login");
  }

  /**
   * A rerun that brings only audit entries over (the source was read after the copy) says so:
   * before session 12 it printed nothing_copied false and only zero counts.
   */
  @Test
  void theSummaryCountsEventsAndAuditEntries() {
    Path data = dir.resolve("summary");
    List<String> ids = h2DataDirectory(data);
    CliRunner cli = new CliRunner(data);
    assertEquals(0, cli.run("copy", "--from", data.toString(), "--to", data.toString())
        .exitCode());
    Path target = dir.resolve("summary-target");
    CliRunner.Result first = cli.run("copy", "--from", data.toString(), "--to",
        target.toString());
    assertEquals(0, first.exitCode(), first.err());
    JsonNode report = first.json();
    assertTrue(report.get("events").get("copied").asLong() > 0, first.out());
    assertTrue(report.get("audit_entries").get("copied").asLong() > 0, first.out());
    assertEquals(0, cli.run("sessions", "resolve", "--vault-ids", ids.get(0), "--url",
        "https://svc0.example/mcp").exitCode());
    CliRunner.Result again = cli.run("copy", "--from", data.toString(), "--to",
        target.toString());
    assertEquals(0, again.exitCode(), again.err());
    JsonNode n = again.json();
    assertFalse(n.get("nothing_copied").asBoolean(), again.out());
    assertCounts(n, "vaults", 0, 3);
    assertCounts(n, "credentials", 0, 7);
    assertEquals(1, n.get("audit_entries").get("copied").asLong(), again.out());
    CliRunner.Result table = cli.run("--output", "table", "copy", "--from", data.toString(),
        "--to", target.toString());
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains("audit_entries") && table.out().contains("events"),
        table.out());
  }

  private static void requireLoopbackPostgres() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
      return;
    } catch (IOException e) {
      if (Boolean.getBoolean("vault.requireDatabases")) {
        throw new AssertionError("PostgreSQL is required (vault.requireDatabases) but "
            + "127.0.0.1:5432 is not reachable", e);
      }
    }
    System.out.println("SKIPPED: a test that needs the loopback PostgreSQL server on "
        + "127.0.0.1:5432 (CI demands one; see README).");
    Assumptions.abort("no PostgreSQL server on 127.0.0.1:5432");
  }

  private static void dropTables(String prefix) throws Exception {
    try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, null, prefix + "%",
          new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      tables.sort((a, b) -> Boolean.compare(!a.endsWith("credentials"), !b.endsWith("credentials")));
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }
}
