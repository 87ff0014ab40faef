package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vault} process's log output: a failing store operation, which the library logs with
 * its exception, prints one line before the error envelope, not a driver's stack trace;
 * {@code --verbose} brings the stack trace back.
 */
class CliLoggingTest {
  @TempDir
  Path dir;

  /** Runs {@code vault --data-dir DIR args...} in another JVM, as the launcher does. */
  private CliRunner.Result process(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        // What the launcher grants (the jar's manifest, and ./vault on JDK 23+), so that the
        // JDK's own notices on newer JDKs do not come before the CLI's output.
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        VaultCli.class.getName(), "--data-dir", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    try (java.io.OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return CliRunner.finish(p);
  }

  @Test
  void aFailedStoreOperationLogsOneLineUnlessVerbose() throws Exception {
    assertEquals(0, new CliRunner(dir).run("vaults", "list").exitCode());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TRIGGER t BEFORE INSERT ON ve_events BEGIN "
          + "SELECT RAISE(ABORT, 'refused by a test trigger'); END");
    }

    String token = "tok_cli_logging_0001\n";
    String[] create = {"vaults", "create", "--display-name", "x", "--credential",
        "https://a.example/mcp,sse"};
    CliRunner.Result r = process(token, create);
    assertEquals(1, r.exitCode(), r.err());
    String[] lines = r.err().split("\\R", 2); // one log line, then the error envelope
    assertTrue(lines[0].startsWith("vault: warning: store operation "), r.err());
    assertTrue(lines[0].endsWith(" (--verbose shows the cause)"), lines[0]);
    JsonNode error = Json.MAPPER.readTree(lines[1]).get("error");
    assertEquals("api_error", error.get("type").asText());
    assertEquals("The store failed during insertVault; nothing was changed by this call.",
        error.get("message").asText());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat ")
        || r.err().contains("refused by a test trigger") || r.err().contains("tok_cli_logging"),
        r.err());

    List<String> verboseArgs = new ArrayList<>(List.of("--verbose"));
    verboseArgs.addAll(List.of(create));
    CliRunner.Result verbose = process(token, verboseArgs.toArray(String[]::new));
    assertEquals(1, verbose.exitCode());
    assertTrue(verbose.err().contains("SQLiteException") && verbose.err().contains("\tat "),
        verbose.err());
  }
}
