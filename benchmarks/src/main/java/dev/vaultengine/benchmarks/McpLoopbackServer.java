package dev.vaultengine.benchmarks;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A real MCP server on loopback for the {@code mcpToolCall} group: the MCP Java SDK's streamable
 * HTTP servlet transport in embedded Tomcat at {@code /mcp}, behind a filter that answers 401
 * unless the request carries {@code Authorization: Bearer <token>} for the one token it was given.
 * It serves one tool, {@value #TOOL}, that answers a constant text. Adapted from mcp-sdk's test
 * fixture {@code LoopbackMcpServer} (its server part only: no SSE transport, no request log, no
 * token fingerprints), so that this module does not depend on another module's test classes.
 */
final class McpLoopbackServer implements AutoCloseable {
  /** The tool. */
  static final String TOOL = "ping";
  /** What the tool answers. */
  static final String ANSWER = "pong";

  // Tomcat logs through java.util.logging: its start/stop INFO lines and, at undeploy, warnings
  // about the SDK's Reactor threads; held here so the setting is not collected with the logger.
  private static final java.util.logging.Logger TOMCAT_LOG =
      java.util.logging.Logger.getLogger("org.apache");

  static {
    TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;
  private final McpSyncServer server;

  // Tomcat 11 deprecates the mapping method embedding uses.
  @SuppressWarnings("deprecation")
  McpLoopbackServer(String token) throws Exception {
    baseDir = Files.createTempDirectory("bench-mcp-");
    HttpServletStreamableServerTransportProvider streamable =
        HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
    server = McpServer.sync(streamable).serverInfo("bench-loopback", "1")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder(TOOL, Map.of("type", "object"))
                .description("Answers " + ANSWER).build())
            .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                .addTextContent(ANSWER).build())
            .build())
        .build();

    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    Wrapper servlet = Tomcat.addServlet(context, "streamable", streamable);
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/mcp", "streamable", false);
    FilterDef filter = new FilterDef();
    filter.setFilterName("bearer");
    filter.setFilter(new BearerFilter("Bearer " + token));
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap map = new FilterMap();
    map.setFilterName("bearer");
    map.addURLPattern("/*");
    context.addFilterMap(map);
    tomcat.start();
    port = connector.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String origin() {
    return "http://127.0.0.1:" + port;
  }

  /** The streamable HTTP endpoint. */
  String streamableUrl() {
    return origin() + "/mcp";
  }

  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      try {
        tomcat.stop();
        tomcat.destroy();
      } catch (LifecycleException e) {
        throw new IOException("Tomcat did not stop", e);
      } finally {
        try (var files = Files.walk(baseDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** Lets through only requests whose Authorization header is exactly the expected one. */
  private static final class BearerFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private final String expected;

    BearerFilter(String expected) {
      this.expected = expected;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response,
        FilterChain chain) throws IOException, ServletException {
      if (expected.equals(request.getHeader("Authorization"))) {
        chain.doFilter(request, response);
        return;
      }
      response.setStatus(401);
      response.setHeader("WWW-Authenticate", "Bearer realm=\"bench-mcp\"");
      response.setContentType("application/json");
      response.getWriter().write("{\"error\":\"unauthorized\"}");
    }
  }
}
