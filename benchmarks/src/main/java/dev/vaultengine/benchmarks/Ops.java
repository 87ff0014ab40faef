package dev.vaultengine.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The measured operations with their setup, one class each. The standalone JMH classes
 * ({@link EngineBenchmarks}, {@link Floors}, {@link ListBenchmark}, {@link Pkcs12Peer},
 * {@link ResolveFromStore}) and the interleaved groups of {@link Interleaved} both call these, so a
 * member of a group does exactly what the standalone benchmark of the same name does.
 *
 * <p>Each operation has a typed {@code run()} (not part of {@link Op}, so that a group's dispatch
 * calls a concrete final method the JIT can inline) and the work around each iteration.
 */
final class Ops {
  static final String HOT_URL = "https://hot.example/mcp";

  private Ops() {}

  /** What every operation does around an iteration and at the end of the trial. */
  interface Op extends AutoCloseable {
    /** Before each iteration (not timed). */
    default void beforeIteration() {}

    /** After each iteration (not timed). */
    default void afterIteration() {}

    @Override
    void close();
  }

  /** SHA-256 of {@code s} in hex, as the JDBC store hashes URL keys. */
  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Aead newAead() {
    try {
      AeadConfig.register();
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
          RegistryConfiguration.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ the engine

  /**
   * An engine on one store kind with 10,000 credentials stored (100 vaults of 100) and a vault
   * holding {@link #HOT_URL}, and a session on that vault.
   */
  static final class Engine implements Op {
    final VaultEngine engine;
    final VaultService vaults;
    final String hotVaultId;
    final VaultSession session;

    Engine(String kind) {
      Path dir = Fixtures.tempDir("bench-engine-");
      engine = Fixtures.engine(kind, dir);
      vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      hotVaultId = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      session = vaults.openSession(List.of(hotVaultId));
    }

    /** Resolve (hot): the same URL again and again. */
    Optional<ResolvedCredential> resolve() {
      return session.resolve(HOT_URL);
    }

    Vault getVault() {
      return vaults.getVault(hotVaultId);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /**
   * Create credential. Creates go to a vault made for each iteration and deleted after it (the
   * floors clear their rows the same way), so that every iteration starts from the same store: a
   * store that grew for the whole run made the collector's pauses, and with them the figures,
   * drift from one iteration to the next.
   */
  static final class Create implements Op {
    private final Engine e;
    private final boolean ownsEngine;
    private final AtomicLong counter = new AtomicLong();
    private String targetVaultId;

    /** On an engine of its own. */
    Create(String kind) {
      this(new Engine(kind), true);
    }

    /** On {@code e}, which the caller closes. */
    Create(Engine e, boolean ownsEngine) {
      this.e = e;
      this.ownsEngine = ownsEngine;
    }

    @Override
    public void beforeIteration() {
      targetVaultId = Fixtures.vaultWith(e.vaults, "target", "https://target.example/mcp");
    }

    @Override
    public void afterIteration() {
      e.vaults.deleteVault(targetVaultId);
    }

    Credential run() {
      return e.vaults.createCredential(targetVaultId, CreateCredentialRequest.builder()
          .mcpServerUrl("https://svc" + counter.incrementAndGet() + ".example/mcp")
          .protocol(Protocol.SSE).accessToken(Fixtures.TOKEN).build());
    }

    @Override
    public void close() {
      if (ownsEngine) {
        e.close();
      }
    }
  }

  /** Resolve (hot) on an engine of its own. */
  static final class Resolve implements Op {
    private final Engine e;

    Resolve(String kind) {
      e = new Engine(kind);
    }

    Optional<ResolvedCredential> run() {
      return e.resolve();
    }

    @Override
    public void close() {
      e.close();
    }
  }

  /**
   * Resolve (hot) on a store that must be read every time: the store is built over the host's own
   * pool, so it reports no change count (another program may write the file) and a session cannot
   * answer from its last answer. This is what every resolve costs on a shared database, and what
   * the first resolve of a URL after any write costs on a store that counts its changes.
   */
  static final class ResolveReadingTheStore implements Op {
    private final DataSource pool;
    private final VaultEngine engine;
    private final VaultSession session;

    ResolveReadingTheStore(String kind) {
      Path dir = Fixtures.tempDir("bench-resolve-store-");
      pool = Fixtures.hostPool(kind, dir);
      engine = VaultEngine.builder().store(JdbcVaultStore.builder(pool).build())
          .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
      VaultService vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      String vaultId = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      session = vaults.openSession(List.of(vaultId));
    }

    Optional<ResolvedCredential> run() {
      return session.resolve(HOT_URL);
    }

    @Override
    public void close() {
      engine.close();
      Fixtures.close(pool);
    }
  }

  // ------------------------------------------------------------------ floors

  /**
   * Memory floor: Tink AEAD encrypt plus a ConcurrentSkipListMap put of the same row the engine
   * keeps (id as long as the engine's, URL, times, encrypted token), as the JDBC floor inserts the
   * same row. An earlier floor put the ciphertext alone; it was cheaper (1.68 us on this machine)
   * because it retains a fraction of the bytes, which the collector then copies less.
   */
  static final class MemoryFloor implements Op {
    private final Aead aead = newAead();
    private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
    private final ConcurrentSkipListMap<String, CredentialRow> memory =
        new ConcurrentSkipListMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** Each iteration starts from the same rows, as the engine's creates do. */
    @Override
    public void afterIteration() {
      memory.clear();
    }

    CredentialRow run() throws GeneralSecurityException {
      long n = counter.incrementAndGet();
      String id = String.format("vcrd_%033d", n);
      String url = "https://svc" + n + ".example/mcp";
      Instant now = Instant.now();
      CredentialRow row = new CredentialRow("bench", id, "vlt_floor", url,
          new CredentialKind.StaticBearer(url, Protocol.SSE), null, Map.of(), Status.ACTIVE, null,
          now, now, EncryptedSecrets.of(
              new EncryptedToken(1, aead.encrypt(token, id.getBytes(StandardCharsets.UTF_8)))));
      memory.put(id, row);
      return row;
    }

    @Override
    public void close() {}
  }

  /**
   * JDBC floor: Tink AEAD encrypt plus one raw Jdbi INSERT, autocommit, of the same row (same
   * columns, same SHA-256 URL hash in the unique index) into the same kind of file the store
   * writes, opened with the same settings, its schema made by the store itself.
   */
  static final class JdbcFloor implements Op {
    private final Aead aead = newAead();
    private final byte[] token = Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8);
    private final DataSource pool;
    private final Jdbi jdbi;
    private final AtomicLong counter = new AtomicLong();

    /** {@code kind}: a file store kind of {@link Fixtures#store}. */
    JdbcFloor(String kind) {
      Path dir = Fixtures.tempDir("bench-floor-");
      Fixtures.store(kind, dir).close(); // the store's own schema
      pool = Fixtures.hostPool(kind, dir);
      jdbi = Jdbi.create(pool);
      jdbi.useHandle(h -> h.execute("INSERT INTO ve_vaults (id, account_id, display_name, "
          + "name_folded, metadata, status, created_at, updated_at) VALUES ('vault_floor', "
          + "'bench', 'floor', 'floor', '{}', 'active', 0, 0)"));
    }

    /** Each iteration starts from the same rows, as the engine's creates do. */
    @Override
    public void afterIteration() {
      jdbi.useHandle(h -> h.execute("DELETE FROM ve_credentials WHERE vault_id = 'vault_floor'"));
    }

    int run() throws GeneralSecurityException {
      long n = counter.incrementAndGet();
      String id = "vcred_floor" + n;
      byte[] ciphertext = aead.encrypt(token, id.getBytes(StandardCharsets.UTF_8));
      String url = "https://svc" + n + ".example/mcp";
      String hash = sha256Hex(url);
      return jdbi.withHandle(h -> h.createUpdate("INSERT INTO ve_credentials (id, account_id, "
              + "vault_id, mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, "
              + "status, created_at, updated_at, token_key_id, token) VALUES (:id, 'bench', "
              + "'vault_floor', :url, :url, :url, :hash, 'sse', 'static_bearer', 'active', 0, 0, "
              + "1, :token)")
          .bind("id", id).bind("url", url).bind("hash", hash).bind("token", ciphertext)
          .execute());
    }

    @Override
    public void close() {
      Fixtures.close(pool);
    }
  }

  /** Resolve floor (memory): a plain map get of a token by URL. */
  static final class MapGet implements Op {
    private final Map<String, byte[]> byUrl = new HashMap<>();

    MapGet() {
      byUrl.put(McpServerUrl.parse(HOT_URL).normalized(),
          Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8));
    }

    byte[] run() {
      return byUrl.get("https://hot.example/mcp");
    }

    @Override
    public void close() {}
  }

  /**
   * What building resolve's result alone costs: a fresh copy of a held token in a new
   * {@code ResolvedCredential} and {@code Optional}, with no lookup at all. The API hands every
   * caller a token of its own to destroy, so no resolve can cost less than this (plus a lookup).
   */
  static final class ResultOnly implements Op {
    private final Secret heldToken = Secret.of(Fixtures.TOKEN);

    Optional<ResolvedCredential> run() {
      return Optional.of(new ResolvedCredential("vault_hot", "vcred_hot", HOT_URL,
          Protocol.SSE, heldToken.copy()));
    }

    @Override
    public void close() {}
  }

  /**
   * Resolve floor (file stores): the raw indexed select of the token, nothing else, on the table
   * the store itself reads (10,000 credentials and the hot one, written by the engine), over a
   * pool of its own on the same file with the same settings.
   */
  static final class IndexedSelect implements Op {
    private final VaultEngine engine;
    private final DataSource pool;
    private final Jdbi jdbi;
    private final String hotVault;
    private final String hotHash;

    IndexedSelect(String kind) {
      Path dir = Fixtures.tempDir("bench-select-");
      engine = Fixtures.engine(kind, dir);
      VaultService vaults = engine.forAccount("bench");
      Fixtures.fill(vaults, 10_000);
      hotVault = Fixtures.vaultWith(vaults, "hot", HOT_URL);
      hotHash = sha256Hex(McpServerUrl.parse(HOT_URL).normalized());
      pool = Fixtures.hostPool(kind, dir);
      jdbi = Jdbi.create(pool);
    }

    byte[] run() {
      return jdbi.withHandle(h -> h.createQuery("SELECT token FROM ve_credentials "
              + "WHERE vault_id = :vault AND active_url_hash = :hash AND account_id = 'bench'")
          .bind("vault", hotVault).bind("hash", hotHash)
          .map((rs, ctx) -> rs.getBytes(1)).one());
    }

    @Override
    public void close() {
      Fixtures.close(pool);
      engine.close();
    }
  }

  // ------------------------------------------------------------------ the peer

  /**
   * The peer: what many Java programs use instead, a PKCS12 {@code KeyStore} file as the secret
   * store, one entry per credential, saved after each write, with 10,000 secrets in it at the
   * start of every iteration (the entries an iteration adds are removed after it, as the engine's
   * creates go to a vault deleted after the iteration).
   */
  static final class Pkcs12Write implements Op {
    private static final char[] PASSWORD = "benchmark-password".toCharArray();

    private final KeyStore keyStore;
    private final Path file;
    private final KeyStore.ProtectionParameter protection =
        new KeyStore.PasswordProtection(PASSWORD);
    private final AtomicLong counter = new AtomicLong();
    private final List<String> added = new ArrayList<>();

    /**
     * Loads the 10,000 secrets from a file made by the first run on this machine and Java version
     * (in the temporary directory): setting 10,000 entries derives a key from the password for
     * each, which took about a minute per fork on the loaded machine where this was written, and a
     * program that keeps its secrets this way loads its file at start too.
     */
    Pkcs12Write() {
      try {
        file = Fixtures.tempDir("bench-pkcs12-").resolve("secrets.p12");
        // Per Java version: the JDK's PKCS12 defaults (key protection, MAC) may change with it.
        Path prefilled = Path.of(System.getProperty("java.io.tmpdir"),
            "vault-engine-bench-pkcs12-10000-java" + System.getProperty("java.version") + ".p12");
        if (!Files.exists(prefilled)) {
          KeyStore fresh = KeyStore.getInstance("PKCS12");
          fresh.load(null, PASSWORD);
          for (int i = 0; i < 10_000; i++) {
            fresh.setEntry("prefill-" + i, entry(), protection);
          }
          Path tmp = Files.createTempFile(prefilled.getParent(), "pkcs12-", ".tmp");
          try (OutputStream out = Files.newOutputStream(tmp)) {
            fresh.store(out, PASSWORD);
          }
          Files.move(tmp, prefilled, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(prefilled)) {
          keyStore.load(in, PASSWORD);
        }
        if (keyStore.size() != 10_000) {
          throw new IllegalStateException(prefilled + " holds " + keyStore.size() + " entries");
        }
        save();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static KeyStore.SecretKeyEntry entry() {
      return new KeyStore.SecretKeyEntry(new SecretKeySpec(
          Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8), "AES"));
    }

    private void save() throws Exception {
      try (OutputStream out = Files.newOutputStream(file)) {
        keyStore.store(out, PASSWORD);
      }
    }

    @Override
    public void afterIteration() {
      try {
        for (String alias : added) {
          keyStore.deleteEntry(alias);
        }
        added.clear();
        save();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** One secret written the way such programs do: set the entry, save the whole file. */
    void run() throws Exception {
      String alias = "cred-" + counter.incrementAndGet();
      keyStore.setEntry(alias, entry(), protection);
      added.add(alias);
      save();
    }

    @Override
    public void close() {}
  }

  // ------------------------------------------------------------------ list

  /**
   * A page of 20 vaults at depth (the cursor in the middle of the account) with {@code n} vaults
   * stored. The rows are loaded in bulk (SPI for memory, batched INSERTs for the files) so that a
   * million fit in the quick run.
   */
  static final class ListPage implements Op {
    private final VaultEngine engine;
    private final VaultService vaults;
    private final String cursor;

    ListPage(String kind, int n) {
      Path dir = Fixtures.tempDir("bench-list-");
      IdGenerator ids = IdGenerator.uuidV7(Clock.systemUTC(), 1);
      Instant now = Instant.parse("2026-11-22T00:00:00Z");
      String[] all = new String[n];
      for (int i = 0; i < n; i++) {
        all[i] = vaultId(ids.next());
      }
      VaultStore s;
      if (kind.equals("memory")) {
        InMemoryVaultStore memory = new InMemoryVaultStore();
        for (String id : all) {
          memory.insertVault(new VaultRow("bench", id, "vault " + id.substring(30), Map.of(),
              Status.ACTIVE, null, now, now), List.of());
        }
        s = memory;
      } else {
        Fixtures.store(kind, dir).close(); // the schema
        DataSource pool = Fixtures.hostPool(kind, dir);
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO ve_vaults (id, account_id, "
              + "display_name, name_folded, metadata, status, created_at, updated_at) VALUES "
              + "(?, 'bench', ?, ?, '{}', 'active', ?, ?)")) {
            for (int i = 0; i < n; i++) {
              ps.setString(1, all[i]);
              ps.setString(2, "vault " + i);
              ps.setString(3, "vault " + i);
              ps.setLong(4, i);
              ps.setLong(5, i);
              ps.addBatch();
              if (i % 10_000 == 9_999) {
                ps.executeBatch();
                c.commit();
              }
            }
            ps.executeBatch();
            c.commit();
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        } finally {
          Fixtures.close(pool);
        }
        s = Fixtures.store(kind, dir);
      }
      engine = VaultEngine.builder().store(s)
          .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
      vaults = engine.forAccount("bench");
      cursor = all[n / 2];
    }

    Page<Vault> run() {
      return vaults.listVaults(ListRequest.builder().limit(20).afterId(cursor).build());
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /**
   * A vault id as the engine writes it ({@code vault_} and the UUID's 32 lower-case hex digits),
   * made here rather than with the engine's internal formatter, which no other module may reach.
   */
  static String vaultId(java.util.UUID uuid) {
    java.util.HexFormat hex = java.util.HexFormat.of();
    return "vault_" + hex.toHexDigits(uuid.getMostSignificantBits())
        + hex.toHexDigits(uuid.getLeastSignificantBits());
  }
}
