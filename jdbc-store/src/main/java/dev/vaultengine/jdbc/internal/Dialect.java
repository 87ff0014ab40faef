package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;

/**
 * What differs between the supported databases, and nothing else: column types for binary and long
 * text, table options, how a unique violation or a retryable conflict is reported, and the lock
 * that serializes schema migrations across processes, and whether a read can lock rows. Times are
 * BIGINT microseconds everywhere, so they need no seam; LIMIT is the same on all four.
 */
public enum Dialect {
  /** Embedded H2 (file or in-memory), one process per database file. */
  H2("VARBINARY(16384)", "CHARACTER LARGE OBJECT", "") {
    @Override
    public boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    @Override
    void lock(Handle handle, String name) throws SQLException {
      // An H2 database is opened by one process at a time (its file lock), so a JVM-wide lock per
      // database URL serializes every engine that can reach it.
      String key = handle.getConnection().getMetaData().getURL() + "#" + name;
      H2_LOCKS.computeIfAbsent(key, k -> new ReentrantLock()).lock();
    }

    @Override
    void unlock(Handle handle, String name) throws SQLException {
      String key = handle.getConnection().getMetaData().getURL() + "#" + name;
      H2_LOCKS.get(key).unlock();
    }
  },

  /**
   * SQLite file, the embedded default: several processes may share it. Every write transaction
   * opens with a statement that takes the database's one write lock (see {@link #writeLock}), so
   * reads inside it need no row locks, and the migration lock is simply such a transaction.
   */
  SQLITE("BLOB", "TEXT", "") {
    @Override
    public boolean isUniqueViolation(SQLException e) {
      // sqlite-jdbc reports the primary result code (19, SQLITE_CONSTRAINT) for every constraint,
      // and names the extended code only in the message.
      String m = e.getMessage();
      return e.getErrorCode() == 19 && m != null && (m.startsWith("[SQLITE_CONSTRAINT_UNIQUE]")
          || m.startsWith("[SQLITE_CONSTRAINT_PRIMARYKEY]"));
    }

    @Override
    public boolean isBusy(SQLException e) {
      return e.getErrorCode() == 5 || e.getErrorCode() == 6; // SQLITE_BUSY, SQLITE_LOCKED
    }

    @Override
    public String forUpdate() {
      return "";
    }

    @Override
    public boolean migratesInTransaction() {
      return true;
    }

    @Override
    public String writeLock() {
      // A write that matches no row still takes the write lock, waiting for it under the busy
      // timeout, and writes nothing to the log. The driver's own BEGIN IMMEDIATE mode is not used:
      // sqlite-jdbc begins the next transaction right after each commit, so that mode would take
      // the write lock again after every commit, waiting on other processes (or failing) after the
      // data was already committed.
      return "UPDATE <prefix>schema_history SET version = version WHERE 0";
    }

    @Override
    void lock(Handle handle, String name) {
      // The migration runs in one BEGIN IMMEDIATE transaction: that is the lock.
    }

    @Override
    void unlock(Handle handle, String name) {}
  },

  /** PostgreSQL: several host processes may share one database. */
  POSTGRESQL("BYTEA", "TEXT", "") {
    @Override
    public boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    @Override
    void lock(Handle handle, String name) {
      handle.createQuery("SELECT pg_advisory_lock(:key)").bind("key", (long) name.hashCode())
          .map((rs, ctx) -> Boolean.TRUE).one();
    }

    @Override
    void unlock(Handle handle, String name) {
      handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", (long) name.hashCode())
          .map((rs, ctx) -> Boolean.TRUE).one();
    }
  },

  /**
   * MariaDB: several host processes may share one database. Tables use a binary, no-pad collation
   * so strings compare exactly, as on the other databases.
   */
  MARIADB("BLOB", "MEDIUMTEXT",
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin") {
    @Override
    public boolean isUniqueViolation(SQLException e) {
      return e.getErrorCode() == 1062;
    }

    @Override
    void lock(Handle handle, String name) {
      Integer got = handle.createQuery("SELECT GET_LOCK(:name, 120)").bind("name", name)
          .mapTo(Integer.class).one();
      if (got == null || got != 1) {
        throw VaultException.api("Timed out waiting for the schema migration lock.", null);
      }
    }

    @Override
    void unlock(Handle handle, String name) {
      handle.createQuery("SELECT RELEASE_LOCK(:name)").bind("name", name)
          .mapTo(Integer.class).one();
    }
  };

  private static final ConcurrentHashMap<String, ReentrantLock> H2_LOCKS =
      new ConcurrentHashMap<>();

  private final String binaryType;
  private final String textType;
  private final String tableOptions;

  Dialect(String binaryType, String textType, String tableOptions) {
    this.binaryType = binaryType;
    this.textType = textType;
    this.tableOptions = tableOptions;
  }

  /** The dialect of a database, from its JDBC product name. */
  public static Dialect of(String productName) {
    String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (p.contains("h2")) {
      return H2;
    }
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MARIADB;
    }
    if (p.contains("sqlite")) {
      return SQLITE;
    }
    throw VaultException.api("Unsupported database '" + productName
        + "': vault-engine supports SQLite, H2, PostgreSQL and MariaDB.", null);
  }

  /** Fills the placeholders of a migration template. */
  String render(String template, String prefix) {
    return template.replace("${prefix}", prefix)
        .replace("${binary}", binaryType)
        .replace("${text}", textType)
        .replace("${table_options}", tableOptions)
        .replace("${sequence_key}", this == SQLITE ? "INTEGER NOT NULL PRIMARY KEY"
            : "BIGINT NOT NULL PRIMARY KEY")
        // SQLite has no ADD COLUMN IF NOT EXISTS; its migrations run in one transaction instead.
        .replace("${add_if_missing}", this == SQLITE ? "" : "IF NOT EXISTS ");
  }

  /** True when {@code e} reports a duplicate key. */
  public abstract boolean isUniqueViolation(SQLException e);

  /** True when the transaction lost a deadlock or serialization race and may simply be retried. */
  public boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("40001") || state.equals("40P01"));
  }

  /**
   * True when {@code e} says another connection holds the lock this statement waited for, after
   * the driver's own bounded wait: the caller reports it as such, never as a driver error.
   */
  public boolean isBusy(SQLException e) {
    return false;
  }

  /** What a read that locks the rows it finds ends with, inside a transaction. */
  public String forUpdate() {
    return " FOR UPDATE";
  }

  /**
   * The statement every write transaction opens with to take the database's write lock at once,
   * or null where row locks serve.
   */
  public String writeLock() {
    return null;
  }

  /** True when a migration runs as one transaction that holds the database's write lock. */
  public boolean migratesInTransaction() {
    return false;
  }

  /** Takes the cross-process lock {@code name} on this handle's connection. */
  abstract void lock(Handle handle, String name) throws SQLException;

  /** Releases it. */
  abstract void unlock(Handle handle, String name) throws SQLException;
}
