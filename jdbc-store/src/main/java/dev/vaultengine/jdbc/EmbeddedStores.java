package dev.vaultengine.jdbc;

import static java.util.Objects.requireNonNull;

import dev.vaultengine.VaultException;
import dev.vaultengine.jdbc.internal.H2Pools;
import dev.vaultengine.jdbc.internal.OwnerOnlyFile;
import dev.vaultengine.jdbc.internal.SqliteFile;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stores in a database embedded in this process: a SQLite file, the default, or H2 (a file on
 * request, in memory for tests). A host that uses PostgreSQL or MariaDB does not need this class
 * (nor H2 on its class path): it opens {@link JdbcVaultStore#builder} over its own pool.
 */
public final class EmbeddedStores {
  /** How long a write waits for another process's SQLite write lock before it gives up. */
  public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);

  private EmbeddedStores() {}

  /**
   * The embedded default: the SQLite file {@code vault.db} in {@code directory} (created, with its
   * parents, if missing), with the default durability {@link Durability#SURVIVES_POWER_LOSS}.
   */
  public static JdbcVaultStore sqlite(Path directory) {
    return sqlite(directory, Durability.SURVIVES_POWER_LOSS);
  }

  /**
   * The SQLite file {@code vault.db} in {@code directory}, in WAL mode. Several processes may use
   * it at once (a host and the {@code vault} command, say): a write waits up to
   * {@link #SQLITE_BUSY_TIMEOUT} for another's write lock, then fails with an {@code api_error}
   * that says so. The database and its {@code -wal} and {@code -shm} files are owner-only. Any
   * path opens exactly that directory, whatever characters it holds.
   *
   * <p>The store reports a change count that sees every commit, by this process or another, so a
   * session answers a repeated resolve without a query while nothing was written.
   */
  public static JdbcVaultStore sqlite(Path directory, Durability durability) {
    return sqlite(directory, durability, SQLITE_BUSY_TIMEOUT);
  }

  /** {@link #sqlite(Path, Durability)} with another busy timeout (tests keep it short). */
  static JdbcVaultStore sqlite(Path directory, Durability durability, Duration busyTimeout) {
    requireNonNull(directory, "directory");
    requireNonNull(durability, "durability");
    requireNonNull(busyTimeout, "busyTimeout");
    SqliteFile file = SqliteFile.open(directory.resolve("vault.db"),
        durability == Durability.SURVIVES_POWER_LOSS, busyTimeout.toMillis());
    try {
      return new JdbcVaultStore(file.dataSource(), "ve_", SchemaMode.MIGRATE, file::close,
          JdbcVaultStore.Embedding.SQLITE, file, file.busyMessage());
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * An H2 database in {@code directory} (file {@code vault.mv.db}), opened with
   * {@code WRITE_DELAY=0} so that a commit is written to the file before it returns. Measured
   * limits (docs/RELIABILITY.md): H2 2.5 has lost the last returned commits to a SIGKILL in 1 to
   * 5 of 200 kills under load, never flushes a commit to the disk (a power cut loses more), grows
   * about 18 KB per commit until it reuses space, and only one process can open the file. Prefer
   * {@link #sqlite(Path)}. A directory whose path holds {@code ;} is refused
   * ({@code invalid_request_error}): H2 would read what follows as settings. Needs
   * {@code com.h2database:h2} on the class path.
   *
   * <p>H2 locks the file to one process, so the stores this JVM opens on it are all its writers:
   * they share one writer lock and one change count. A new file is created owner-only.
   */
  public static JdbcVaultStore h2File(Path directory) {
    requireNonNull(directory, "directory");
    String url = H2Pools.fileUrl(directory);
    // H2 would create the file with the umask's mode; an empty file is a new H2 database to it.
    OwnerOnlyFile.create(H2Pools.file(directory), "H2");
    return h2(url);
  }

  /** A private H2 database in memory, gone when the store is closed. Needs H2 on the class path. */
  public static JdbcVaultStore h2InMemory(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw VaultException.invalidRequest(
          "Field 'name' must be 1-64 letters, digits, '-' or '_'.", "name");
    }
    return h2("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
  }

  private static JdbcVaultStore h2(String url) {
    var pool = H2Pools.pool(url);
    try {
      return new JdbcVaultStore(pool, "ve_", SchemaMode.MIGRATE, () -> H2Pools.close(pool, url),
          JdbcVaultStore.Embedding.H2, null, null);
    } catch (RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }
}
