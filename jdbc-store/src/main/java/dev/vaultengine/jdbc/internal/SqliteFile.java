package dev.vaultengine.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vaultengine.VaultException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * One SQLite database file opened for a store: its connection pool, and the change count that lets
 * a session answer a repeated resolve without a query.
 *
 * <p>The file is named by a {@code file:} URI whose every byte outside {@code [A-Za-z0-9/._-]} is
 * percent-encoded, so a path reaches SQLite as exactly that path: no character of it can become a
 * driver setting. The file is created owner-only before SQLite opens it, and SQLite gives the WAL
 * and shared-memory files the permissions of the database file.
 *
 * <p>The change count is the WAL index's change counter, which SQLite increments at every commit
 * by any connection of any process, read from the shared-memory file this object keeps mapped
 * (a volatile read of one int, no query). A connection of this object stays open for the store's
 * life, so that file is never removed meanwhile. Where the file cannot be mapped, the count falls
 * back to {@code PRAGMA data_version} on that connection, which changes whenever another
 * connection committed (a few microseconds, one statement).
 *
 * <p>The descriptor the index is mapped through is shared by the {@code SqliteFile}s of this JVM
 * on one database and stays open while any of them is open or opening: closing a descriptor of a
 * file releases every POSIX lock the process holds on that file, SQLite's included. Closed right
 * after mapping (as it once was), it released SQLite's shared lock on the index, so the next
 * process to open the database took itself for the first user, truncated the index and rebuilt it
 * under the live store (seen as the change count falling back to a few units after another process
 * had only read). Users are counted from before their SQLite connections open until after they
 * are closed, so the descriptor is closed only when no {@code SqliteFile} of the JVM has a
 * connection to the database; a plain SQLite connection that the host itself keeps open on the
 * same file past that moment would lose its locks on the index.
 */
public final class SqliteFile implements AutoCloseable {
  /** Byte offsets in the WAL-index header (SQLite's file format, "walformat"). */
  private static final int WAL_INDEX_CHANGE = 8;
  private static final int WAL_INDEX_MAX_FRAME = 16;
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  /** The WAL indexes of this JVM, by the real path of their database file. */
  private static final Map<Path, WalIndex> WAL_INDEXES = new HashMap<>();

  /**
   * The WAL index of one database as this JVM sees it: the descriptor it is mapped through, the
   * mapped header, and how many {@code SqliteFile}s are open or opening on the database.
   */
  private static final class WalIndex {
    final Path key;
    // all guarded by WAL_INDEXES
    FileChannel channel;
    MappedByteBuffer header;
    int users;

    WalIndex(Path key) {
      this.key = key;
    }
  }

  private final Path file;
  private final HikariDataSource pool;
  private final Connection watcher;
  private final WalIndex index;
  private final MappedByteBuffer walIndex;
  private final PreparedStatement dataVersion;
  private final long busyTimeoutMillis;

  private SqliteFile(Path file, HikariDataSource pool, Connection watcher,
      WalIndex index, MappedByteBuffer walIndex, PreparedStatement dataVersion,
      long busyTimeoutMillis) {
    this.file = file;
    this.pool = pool;
    this.watcher = watcher;
    this.index = index;
    this.walIndex = walIndex;
    this.dataVersion = dataVersion;
    this.busyTimeoutMillis = busyTimeoutMillis;
  }

  /**
   * Opens (creating if needed) the database {@code file} with WAL journaling, the given
   * {@code synchronous} mode ({@code FULL} or {@code NORMAL}), foreign keys enforced, and a
   * bounded wait for another connection's write lock.
   */
  public static SqliteFile open(Path file, boolean fullSync, long busyTimeoutMillis) {
    Path absolute = file.toAbsolutePath().normalize();
    OwnerOnlyFile.create(absolute, "SQLite");
    SQLiteConfig config = new SQLiteConfig();
    config.setOpenMode(SQLiteOpenMode.OPEN_URI);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) busyTimeoutMillis);
    // No statement asks for generated keys; asked by default, the driver prepares and runs a
    // SELECT last_insert_rowid() after every INSERT (5% of a create in a profile).
    config.setGetGeneratedKeys(false);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + uri(absolute));

    QuietSlf4j.beforeFirstPool();
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(source);
    hikari.setPoolName("vault-engine-sqlite");
    hikari.setMaximumPoolSize(8);
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(busyTimeoutMillis + 5_000);
    hikari.setAutoCommit(true);
    HikariDataSource pool = null;
    Connection watcher = null;
    WalIndex index = reserve(absolute); // before any connection: see the class comment
    try {
      pool = new HikariDataSource(hikari);
      watcher = source.getConnection();
      PreparedStatement dataVersion = watcher.prepareStatement("PRAGMA data_version");
      return new SqliteFile(absolute, pool, watcher, index, map(index, absolute), dataVersion,
          busyTimeoutMillis);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(watcher);
      if (pool != null) {
        pool.close();
      }
      release(index);
      throw VaultException.api("Cannot open the SQLite database " + absolute + " ("
          + describe(e) + ").", null);
    }
  }

  /** The pooled connections of the store. */
  public HikariDataSource dataSource() {
    return pool;
  }

  /** What a caller is told when another connection kept the write lock past the wait. */
  public String busyMessage() {
    return "The SQLite database " + file + " is locked: another connection or process held its "
        + "write lock for more than " + busyTimeoutMillis + " ms.";
  }

  /** A number that changes at every commit to this database, by any connection or process. */
  public long changeCount() {
    if (walIndex != null) {
      // iChange counts transactions; mxFrame (the last valid WAL frame) joins it so that even a
      // counter that wrapped around cannot hide a commit. A torn pair only costs a re-read.
      long change = (int) INTS.getVolatile(walIndex, WAL_INDEX_CHANGE);
      long maxFrame = (int) INTS.getVolatile(walIndex, WAL_INDEX_MAX_FRAME);
      return (change << 32 | (maxFrame & 0xffffffffL)) & Long.MAX_VALUE;
    }
    synchronized (watcher) {
      try (ResultSet rs = dataVersion.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        return -1; // cannot tell: the session reads the store
      }
    }
  }

  /**
   * Whether {@link #changeCount()} went from {@code before} to {@code after} by one transaction:
   * the WAL index's transaction counter (the high half) moved by exactly one. False when the count
   * comes from {@code data_version}, which only says that something changed.
   */
  public boolean oneCommitBetween(long before, long after) {
    return commitsBetween(before, after) == 1;
  }

  /**
   * How many transactions moved {@link #changeCount()} from {@code before} to {@code after} (the
   * WAL index's transaction counter, the high half), or -1 when the count comes from
   * {@code data_version}, which only says that something changed.
   */
  public long commitsBetween(long before, long after) {
    if (walIndex == null) {
      return -1;
    }
    return ((after >>> 32) - (before >>> 32)) & 0x7fffffffL;
  }

  @Override
  public void close() {
    synchronized (watcher) {
      closeQuietly(watcher);
    }
    pool.close();
    release(index);
  }

  /** The {@code file:} URI of {@code path}, every byte but {@code [A-Za-z0-9/._-]} encoded. */
  static String uri(Path path) {
    StringBuilder out = new StringBuilder("file:");
    for (byte b : path.toString().getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '/' || c == '.' || c == '_' || c == '-') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Counts one more user of the WAL index of {@code file}, before it opens a connection. */
  private static WalIndex reserve(Path file) {
    Path key;
    try {
      key = file.toRealPath(); // one entry per database, whatever path leads to it
    } catch (IOException | RuntimeException e) {
      key = file;
    }
    synchronized (WAL_INDEXES) {
      WalIndex index = WAL_INDEXES.computeIfAbsent(key, WalIndex::new);
      index.users++;
      return index;
    }
  }

  /**
   * The header of the WAL index of {@code file}, mapped once for the JVM (a user's connections are
   * open by now, so the index exists and stays), or null where it cannot be (the pragma serves).
   */
  private static MappedByteBuffer map(WalIndex index, Path file) {
    Path shm = file.resolveSibling(file.getFileName() + "-shm");
    synchronized (WAL_INDEXES) {
      if (index.header != null) {
        return index.header;
      }
      try {
        if (index.channel == null) {
          if (Files.size(shm) < 48) {
            return null;
          }
          index.channel = FileChannel.open(shm, StandardOpenOption.READ);
        }
        // Once open, the descriptor is kept even if this fails: closing it would drop the locks.
        index.header = index.channel.map(FileChannel.MapMode.READ_ONLY, 0, 48);
        return index.header;
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }

  /** One user fewer, its connections closed; the last one closes the descriptor. */
  private static void release(WalIndex index) {
    synchronized (WAL_INDEXES) {
      if (--index.users == 0) {
        WAL_INDEXES.remove(index.key);
        if (index.channel != null) {
          try {
            index.channel.close();
          } catch (IOException ignored) {
            // closing: nothing more to do
          }
        }
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: nothing more to do
      }
    }
  }

  private static String describe(Exception e) {
    SQLException sql = Sql.cause(e);
    if (sql != null && (sql.getErrorCode() == 5 || sql.getErrorCode() == 6)) {
      return "it stayed locked by another process";
    }
    if (sql != null && sql.getErrorCode() == 26) { // SQLITE_NOTADB
      return "the file is not a SQLite database, or it is damaged";
    }
    if (sql != null && sql.getErrorCode() == 11) { // SQLITE_CORRUPT
      return "the database file is damaged";
    }
    return sql != null ? "SQLite error " + sql.getErrorCode() : e.getClass().getSimpleName();
  }
}
