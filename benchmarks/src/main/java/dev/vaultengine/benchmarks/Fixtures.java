package dev.vaultengine.benchmarks;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Engines on each store kind, in fresh directories, with a local KEK file. */
final class Fixtures {
  static final String TOKEN = "tok_benchmark_0123456789abcdefghijklmnopqrstuv";

  private Fixtures() {}

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The H2 file URL the store uses for {@code dir}: floors open the same kind of file. */
  static String h2Url(Path dir) {
    return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("vault") + ";WRITE_DELAY=0";
  }

  /**
   * A pool of the host's own on the file store of {@code kind} in {@code dir}, with the settings
   * the store's factory uses: what the floors and a store over the host's pool open.
   */
  static org.h2.jdbcx.JdbcConnectionPool hostPool(String kind, Path dir) {
    return switch (kind) {
      case "h2file" -> org.h2.jdbcx.JdbcConnectionPool.create(h2Url(dir), "sa", "");
      default -> throw new IllegalArgumentException("no host pool for " + kind);
    };
  }

  /** A store of {@code kind}: memory, h2file, postgres. */
  static VaultStore store(String kind, Path dir) {
    return switch (kind) {
      case "memory" -> new InMemoryVaultStore();
      case "h2file" -> EmbeddedStores.h2File(dir);
      case "postgres" -> {
        var pool = org.h2.jdbcx.JdbcConnectionPool.create(pgPool());
        String prefix = "bench" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
        yield JdbcVaultStore.builder(pool).tablePrefix(prefix).build();
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static javax.sql.ConnectionPoolDataSource pgPool() {
    org.postgresql.ds.PGConnectionPoolDataSource ds =
        new org.postgresql.ds.PGConnectionPoolDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
    ds.setUser("postgres");
    return ds;
  }

  static VaultEngine engine(String kind, Path dir) {
    return VaultEngine.builder().store(store(kind, dir))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build();
  }

  /** Creates a vault named {@code name} holding one credential for {@code url}; returns its id. */
  static String vaultWith(VaultService vaults, String name, String url) {
    return vaults.createVault(CreateVaultRequest.builder().displayName(name)
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url).protocol(Protocol.SSE)
            .accessToken(TOKEN).build()).build()).vault().id();
  }

  /** Fills {@code vaults} with {@code count} credentials, 100 per vault. */
  static void fill(VaultService vaults, int count) {
    for (int v = 0; v < count / 100; v++) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("fill " + v);
      for (int c = 0; c < 100; c++) {
        b.addCredential(CreateCredentialRequest.builder()
            .mcpServerUrl("https://fill" + c + ".example/mcp").protocol(Protocol.SSE)
            .accessToken(TOKEN).build());
      }
      vaults.createVault(b.build());
    }
  }
}
