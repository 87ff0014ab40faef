package dev.vaultengine.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.VaultException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which request URIs may carry the credential of a server URL. */
class RequestScopeTest {

  private static boolean covers(String server, String request) {
    return new RequestScope(server).covers(URI.create(request));
  }

  @Test
  void theServerUrlItselfAsNormalized() {
    assertTrue(covers("https://mcp.example.com/mcp", "https://mcp.example.com/mcp"));
    assertTrue(covers("https://mcp.example.com/mcp", "HTTPS://MCP.Example.COM:443/mcp"));
    assertTrue(covers("https://mcp.example.com", "https://mcp.example.com/"));
    assertTrue(covers("http://127.0.0.1:8080/sse?tenant=7", "http://127.0.0.1:8080/sse?tenant=7"));
  }

  @Test
  void theSseMessageEndpointOnTheSameOriginUnderTheServersDirectory() {
    String sse = "http://127.0.0.1:8080/sse";
    assertTrue(covers(sse, "http://127.0.0.1:8080/message?sessionId=3f2a"));
    assertTrue(covers(sse, "http://127.0.0.1:8080/mcp/message?sessionId=3f2a"));
    String mounted = "https://gw.example.com/github/sse";
    assertTrue(covers(mounted, "https://gw.example.com/github/messages/?session_id=1"));
    assertFalse(covers(mounted, "https://gw.example.com/linear/messages/?session_id=1"));
    assertFalse(covers(mounted, "https://gw.example.com/githubx/messages"));
  }

  @Test
  void nothingOnAnotherOrigin() {
    String sse = "http://127.0.0.1:8080/sse";
    assertFalse(covers(sse, "http://127.0.0.1:8081/message?sessionId=1"), "port");
    assertFalse(covers(sse, "http://localhost:8080/message?sessionId=1"), "host");
    assertFalse(covers(sse, "https://127.0.0.1:8080/message?sessionId=1"), "scheme");
    assertFalse(covers("https://mcp.example.com/mcp", "https://mcp.example.com.evil.io/mcp"));
    assertFalse(covers("https://mcp.example.com/mcp", "https://evil.io/mcp"));
  }

  @Test
  void noDotSegmentsAndNothingUnparseable() {
    String mounted = "https://gw.example.com/github/sse";
    assertFalse(covers(mounted, "https://gw.example.com/github/../linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/%2E%2E/linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/./message"));
    // Path parameters: Tomcat serves /github/..;/linear/message as /linear/message.
    assertFalse(covers(mounted, "https://gw.example.com/github/..;/linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/..;jsessionid=1/linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/%2e%2e;/linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/..%3B/linear/message"));
    assertFalse(covers(mounted, "https://gw.example.com/github/.;x/message"));
    assertTrue(covers(mounted, "https://gw.example.com/github/messages;v=1/?session_id=1"));
    assertFalse(covers(mounted, "https://user@gw.example.com/github/message"));
    assertFalse(covers(mounted, "ftp://gw.example.com/github/message"));
    assertFalse(new RequestScope(mounted).covers(null));
  }

  @Test
  void aServerUrlThatIsNotAnHttpUrlIsRefusedUpFront() {
    assertThrows(VaultException.class, () -> VaultMcpAuth.forServer("mcp.example.com/mcp"));
  }
}
