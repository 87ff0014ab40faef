package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * H2's own connection pool for the H2 factories. Kept apart so that only a host that opens an H2
 * database needs H2 on its class path.
 */
public final class H2Pools {
  private H2Pools() {}

  /** A pool of up to 16 connections to {@code url}. */
  public static JdbcConnectionPool pool(String url) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(16);
    return pool;
  }

  /**
   * The URL of the H2 file {@code vault.mv.db} in {@code directory}. H2 reads settings from
   * everything after a {@code ;} in a URL and cannot escape one, so a path holding {@code ;} is
   * refused rather than opened with settings it smuggled in.
   */
  public static String fileUrl(Path directory) {
    String path = directory.toAbsolutePath().normalize().resolve("vault").toString();
    if (path.indexOf(';') >= 0) {
      throw VaultException.invalidRequest("An H2 database path cannot contain ';' (H2 would read "
          + "what follows as settings); choose another directory or use the SQLite store.",
          "directory");
    }
    // No trace file: a failure reaches the caller as an exception, and H2's trace of it (a
    // refused login, say) would be left in the user's data directory.
    return "jdbc:h2:file:" + path + ";WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
  }

  /** The file {@code vault.mv.db} in {@code directory}, as {@link #fileUrl} names it to H2. */
  public static Path file(Path directory) {
    return directory.toAbsolutePath().normalize().resolve("vault.mv.db");
  }

  /** Closes {@code pool}, first shutting an in-memory database down so that it is gone. */
  public static void close(JdbcConnectionPool pool, String url) throws java.sql.SQLException {
    if (url.startsWith("jdbc:h2:mem:")) {
      try (var c = pool.getConnection(); var s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
    }
    pool.dispose();
  }
}
