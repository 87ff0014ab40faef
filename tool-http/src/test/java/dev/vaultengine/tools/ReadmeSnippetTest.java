package dev.vaultengine.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.VaultSession;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's tool lines ("Connecting an agent's MCP client") compile here (not run: they call a
 * public API; ToolHttpClientTest runs the same calls on loopback) and the README must show them
 * exactly.
 */
class ReadmeSnippetTest {

  @SuppressWarnings("unused") // compiled, not run
  private static HttpResponse<String> example(VaultSession session) throws Exception {
    // README:tool:start
    ToolHttpClient http = ToolHttpClient.of(session);
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.openai.com/v1/models"))
        .header("Authorization", "Bearer " + http.placeholder("OPENAI_API_KEY")).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    // README:tool:end
    return response;
  }

  @Test
  void theToolExampleIsShownExactly() throws Exception {
    String indent = "    ";
    List<String> source = Files.readAllLines(
        Path.of("src/test/java/dev/vaultengine/tools/ReadmeSnippetTest.java"));
    int from = source.indexOf(indent + "// README:tool:start") + 1;
    int to = source.indexOf(indent + "// README:tool:end");
    assertTrue(from > 0 && to > from);
    String snippet = source.subList(from, to).stream().map(l -> l.substring(indent.length()))
        .collect(Collectors.joining("\n"));
    assertTrue(Files.readString(Path.of("..", "README.md")).contains("```java\n" + snippet
        + "\n```"), "README.md must show exactly:\n" + snippet);
  }
}
