package dev.vaultengine.benchmarks;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vaultengine.jdbc.Durability;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

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

  /** The SQLite file the store uses in {@code dir}: floors open the same file. */
  static Path sqliteFile(Path dir) {
    return dir.toAbsolutePath().normalize().resolve("vault.db");
  }

  /**
   * A pool of the host's own on the file store of {@code kind} in {@code dir}, with the settings
   * the store's factory uses: what the floors, the bulk loads and a store over the host's pool
   * open. H2: H2's pool on the same URL ({@code WRITE_DELAY=0}). SQLite: HikariCP over the
   * driver's data source, as {@code EmbeddedStores.sqlite} opens it (WAL, {@code synchronous}
   * FULL or NORMAL, foreign keys on, a 10 s busy timeout, autocommit, up to 8 connections). Like
   * the store, it does not use the driver's BEGIN IMMEDIATE mode (see the store's SQLite dialect:
   * a write transaction takes the write lock with its first statement instead); for one
   * autocommit statement the mode makes no difference. Close it with {@link #close}.
   */
  static DataSource hostPool(String kind, Path dir) {
    return switch (kind) {
      case "h2file" -> org.h2.jdbcx.JdbcConnectionPool.create(h2Url(dir), "sa", "");
      case "sqlite", "sqlite_normal" -> {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(kind.equals("sqlite") ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) EmbeddedStores.SQLITE_BUSY_TIMEOUT.toMillis());
        // As the store opens it: asked for by default, the driver runs SELECT last_insert_rowid()
        // after every INSERT, which cost a raw floor insert about 40 us with synchronous=NORMAL
        // (session 9), a cost the store does not pay.
        config.setGetGeneratedKeys(false);
        SQLiteDataSource source = new SQLiteDataSource(config);
        String path = sqliteFile(dir).toString();
        if (!path.matches("[A-Za-z0-9/._-]+")) { // the store percent-encodes; these need none
          throw new IllegalArgumentException("temporary directory with a path to encode: " + path);
        }
        source.setUrl("jdbc:sqlite:file:" + path);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setPoolName("bench-sqlite");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        yield new HikariDataSource(hikari);
      }
      default -> throw new IllegalArgumentException("no host pool for " + kind);
    };
  }

  /** Closes a pool of {@link #hostPool}. */
  static void close(DataSource pool) {
    if (pool instanceof org.h2.jdbcx.JdbcConnectionPool h2) {
      h2.dispose();
    } else if (pool instanceof HikariDataSource hikari) {
      hikari.close();
    }
  }

  /**
   * A store of {@code kind}: memory, h2file, postgres, sqlite (the default durability,
   * {@link Durability#SURVIVES_POWER_LOSS}: {@code synchronous=FULL}), sqlite_normal
   * ({@link Durability#SURVIVES_PROCESS_KILL}: {@code synchronous=NORMAL}).
   */
  static VaultStore store(String kind, Path dir) {
    return switch (kind) {
      case "memory" -> new InMemoryVaultStore();
      case "h2file" -> EmbeddedStores.h2File(dir);
      case "sqlite" -> EmbeddedStores.sqlite(dir);
      case "sqlite_normal" -> EmbeddedStores.sqlite(dir, Durability.SURVIVES_PROCESS_KILL);
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

  /**
   * Tables on a database server shared with other processes: PostgreSQL (127.0.0.1:5432, database
   * {@code test}, user {@code postgres}, trust) or MariaDB (127.0.0.1:3306, database {@code test},
   * root without password), the servers of the JDBC store's tests. Every store of one instance
   * uses the same table prefix, as two hosts on one database do; {@link #close} drops the tables
   * (every name starting with the prefix, as the store's tests drop theirs) and closes the pool.
   */
  static final class ServerTables implements AutoCloseable {
    final String kind;
    final String prefix;
    private final org.h2.jdbcx.JdbcConnectionPool pool;
    private final java.util.List<org.h2.jdbcx.JdbcConnectionPool> pools =
        new java.util.ArrayList<>();

    ServerTables(String kind) {
      this.kind = kind;
      this.prefix = "bench" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
      this.pool = pool(kind);
    }

    private static org.h2.jdbcx.JdbcConnectionPool pool(String kind) {
      org.h2.jdbcx.JdbcConnectionPool p = org.h2.jdbcx.JdbcConnectionPool.create(switch (kind) {
        case "postgres" -> pgPool();
        case "mariadb" -> mariaDbPool();
        default -> throw new IllegalArgumentException("not a database server: " + kind);
      });
      p.setMaxConnections(16);
      return p;
    }

    /**
     * A store on these tables over a pool of its own: two stores are two hosts (each with its own
     * connections, and on PostgreSQL its own LISTEN connection). Its pool is closed by
     * {@link #close}, after the engines (a store never closes the host's pool).
     */
    VaultStore newStore() {
      org.h2.jdbcx.JdbcConnectionPool own = pool(kind);
      synchronized (pools) {
        pools.add(own);
      }
      return JdbcVaultStore.builder(own).tablePrefix(prefix).build();
    }

    /** Drops the tables, then closes every pool. Close the engines first. */
    @Override
    public void close() {
      try (java.sql.Connection c = pool.getConnection()) {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, null,
            new String[] {"TABLE"})) {
          while (rs.next()) {
            String name = rs.getString("TABLE_NAME");
            if (name.toLowerCase(java.util.Locale.ROOT).startsWith(prefix)) {
              tables.add(name);
            }
          }
        }
        // Children first, so foreign keys never block a drop.
        tables.sort((x, y) -> Boolean.compare(!x.endsWith("credentials"),
            !y.endsWith("credentials")));
        try (java.sql.Statement st = c.createStatement()) {
          for (String t : tables) {
            st.execute("DROP TABLE IF EXISTS " + t);
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("dropping the benchmark's tables failed", e);
      } finally {
        pool.dispose();
        synchronized (pools) {
          pools.forEach(org.h2.jdbcx.JdbcConnectionPool::dispose);
          pools.clear();
        }
      }
    }
  }

  private static javax.sql.ConnectionPoolDataSource mariaDbPool() {
    try {
      org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource();
      ds.setUrl("jdbc:mariadb://127.0.0.1:3306/test?user=root");
      return ds;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static VaultEngine engine(String kind, Path dir) {
    return engine(kind, dir, b -> {});
  }

  /** An engine as {@link #engine(String, Path)}, with more settings ({@code more}) on its builder. */
  static VaultEngine engine(String kind, Path dir, Consumer<VaultEngine.Builder> more) {
    VaultEngine.Builder b = VaultEngine.builder().store(store(kind, dir))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json")));
    more.accept(b);
    return b.build();
  }

  /**
   * An {@code mcp_oauth} credential for {@code url} with the access token {@link #TOKEN}, expiring
   * at {@code expiresAt}, and a refresh block (a public client, a refresh token).
   */
  static CreateCredentialRequest oauthCredential(String url, Instant expiresAt) {
    return CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH).mcpServerUrl(url)
        .protocol(Protocol.SSE).accessToken(TOKEN).expiresAt(expiresAt)
        .refresh(new OAuthRefreshRequest("https://auth.example/token", "bench-client", null, null,
            Secret.of("rt_benchmark_0"), TokenEndpointAuth.none()))
        .build();
  }

  /** Creates a vault named {@code name} holding {@code credential}; returns its id. */
  static String vaultWith(VaultService vaults, String name, CreateCredentialRequest credential) {
    return vaults.createVault(CreateVaultRequest.builder().displayName(name)
        .addCredential(credential).build()).vault().id();
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
