package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's embedding example, and checks the README still shows exactly this code and the
 * host test example of {@link MyAgentTest}.
 */
class ReadmeExampleTest {
  private static final String START = "// README:start";
  private static final String END = "// README:end";

  @TempDir
  Path dataDir;

  @Test
  void theExampleRunsAndInjectsTheToken() {
    String tokenFromYourSecretsManager = "ghp_example";
    // README:start
    VaultStore store = new InMemoryVaultStore();
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(dataDir.resolve("kek.json"));
    try (VaultEngine engine = VaultEngine.builder().store(store).keyEncryptionKey(kek).build()) {
      VaultService vaults = engine.forAccount("acme");
      CreatedVault created = vaults.createVault(CreateVaultRequest.builder()
          .displayName("My GitHub credentials")
          .addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://mcp.github.com/sse")
              .protocol(Protocol.SSE)
              .accessToken(Secret.of(tokenFromYourSecretsManager))
              .build())
          .build());

      // When the session's agent connects to an MCP server, inject the matching token:
      VaultSession session = vaults.openSession(List.of(created.vault().id()));
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://mcp.github.com/sse"));
      session.resolve("https://mcp.github.com/sse").ifPresent(c -> c.applyTo(request));
      send(request.build()); // your MCP client's connection
    }
    // README:end
    assertEquals(1, sent.size());
    assertEquals("Bearer ghp_example",
        sent.get(0).headers().firstValue("Authorization").orElseThrow());
  }

  private final List<HttpRequest> sent = new ArrayList<>();

  private void send(HttpRequest request) {
    sent.add(request);
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    assertReadmeShows("src/test/java/dev/vaultengine/testkit/ReadmeExampleTest.java", "    ");
  }

  @Test
  void theReadmeShowsTheHostTestExample() throws Exception {
    assertReadmeShows("src/test/java/dev/vaultengine/testkit/MyAgentTest.java", "");
  }

  @Test
  void theReadmeShowsTheEnvironmentExample() throws Exception {
    assertReadmeShows(
        "src/test/java/dev/vaultengine/testkit/EnvironmentSubstitutionTest.java", "    ");
  }

  /** The README holds the lines between the markers of {@code file}, less {@code indent}. */
  static void assertReadmeShows(String file, String indent) throws Exception {
    List<String> source = Files.readAllLines(Path.of(file));
    int from = indexOf(source, indent + START) + 1;
    int to = indexOf(source, indent + END);
    String snippet = source.subList(from, to).stream()
        .map(line -> line.length() >= indent.length() ? line.substring(indent.length())
            : line.strip())
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains(snippet), "README.md must contain the example exactly:\n" + snippet);
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker not found: " + marker);
  }
}
