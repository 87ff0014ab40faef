package dev.vaultengine.mcp;

import dev.vaultengine.VaultSession;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Sets a session's credential on each request of an MCP SDK HTTP transport that its server URL
 * covers, asking the session at every request. Made by {@link VaultMcpAuth#requestCustomizer()};
 * it runs on the thread that builds the request and may block there (a store read, a refresh).
 */
public final class VaultRequestCustomizer implements McpSyncHttpClientRequestCustomizer {
  private final VaultMcpAuth auth;

  VaultRequestCustomizer(VaultMcpAuth auth) {
    this.auth = auth;
  }

  @Override
  public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
      McpTransportContext context) {
    VaultSession session = auth.sessionForRequest(endpoint, context);
    if (session != null) {
      auth.apply(session, builder);
    }
  }

  @Override
  public String toString() {
    return "VaultRequestCustomizer[" + auth.mcpServerUrl() + "]";
  }
}
