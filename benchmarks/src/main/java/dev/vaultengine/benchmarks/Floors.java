package dev.vaultengine.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.CredentialType;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The physical floor of each operation, measured in the same run: what the work costs with no
 * engine at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Floors {
  private Aead aead;
  private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
  private final ConcurrentSkipListMap<String, CredentialRow> memory = new ConcurrentSkipListMap<>();
  private final Map<String, byte[]> byUrl = new HashMap<>();
  private final Secret heldToken = Secret.of(Fixtures.TOKEN);
  private JdbcConnectionPool floorPool;
  private Jdbi floorJdbi;
  private VaultEngine selectEngine;
  private JdbcConnectionPool selectPool;
  private Jdbi selectJdbi;
  private String hotVault;
  private String hotHash;
  private final AtomicLong counter = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    AeadConfig.register();
    aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
        RegistryConfiguration.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
    byUrl.put(McpServerUrl.parse(EngineBenchmarks.HOT_URL).normalized(), token);

    // JDBC floor: the same row into the same kind of H2 file, one plain INSERT, autocommit.
    Path floorDir = Fixtures.tempDir("bench-floor-");
    EmbeddedStores.h2File(floorDir).close(); // create the same schema
    floorPool = JdbcConnectionPool.create(Fixtures.h2Url(floorDir), "sa", "");
    floorJdbi = Jdbi.create(floorPool);
    floorJdbi.useHandle(h -> h.execute("INSERT INTO ve_vaults (id, account_id, display_name, "
        + "name_folded, metadata, status, created_at, updated_at) VALUES ('vault_floor', 'bench', "
        + "'floor', 'floor', '{}', 'active', 0, 0)"));

    // Resolve floor: a raw indexed select on the table the H2 store itself reads.
    Path selectDir = Fixtures.tempDir("bench-select-");
    selectEngine = Fixtures.engine("h2file", selectDir);
    var vaults = selectEngine.forAccount("bench");
    Fixtures.fill(vaults, 10_000);
    hotVault = Fixtures.vaultWith(vaults, "hot", EngineBenchmarks.HOT_URL);
    hotHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
        McpServerUrl.parse(EngineBenchmarks.HOT_URL).normalized()
            .getBytes(StandardCharsets.UTF_8)));
    selectPool = JdbcConnectionPool.create(Fixtures.h2Url(selectDir), "sa", "");
    selectJdbi = Jdbi.create(selectPool);
  }

  /** Each iteration starts from the same rows, as the engine's creates do (EngineBenchmarks). */
  @TearDown(Level.Iteration)
  public void clearInsertedRows() {
    memory.clear();
    floorJdbi.useHandle(h -> h.execute("DELETE FROM ve_credentials WHERE vault_id = 'vault_floor'"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    floorPool.dispose();
    selectPool.dispose();
    selectEngine.close();
  }

  private byte[] encrypt(String id) throws GeneralSecurityException {
    return aead.encrypt(token, id.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Memory floor: Tink AEAD encrypt plus a ConcurrentSkipListMap put of the same row the engine
   * keeps (id as long as the engine's, URL, times, encrypted token), as the JDBC floor inserts the
   * same row. An earlier floor put the ciphertext alone; it was cheaper (1.68 us on this machine)
   * because it retains a fraction of the bytes, which the collector then copies less.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public CredentialRow memoryFloor() throws GeneralSecurityException {
    long n = counter.incrementAndGet();
    String id = String.format("vcrd_%033d", n);
    String url = "https://svc" + n + ".example/mcp";
    Instant now = Instant.now();
    CredentialRow row = new CredentialRow("bench", id, "vlt_floor", url, url, Protocol.SSE,
        CredentialType.STATIC_BEARER, Status.ACTIVE, null, now, now,
        new EncryptedToken(1, encrypt(id)));
    memory.put(id, row);
    return row;
  }

  /**
   * JDBC floor: Tink AEAD encrypt plus one raw Jdbi INSERT of the same row (same columns, same
   * SHA-256 URL hash in the unique index) into the same kind of H2 file.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1) // as EngineBenchmarks.createCredential
  public int jdbcFloor() throws GeneralSecurityException {
    long n = counter.incrementAndGet();
    String id = "vcred_floor" + n;
    byte[] ciphertext = encrypt(id);
    String url = "https://svc" + n + ".example/mcp";
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(url.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return floorJdbi.withHandle(h -> h.createUpdate("INSERT INTO ve_credentials (id, account_id, "
            + "vault_id, mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, "
            + "status, created_at, updated_at, token_key_id, token) VALUES (:id, 'bench', "
            + "'vault_floor', :url, :url, :url, :hash, 'sse', 'static_bearer', 'active', 0, 0, 1, "
            + ":token)")
        .bind("id", id).bind("url", url).bind("hash", hash).bind("token", ciphertext).execute());
  }

  /** Resolve floor (memory): a plain map get of a token by URL. */
  @Benchmark
  public byte[] mapGet() {
    return byUrl.get("https://hot.example/mcp");
  }

  /**
   * Not a floor of the goals: what building resolve's result alone costs, a fresh copy of a held
   * token in a new {@code ResolvedCredential} and {@code Optional}, with no lookup at all. The API
   * hands every caller a token of its own to destroy, so no resolve can cost less than this.
   */
  @Benchmark
  public Optional<ResolvedCredential> resolveResultOnly() {
    return Optional.of(new ResolvedCredential("vault_hot", "vcred_hot", EngineBenchmarks.HOT_URL,
        Protocol.SSE, heldToken.copy()));
  }

  /** Resolve floor (H2): the raw indexed select of the token, nothing else. */
  @Benchmark
  public byte[] indexedSelect() {
    return selectJdbi.withHandle(h -> h.createQuery("SELECT token FROM ve_credentials "
            + "WHERE vault_id = :vault AND active_url_hash = :hash AND account_id = 'bench'")
        .bind("vault", hotVault).bind("hash", hotHash)
        .map((rs, ctx) -> rs.getBytes(1)).one());
  }
}
