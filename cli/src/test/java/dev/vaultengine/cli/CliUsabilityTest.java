package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a new user meets it: help everywhere, options where they type them, the README. */
class CliUsabilityTest {
  @TempDir
  Path dir;
  private CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  private static void assertHelp(CliRunner.Result r, String usage, String... mentions) {
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("Usage: " + usage), r.out());
    for (String m : mentions) {
      assertTrue(r.out().contains(m), () -> m + " missing from: " + r.out());
    }
  }

  @Test
  void helpWorksOnEveryLevelAndEveryWayAUserAsks() {
    assertHelp(cli.run("--help"), "vault", "vaults", "credentials", "copy");
    assertHelp(cli.run("vaults", "--help"), "vault vaults", "create", "list", "archive");
    assertHelp(cli.run("help", "vaults"), "vault vaults", "create", "list");
    assertHelp(cli.run("vaults", "create", "--help"), "vault vaults create", "--display-name",
        "--credential");
    assertHelp(cli.run("help", "credentials"), "vault credentials", "rotate");
    assertHelp(cli.run("keys", "reencrypt", "-h"), "vault keys reencrypt", "--batch-size");
  }

  /** Every option of every command says what it is for, with a label that names its value. */
  @Test
  void everyOptionHasADescriptionAndANamedValue() {
    List<String> problems = new ArrayList<>();
    describe(new picocli.CommandLine(new VaultCli()), problems);
    assertEquals(List.of(), problems);
  }

  private static void describe(picocli.CommandLine command, List<String> problems) {
    picocli.CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    String usage = command.getUsageMessage();
    if (usage.contains("<arg")) {
      problems.add(spec.qualifiedName() + ": a placeholder label in " + usage);
    }
    for (picocli.CommandLine.Model.OptionSpec o : spec.options()) {
      if (!o.hidden() && String.join("", o.description()).isBlank()) {
        problems.add(spec.qualifiedName() + " " + o.longestName() + ": no description");
      }
    }
    command.getSubcommands().values().forEach(c -> describe(c, problems));
  }

  @Test
  void aCommandGroupWithoutASubcommandListsItsSubcommands() {
    for (String group : List.of("vaults", "credentials", "sessions", "keys")) {
      CliRunner.Result r = cli.run(group);
      assertHelp(r, "vault " + group, "Commands:");
    }
  }

  @Test
  void globalOptionsWorkAfterTheSubcommandToo() {
    String id = cli.input("tok_usability_1\n", "vaults", "create", "--display-name", "alpha",
        "--credential", "https://a.example/mcp,sse", "--account", "team-a").json().get("id")
        .asText();
    CliRunner.Result table = cli.run("vaults", "list", "--limit", "10", "--output", "table",
        "--account", "team-a");
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains(id) && !table.out().trim().startsWith("{"), table.out());
    CliRunner.Result before = cli.run("--account", "team-a", "--output", "table", "vaults", "list");
    assertEquals(table.out(), before.out());
    assertEquals(0, cli.run("vaults", "list", "--account", "other").json().get("data").size());
  }

  @Test
  void anAccountNamedLikeASubcommandIsAnAccount() {
    for (String account : List.of("demo", "vaults", "keys", "help")) {
      CliRunner.Result r = cli.run("--account", account, "vaults", "list");
      assertEquals(0, r.exitCode(), account + ": " + r.err());
      assertEquals(0, r.json().get("data").size());
    }
  }

  /**
   * The commands of the README's "The vault command" section, run as written, with the ids of the
   * records the first one created, tokens on standard input and heredoc bodies with their shell
   * variables set (a secret for each, a time an hour ahead for an {@code _EXPIRES_AT}).
   */
  @Test
  void theReadmeCommandsRunAsWritten() throws IOException {
    List<String[]> commands = readmeCommands();
    assertTrue(commands.size() >= 10, commands.toString());
    String vaultId = null;
    String credentialId = null;
    for (String[] command : commands) {
      String line = command[0];
      String run = line.replace("VAULT_ID", vaultId == null ? "" : vaultId)
          .replace("CREDENTIAL_ID", credentialId == null ? "" : credentialId);
      String stdin = "";
      int heredoc = run.indexOf("<<EOF");
      int here = run.indexOf("<<<");
      if (heredoc >= 0) {
        stdin = shellVariables(command[1]);
        run = run.substring(0, heredoc);
      } else if (here >= 0) {
        stdin = "tok_readme_" + Math.abs(run.hashCode()) + "\n";
        run = run.substring(0, here);
      }
      int comment = run.indexOf('#');
      if (comment >= 0) {
        run = run.substring(0, comment);
      }
      List<String> args = shellWords(run.strip().substring("./vault ".length()));
      CliRunner.Result r = cli.input(stdin, args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), () -> line + "\n" + r.err());
      assertFalse(r.out().contains("tok_readme_"), () -> line + " printed a secret");
      if (vaultId == null) {
        vaultId = r.json().get("id").asText();
        credentialId = r.json().get("credentials").get(0).get("id").asText();
      }
    }
  }

  private static String shellVariables(String body) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$([A-Z_]+)").matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      m.appendReplacement(out, name.endsWith("_EXPIRES_AT")
          ? java.time.Instant.now().plusSeconds(3600).toString()
          : "tok_readme_" + name.toLowerCase(java.util.Locale.ROOT));
    }
    return m.appendTail(out).toString();
  }

  /** Standard error stays free of logging-framework warnings in a fresh JVM. */
  @Test
  void aFreshProcessPrintsNoLoggingWarnings() throws Exception {
    // As `./vault` runs it: the jar's manifest grants native access (sqlite-jdbc loads a native
    // library, which JDK 24+ warns about otherwise; JDK 17 accepts the flag too), and on JDK 23+
    // the script allows protobuf's (Tink's) use of sun.misc.Unsafe, which JDK 24+ warns about.
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), VaultCli.class.getName(),
        "--data-dir", dir.resolve("fresh").toString(), "vaults", "list"));
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), err);
    assertEquals("", err);
    assertFalse(out.contains("\u001b["), "no terminal escape codes when not on a terminal");
  }

  /** Each {@code ./vault} command of the section, with its heredoc body (or null). */
  private static List<String[]> readmeCommands() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## The `vault` command");
    int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
    int end = readme.indexOf("```", start);
    List<String[]> out = new ArrayList<>();
    String pending = "";
    StringBuilder heredoc = null;
    for (String line : readme.substring(start, end).split("\n")) {
      if (heredoc != null) {
        if (line.equals("EOF")) {
          out.get(out.size() - 1)[1] = heredoc.toString();
          heredoc = null;
        } else {
          heredoc.append(line).append('\n');
        }
        continue;
      }
      if (line.endsWith("\\")) {
        pending += line.substring(0, line.length() - 1) + " ";
        continue;
      }
      String full = (pending + line).strip();
      pending = "";
      if (full.startsWith("./vault ")) {
        out.add(new String[] {full, null});
        if (full.contains("<<EOF")) {
          heredoc = new StringBuilder();
        }
      }
    }
    assertEquals(null, heredoc, "a heredoc without its EOF line");
    return out;
  }

  /** Splits like a POSIX shell for what the README uses: spaces and double quotes. */
  private static List<String> shellWords(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : s.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }
}
