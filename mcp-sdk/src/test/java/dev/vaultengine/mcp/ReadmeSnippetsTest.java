package dev.vaultengine.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.VaultEngineExtension;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's MCP Java SDK lines ("Connecting an agent's MCP client"): compiled and built here
 * (building connects to nothing), and the README must show them exactly.
 */
@ExtendWith(VaultEngineExtension.class)
class ReadmeSnippetsTest {
  private VaultSession current;

  private VaultSession currentSession() {
    return current;
  }

  @Test
  void theSdkExamplesBuildAndAreShownExactly(VaultService vaults) throws Exception {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("notion")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://mcp.notion.com/mcp")
            .protocol(Protocol.STREAMABLE_HTTP).accessToken(Secret.of("notion-token-0123456789"))
            .build())
        .build());
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    current = session;

    // README:streamable:start
    VaultMcpAuth auth = VaultMcpAuth.forServer("https://mcp.notion.com/mcp", session);
    McpClientTransport transport = HttpClientStreamableHttpTransport.builder("https://mcp.notion.com")
        .endpoint("/mcp")
        .addHttpRequestCustomizer(auth.requestCustomizer())
        .authorizationErrorHandler(auth.authorizationErrorHandler())
        .build();
    McpSyncClient client = McpClient.sync(transport).build();
    // README:streamable:end
    client.close();
    assertEquals("https://mcp.notion.com/mcp", auth.mcpServerUrl());
    withContext(transport).close();
    assertReadmeShows("streamable", "    ");
    assertReadmeShows("context", "    ");
  }

  private McpSyncClient withContext(McpClientTransport transport) {
    // README:context:start
    McpSyncClient client = McpClient.sync(transport)
        .transportContextProvider(() -> VaultMcpAuth.transportContext(currentSession()))
        .build();
    // README:context:end
    return client;
  }

  /** The README holds the lines between the markers {@code name}, less {@code indent}. */
  static void assertReadmeShows(String name, String indent) throws Exception {
    List<String> source = Files.readAllLines(
        Path.of("src/test/java/dev/vaultengine/mcp/ReadmeSnippetsTest.java"));
    int from = source.indexOf(indent + "// README:" + name + ":start") + 1;
    int to = source.indexOf(indent + "// README:" + name + ":end");
    assertTrue(from > 0 && to > from, "markers of " + name);
    String snippet = source.subList(from, to).stream()
        .map(line -> line.length() >= indent.length() ? line.substring(indent.length())
            : line.strip())
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains("```java\n" + snippet + "\n```"),
        "README.md must show exactly:\n" + snippet);
  }
}
