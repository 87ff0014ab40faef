package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CLI keeps its data: a missing KEK file beside an existing database, an empty
 * {@code --data-dir} and paths that cannot be a directory are each an invalid_request_error in
 * plain words that changes nothing.
 */
class CliDataDirTest {
  @TempDir
  Path dir;

  /** Runs the CLI with exactly {@code args} (no {@code --data-dir} added). */
  private static CliRunner.Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = VaultCli.execute(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRunner.Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** An invalid_request_error about {@code param} whose message holds {@code words}. */
  private static void assertRefused(CliRunner.Result r, String param, String words) {
    assertEquals(2, r.exitCode(), r.out() + r.err());
    JsonNode error = r.error().get("error");
    assertEquals("invalid_request_error", error.get("type").asText(), r.err());
    assertEquals(param, error.get("param").asText(), r.err());
    assertTrue(error.get("message").asText().contains(words), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertEquals("", r.out());
  }

  private static List<String> names(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path dataDirWithAVault() {
    Path data = dir.resolve("data");
    CliRunner.Result created = new CliRunner(data).input("tok_data_dir_0001\n", "vaults",
        "create", "--display-name", "a", "--credential", "https://a.example/mcp,sse");
    assertEquals(0, created.exitCode(), created.err());
    return data;
  }

  @Test
  void aMissingKekFileOfAnExistingDatabaseIsAnErrorNotANewKey() throws Exception {
    Path data = dataDirWithAVault();
    Path missing = dir.resolve("nonexistent").resolve("kek.json");
    CliRunner.Result r = run("--data-dir", data.toString(), "--kek-file", missing.toString(),
        "vaults", "list");
    assertRefused(r, "kek_file", "The KEK file " + missing.toAbsolutePath() + " does not exist");
    assertFalse(Files.exists(missing.getParent()), "nothing created");

    // vault.db copied to a new directory without its kek.json.
    Path copy = Files.createDirectory(dir.resolve("copy"));
    Files.copy(data.resolve("vault.db"), copy.resolve("vault.db"));
    CliRunner.Result moved = new CliRunner(copy).run("vaults", "list");
    assertRefused(moved, "kek_file", "The KEK file " + copy.resolve("kek.json").toAbsolutePath()
        + " does not exist");
    assertFalse(Files.exists(copy.resolve("kek.json")), "no new KEK");
    assertEquals(List.of("vault.db"), names(copy));

    // With the KEK given, the copy opens.
    CliRunner.Result given = run("--data-dir", copy.toString(), "--kek-file",
        data.resolve("kek.json").toString(), "vaults", "list");
    assertEquals(0, given.exitCode(), given.err());
    assertEquals(1, given.json().get("data").size());
  }

  @Test
  void aKekFileIsCreatedTogetherWithANewDatabase() {
    Path data = dir.resolve("fresh");
    Path kek = dir.resolve("keys").resolve("kek.json");
    CliRunner.Result r = run("--data-dir", data.toString(), "--kek-file", kek.toString(),
        "vaults", "list");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.exists(kek) && Files.exists(data.resolve("vault.db")));
  }

  @Test
  void anEmptyDataDirOrKekFileIsRefused() {
    assertFalse(Files.exists(Path.of("vault.db")), "precondition: none in the working directory");
    assertRefused(run("--data-dir", "", "vaults", "list"), "data_dir",
        "Option '--data-dir' must not be empty");
    assertRefused(run("vaults", "list", "--data-dir="), "data_dir",
        "Option '--data-dir' must not be empty");
    assertRefused(run("--data-dir", dir.toString(), "--kek-file", "", "vaults", "list"),
        "kek_file", "Option '--kek-file' must not be empty");
    Path data = dataDirWithAVault();
    assertRefused(run("copy", "--from", data.toString(), "--to", ""), "to",
        "Option '--to' must not be empty");
    assertRefused(run("copy", "--from", "", "--to", dir.resolve("other").toString()), "from",
        "Option '--from' must not be empty");
    assertFalse(Files.exists(dir.resolve("other")), "nothing created");
    assertFalse(Files.exists(Path.of("vault.db")), "nothing created in the working directory");
    assertFalse(Files.exists(Path.of("kek.json")), "nothing created in the working directory");
  }

  @Test
  void aDataDirThatCannotBeADirectoryIsRefusedInPlainWords() throws Exception {
    Path file = Files.writeString(dir.resolve("x-file"), "not a directory");
    assertRefused(run("--data-dir", file.toString(), "vaults", "list"), "data_dir",
        "Option '--data-dir' names " + file + ", which is a file, not a directory.");
    assertRefused(run("--data-dir", file.resolve("sub").toString(), "vaults", "list"),
        "data_dir", "cannot create directory " + file.resolve("sub")
            + ": a part of the path is a file, not a directory.");
    Path tooLong = dir.resolve("n".repeat(300));
    assertRefused(run("--data-dir", tooLong.toString(), "vaults", "list"), "data_dir",
        "cannot create directory " + tooLong + ": name too long.");
    assertRefused(run("--data-dir", file.toString(), "demo"), "data_dir", "not a directory");
    assertEquals("not a directory", Files.readString(file));
    assertEquals(List.of("x-file"), names(dir));
    if (Files.isDirectory(Path.of("/proc/1"))) {
      assertRefused(run("--data-dir", "/proc/1/nope", "vaults", "list"), "data_dir",
          "cannot create directory /proc/1/nope: ");
    }
  }

  /**
   * Permission denied, by the mapping itself: CI runs as root, which may create directories
   * anywhere, and a test that skips there is a failure there.
   */
  @Test
  void anUnwritableParentIsSaidToBePermissionDenied() {
    assertEquals("permission denied",
        DataDirectory.reason(new java.nio.file.AccessDeniedException("/locked/data")));
  }

  /**
   * A SQLite file named by {@code --db-url} gets the data directory's settings: created
   * owner-only, in WAL mode (its {@code -wal} and {@code -shm} owner-only too), and it works.
   */
  @Test
  void aSqliteDbUrlGetsTheDataDirectorysSettings() throws Exception {
    Path db = dir.resolve("other.db");
    String url = "jdbc:sqlite:" + db;
    Path kek = dir.resolve("kek.json");
    CliRunner.Result created = new CliRunner(dir.resolve("unused")).input("tok_db_url_0001\n",
        "--db-url", url, "--kek-file", kek.toString(), "vaults", "create", "--display-name", "a",
        "--credential", "https://a.example/mcp,sse");
    assertEquals(0, created.exitCode(), created.err());
    assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(db));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertTrue(rs.next());
      assertEquals("wal", rs.getString(1));
      for (String suffix : List.of("-wal", "-shm")) {
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
            Files.getPosixFilePermissions(dir.resolve("other.db" + suffix)), suffix);
      }
    }
    CliRunner.Result listed = run("--db-url", url, "--kek-file", kek.toString(), "vaults",
        "list");
    assertEquals(0, listed.exitCode(), listed.err());
    assertEquals(1, listed.json().get("data").size());
  }
}
