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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
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
 */
public final class SqliteFile implements AutoCloseable {
  /** Byte offsets in the WAL-index header (SQLite's file format, "walformat"). */
  private static final int WAL_INDEX_CHANGE = 8;
  private static final int WAL_INDEX_MAX_FRAME = 16;
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final HikariDataSource pool;
  private final Connection watcher;
  private final MappedByteBuffer walIndex;
  private final PreparedStatement dataVersion;
  private final long busyTimeoutMillis;

  private SqliteFile(Path file, HikariDataSource pool, Connection watcher,
      MappedByteBuffer walIndex, PreparedStatement dataVersion, long busyTimeoutMillis) {
    this.file = file;
    this.pool = pool;
    this.watcher = watcher;
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
    createOwnerOnly(absolute);
    SQLiteConfig config = new SQLiteConfig();
    config.setOpenMode(SQLiteOpenMode.OPEN_URI);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) busyTimeoutMillis);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + uri(absolute));

    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(source);
    hikari.setPoolName("vault-engine-sqlite");
    hikari.setMaximumPoolSize(8);
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(busyTimeoutMillis + 5_000);
    hikari.setAutoCommit(true);
    HikariDataSource pool = null;
    Connection watcher = null;
    try {
      pool = new HikariDataSource(hikari);
      watcher = source.getConnection();
      PreparedStatement dataVersion = watcher.prepareStatement("PRAGMA data_version");
      return new SqliteFile(absolute, pool, watcher, mapWalIndex(absolute), dataVersion,
          busyTimeoutMillis);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(watcher);
      if (pool != null) {
        pool.close();
      }
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

  @Override
  public void close() {
    synchronized (watcher) {
      closeQuietly(watcher);
    }
    pool.close();
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

  private static void createOwnerOnly(Path file) {
    try {
      Path parent = file.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(file)) {
        try {
          if (posix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          } else {
            Files.createFile(file);
          }
        } catch (FileAlreadyExistsException e) {
          // another process created it first: it created it owner-only too
        }
      }
    } catch (IOException | RuntimeException e) {
      throw VaultException.api("Cannot create the SQLite database " + file + " ("
          + e.getClass().getSimpleName() + ").", null);
    }
  }

  private static boolean posix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Maps the WAL index header, or null where it cannot be (the pragma serves then). */
  private static MappedByteBuffer mapWalIndex(Path file) {
    Path shm = file.resolveSibling(file.getFileName() + "-shm");
    try (FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ)) {
      if (channel.size() < 48) {
        return null;
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, 48);
    } catch (IOException | RuntimeException e) {
      return null;
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
    return sql != null ? "SQLite error " + sql.getErrorCode() : e.getClass().getSimpleName();
  }
}
