package dev.vaultengine.benchmarks;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine's operations on each store, with 10,000 credentials already stored: create
 * credential, get vault, resolve (hot).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EngineBenchmarks {
  static final String HOT_URL = "https://hot.example/mcp";

  @Param({"memory", "h2file", "postgres"})
  public String store;

  private VaultEngine engine;
  private VaultService vaults;
  private String vaultId;
  private String targetVaultId;
  private VaultSession session;
  private final AtomicLong counter = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Fixtures.tempDir("bench-engine-");
    engine = Fixtures.engine(store, dir);
    vaults = engine.forAccount("bench");
    Fixtures.fill(vaults, 10_000);
    vaultId = Fixtures.vaultWith(vaults, "hot", HOT_URL);
    session = vaults.openSession(List.of(vaultId));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /**
   * Creates go to a vault made for each iteration and deleted after it (the floors clear their
   * rows the same way), so that every iteration starts from the same store: a store that grew for
   * the whole run made the collector's pauses, and with them the figures, drift from one iteration
   * to the next.
   */
  @Setup(Level.Iteration)
  public void newTargetVault() {
    targetVaultId = Fixtures.vaultWith(vaults, "target", "https://target.example/mcp");
  }

  @TearDown(Level.Iteration)
  public void dropTargetVault() {
    vaults.deleteVault(targetVaultId);
  }

  /**
   * Warms up ten seconds even in quick mode (as long as the full mode's 5 x 2 s): an H2 file that
   * takes a commit per create costs 2-4x more for its first seconds (1,250 us, then 350 us after
   * ten seconds here), and so does its floor, each on its own schedule.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public Credential createCredential() {
    return vaults.createCredential(targetVaultId, CreateCredentialRequest.builder()
        .mcpServerUrl("https://svc" + counter.incrementAndGet() + ".example/mcp")
        .protocol(Protocol.SSE).accessToken(Fixtures.TOKEN).build());
  }

  @Benchmark
  public Vault getVault() {
    return vaults.getVault(vaultId);
  }

  @Benchmark
  public Optional<ResolvedCredential> resolve() {
    return session.resolve(HOT_URL);
  }
}
