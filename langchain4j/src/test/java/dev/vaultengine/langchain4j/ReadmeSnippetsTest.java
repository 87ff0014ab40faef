package dev.vaultengine.langchain4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.vaultengine.VaultSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's LangChain4j lines ("Connecting an agent's MCP client") compile here (not run:
 * DefaultMcpClient connects as it is built) and the README must show them exactly.
 */
class ReadmeSnippetsTest {

  @SuppressWarnings("unused") // compiled, not run
  private static McpClient example(VaultSession session) {
    // README:lc4j:start
    McpTransport transport = VaultMcpHeaders.transport("https://mcp.notion.com/mcp", session)
        .timeout(Duration.ofSeconds(30))
        .build();
    McpClient client = DefaultMcpClient.builder().transport(transport).build();
    // README:lc4j:end
    return client;
  }

  @Test
  void theLangChain4jExampleIsShownExactly() throws Exception {
    String indent = "    ";
    List<String> source = Files.readAllLines(
        Path.of("src/test/java/dev/vaultengine/langchain4j/ReadmeSnippetsTest.java"));
    int from = source.indexOf(indent + "// README:lc4j:start") + 1;
    int to = source.indexOf(indent + "// README:lc4j:end");
    assertTrue(from > 0 && to > from);
    String snippet = source.subList(from, to).stream().map(l -> l.substring(indent.length()))
        .collect(Collectors.joining("\n"));
    assertTrue(Files.readString(Path.of("..", "README.md")).contains("```java\n" + snippet
        + "\n```"), "README.md must show exactly:\n" + snippet);
  }
}
