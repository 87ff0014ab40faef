package dev.vaultengine.benchmarks;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * An MCP tool call (issue 16), each way on its own: {@code tools/call} through the MCP SDK's sync
 * client over streamable HTTP to {@link McpLoopbackServer}, with the vault's request customizer
 * or with a fixed {@code Authorization} header ({@link Ops.McpCall}). The ratio measures them
 * inside {@link Interleaved}, in the same fork (group {@code mcpToolCall}); this class is what a
 * member's name refers to, and runs one by hand.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class McpBenchmarks {
  private Ops.McpCall op;

  /** Builds only what the benchmark being run needs. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String b = params.getBenchmark();
    switch (b.substring(b.lastIndexOf('.') + 1)) {
      case "toolCallThroughVault" -> op = Ops.McpCall.throughVault(new Ops.McpToolCall());
      case "toolCallFixedHeader" -> op = Ops.McpCall.fixedHeader(new Ops.McpToolCall());
      default -> throw new IllegalStateException("unknown benchmark " + b);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    op.close();
  }

  @Benchmark
  public McpSchema.CallToolResult toolCallThroughVault() {
    return op.run();
  }

  @Benchmark
  public McpSchema.CallToolResult toolCallFixedHeader() {
    return op.run();
  }
}
