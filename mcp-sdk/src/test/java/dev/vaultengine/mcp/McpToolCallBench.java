package dev.vaultengine.mcp;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import dev.vaultengine.mcp.fixture.LoopbackMcpServer;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.testkit.TestKeys;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of the vault in an MCP tool call: {@code tools/call} through the MCP Java SDK's sync
 * client and streamable HTTP transport to {@link LoopbackMcpServer} (Tomcat on loopback, bearer
 * filter), once with {@link VaultMcpAuth}'s customizer (a session over the in-memory store, a
 * {@code static_bearer} credential) and once with a customizer that sets the same header from a
 * constant. Goal: vault / fixed at most 1.05, both measured in the same run; {@link #main} also
 * measures them interleaved, which a loaded machine needs. The customizers alone
 * ({@code customize*}) show the vault's own cost per request. Not a test: run it with
 * {@link #main} on the test class path, e.g.
 *
 * <pre>
 * mvn -q -pl mcp-sdk -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp \
 *     -Dmdep.includeScope=test
 * java -cp mcp-sdk/target/test-classes:mcp-sdk/target/classes:$(cat /tmp/cp) \
 *     dev.vaultengine.mcp.McpToolCallBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class McpToolCallBench {
  private static final String TOKEN = "bench-token-0123456789abcdef0123456789abcdef";

  private LoopbackMcpServer server;
  private VaultEngine engine;
  private McpSyncClient throughVault;
  private McpSyncClient fixedHeader;
  private McpSchema.CallToolRequest call;
  private URI endpoint;
  private McpSyncHttpClientRequestCustomizer vaultCustomizer;
  private McpSyncHttpClientRequestCustomizer fixedCustomizer;

  /** For JMH. */
  public McpToolCallBench() {}

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = LoopbackMcpServer.start();
    server.accept(TOKEN);
    engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek()).build();
    String url = server.streamableUrl();
    CreatedVault vault = engine.forAccount("bench").createVault(CreateVaultRequest.builder()
        .displayName("bench").addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
            .protocol(Protocol.STREAMABLE_HTTP).accessToken(Secret.of(TOKEN)).build())
        .build());
    VaultSession session = engine.forAccount("bench").openSession(List.of(vault.vault().id()));
    throughVault = client(VaultMcpAuth.forServer(url, session).requestCustomizer());
    String header = "Bearer " + TOKEN;
    fixedHeader = client((builder, method, uri, body, context) ->
        builder.setHeader("Authorization", header));
    endpoint = URI.create(url);
    vaultCustomizer = VaultMcpAuth.forServer(url, session).requestCustomizer();
    fixedCustomizer = (builder, method, uri, body, context) ->
        builder.setHeader("Authorization", header);
    call = McpSchema.CallToolRequest.builder(LoopbackMcpServer.TOOL)
        .arguments(Map.of()).build();
  }

  private McpSyncClient client(McpSyncHttpClientRequestCustomizer customizer) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
            .builder(server.origin()).endpoint("/mcp")
            .addHttpRequestCustomizer(customizer).build())
        .requestTimeout(Duration.ofSeconds(10)).build();
    client.initialize();
    return client;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    throughVault.closeGracefully();
    fixedHeader.closeGracefully();
    engine.close();
    server.close();
  }

  /** A tool call whose header the vault's customizer sets. */
  @Benchmark
  public McpSchema.CallToolResult throughVault() {
    return throughVault.callTool(call);
  }

  /** The same call with the header set from a constant. */
  @Benchmark
  public McpSchema.CallToolResult fixedHeader() {
    return fixedHeader.callTool(call);
  }

  /** The vault customizer alone on a fresh request builder: its own cost per request. */
  @Benchmark
  public HttpRequest customizeThroughVault() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint);
    vaultCustomizer.customize(builder, "POST", endpoint, "{}", McpTransportContext.EMPTY);
    return builder.build();
  }

  /** The fixed-header customizer alone on a fresh request builder. */
  @Benchmark
  public HttpRequest customizeFixed() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint);
    fixedCustomizer.customize(builder, "POST", endpoint, "{}", McpTransportContext.EMPTY);
    return builder.build();
  }

  /**
   * Runs the JMH benchmarks, then the two tool calls interleaved (rounds of 50 calls of each, the
   * order alternating per round, so both see the same machine load), and prints
   * {@code RATIO mcp_tool_call_vault_vs_fixed <median over rounds> <= 1.05 spread=<lo>-<hi>}.
   * {@code -Dinterleaved.only=true} skips JMH.
   */
  public static void main(String[] args) throws Exception {
    if (!Boolean.getBoolean("interleaved.only")) {
      Collection<RunResult> results = new Runner(new OptionsBuilder()
          .include(McpToolCallBench.class.getName() + "\\.").build()).run();
      for (RunResult r : results) {
        System.out.printf("JMH %s %.1f us/op%n", r.getParams().getBenchmark(),
            r.getPrimaryResult().getScore());
      }
    }
    McpToolCallBench bench = new McpToolCallBench();
    bench.setUp();
    try {
      int rounds = Integer.getInteger("rounds", 40);
      int calls = 50;
      for (int i = 0; i < 200; i++) { // warm both paths
        bench.throughVault();
        bench.fixedHeader();
      }
      double[] ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long vault;
        long fixed;
        if (round % 2 == 0) {
          vault = time(bench::throughVault, calls);
          fixed = time(bench::fixedHeader, calls);
        } else {
          fixed = time(bench::fixedHeader, calls);
          vault = time(bench::throughVault, calls);
        }
        ratios[round] = (double) vault / fixed;
      }
      java.util.Arrays.sort(ratios);
      System.out.printf("RATIO mcp_tool_call_vault_vs_fixed %.3f <= 1.05 spread=%.3f-%.3f "
          + "rounds=%d%n", ratios[rounds / 2], ratios[0], ratios[rounds - 1], rounds);
    } finally {
      bench.tearDown();
    }
  }

  private static long time(Runnable call, int times) {
    long start = System.nanoTime();
    for (int i = 0; i < times; i++) {
      call.run();
    }
    return System.nanoTime() - start;
  }
}
