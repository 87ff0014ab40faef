package dev.vaultengine.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.McpHeadersSupplier;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultSession;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link VaultSession}'s credential for one MCP server, as the headers of LangChain4j's
 * {@link StreamableHttpMcpTransport}:
 *
 * <pre>{@code
 * McpTransport transport = VaultMcpHeaders.transport("https://mcp.example.com/mcp", session)
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * McpClient client = DefaultMcpClient.builder().transport(transport).build();
 * }</pre>
 *
 * <p>The transport calls it for every request it sends (each message, and its SSE channel), and it
 * asks the session each time, so a rotation, a refresh or an archive takes effect at the next
 * request without reconnecting. The transport sends every request to the one URL it was built
 * with; {@link #transport} builds it with the server URL given here, so the credential can only go
 * there. That transport has no hook for a 401, so an {@code mcp_oauth} token is kept fresh by the
 * session itself: a resolve within the engine's refresh window (default 60 s before
 * {@code expires_at}) refreshes it first. A token the server drops before its {@code expires_at}
 * fails the call with the server's 401; the next call after a refresh or update succeeds.
 *
 * <p>The session is the one given here, or one chosen per call: a {@link VaultSession} under
 * {@link #SESSION_PARAMETER} in the call's {@link InvocationParameters} (an AI service method's
 * {@code InvocationParameters} argument) wins. Requests without an invocation context
 * (initialization, notifications, the SSE channel) use the given session.
 *
 * <p>Immutable and thread-safe.
 */
public final class VaultMcpHeaders implements McpHeadersSupplier {
  /** The {@link InvocationParameters} key whose value, a {@link VaultSession}, serves that call. */
  public static final String SESSION_PARAMETER = "dev.vaultengine.langchain4j.session";

  private final McpServerUrl server;
  private final VaultSession session;

  private VaultMcpHeaders(String mcpServerUrl, VaultSession session) {
    this.server = McpServerUrl.parse(Objects.requireNonNull(mcpServerUrl, "mcpServerUrl"));
    this.session = session;
  }

  /**
   * The credential {@code session} holds for {@code mcpServerUrl}, unless a call's invocation
   * parameters name another session.
   *
   * @throws dev.vaultengine.VaultException.InvalidRequest when the URL is not an absolute http or
   *     https URL
   */
  public static VaultMcpHeaders forServer(String mcpServerUrl, VaultSession session) {
    return new VaultMcpHeaders(mcpServerUrl, Objects.requireNonNull(session, "session"));
  }

  /**
   * The credential for {@code mcpServerUrl} of the session each call names in its invocation
   * parameters; a request that names none (initialization among them) goes without a credential.
   */
  public static VaultMcpHeaders forServer(String mcpServerUrl) {
    return new VaultMcpHeaders(mcpServerUrl, null);
  }

  /**
   * A transport builder for {@code mcpServerUrl} with these headers: add timeouts, logging and
   * the like, then {@code build()}.
   */
  public static StreamableHttpMcpTransport.Builder transport(String mcpServerUrl,
      VaultSession session) {
    VaultMcpHeaders headers = forServer(mcpServerUrl, session);
    return new StreamableHttpMcpTransport.Builder()
        .url(headers.mcpServerUrl())
        .customHeaders(headers);
  }

  /** The server URL, as given. */
  public String mcpServerUrl() {
    return server.original();
  }

  /**
   * {@code Authorization: Bearer <token>} when the call's session has a credential for the server
   * URL, else no header.
   */
  @Override
  public Map<String, String> apply(McpCallContext context) {
    VaultSession s = sessionFor(context);
    if (s == null) {
      return Map.of();
    }
    Optional<ResolvedCredential> credential = s.resolve(server.original());
    return credential.isPresent()
        ? Map.of("Authorization", credential.get().authorizationHeader())
        : Map.of();
  }

  private VaultSession sessionFor(McpCallContext context) {
    InvocationContext invocation = context == null ? null : context.invocationContext();
    InvocationParameters parameters = invocation == null ? null
        : invocation.invocationParameters();
    Object chosen = parameters == null ? null : parameters.get(SESSION_PARAMETER);
    if (chosen == null) {
      return session;
    }
    if (chosen instanceof VaultSession) {
      return (VaultSession) chosen;
    }
    throw new IllegalStateException("The invocation parameters hold a "
        + chosen.getClass().getName() + " under " + SESSION_PARAMETER + ", not a VaultSession");
  }

  @Override
  public String toString() {
    return "VaultMcpHeaders[" + server.normalized() + "]";
  }
}
