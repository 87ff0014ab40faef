package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import dev.vaultengine.spi.WriteOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * How the store talks to its database: transactions and their retries, a unique violation turned
 * into an outcome, the embedded H2 writer lock and change count, and a busy database (SQLite's
 * write lock held by another process past the wait) reported as a clear {@code api_error} instead
 * of a driver exception.
 */
public final class WritePath {
  private static final int TX_ATTEMPTS = 5;

  private final Jdbi jdbi;
  /** The pool under {@link #jdbi}, for the one write that runs on plain JDBC. */
  private final DataSource dataSource;
  private final Dialect dialect;
  /** The shared state of an H2 database this JVM embeds, or null. */
  private final EmbeddedDatabase embedded;
  private final String busyMessage;

  /**
   * @param embedded the shared state of an H2 database embedded in this JVM, or null
   * @param busyMessage what a caller is told when the database stayed locked past the wait
   */
  public WritePath(Jdbi jdbi, DataSource dataSource, Dialect dialect, EmbeddedDatabase embedded,
      String busyMessage) {
    this.jdbi = jdbi;
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.embedded = embedded;
    this.busyMessage = busyMessage;
  }

  /** What a caller is told when the database stayed locked past the wait. */
  public String busyOrMessage() {
    return busyMessage;
  }

  /** The database's dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** The embedded H2 state, or null. */
  public EmbeddedDatabase embedded() {
    return embedded;
  }

  /** A read on a connection of its own (autocommit). */
  public <T> T read(HandleCallback<T, RuntimeException> callback) {
    try {
      return jdbi.withHandle(callback);
    } catch (JdbiException e) {
      throw busyOr(e);
    }
  }

  /** A write in one transaction, retried when it lost a deadlock, counted as a change. */
  public <T> T tx(HandleCallback<T, RuntimeException> callback) {
    return tx(callback, true);
  }

  /**
   * A transaction that writes only the log (events, audit entries, subscriber positions): like
   * {@link #tx}, but not counted as a change of the embedded H2 database, since nothing a resolve
   * reads changed (a first disclosure's audit entry must not make every session read again).
   */
  public <T> T logTx(HandleCallback<T, RuntimeException> callback) {
    return tx(callback, false);
  }

  private <T> T tx(HandleCallback<T, RuntimeException> callback, boolean counted) {
    String lock = dialect.writeLock();
    if (lock == null) {
      return retrying(() -> jdbi.inTransaction(callback), counted);
    }
    return retrying(() -> jdbi.inTransaction(h -> {
      h.execute(lock);
      return callback.withHandle(h);
    }), counted);
  }

  /** A write in one autocommit statement, retried and counted like {@link #tx}. */
  public <T> T autocommit(HandleCallback<T, RuntimeException> callback) {
    return retrying(() -> jdbi.withHandle(callback), true);
  }

  /** Work on one connection, on plain JDBC. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    /**
     * Runs on {@code c}: in autocommit for {@link #autocommitJdbc}, in an open transaction for
     * {@link #txJdbc}.
     */
    T run(Connection c) throws SQLException;
  }

  /**
   * Like {@link #autocommit}, on a pooled connection without a Jdbi handle: for the embedded
   * create's one statement, where opening and closing a handle (its configuration, statement
   * context and cleanup) was a measurable share of the engine's own time.
   */
  public <T> T autocommitJdbc(ConnectionWork<T> work) {
    return retrying(() -> {
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        throw new StatementException(e);
      }
    }, true);
  }

  /**
   * A write in one transaction on a pooled connection, on plain JDBC, without a Jdbi handle,
   * retried and counted like {@link #tx}: for the embedded create with a log to append, where the
   * handle's transaction (its configuration, statement context, cleanup) and the write-lock
   * statement cost more of a JFR profile's Java samples than the create's own statements.
   *
   * <p>Unlike {@link #tx} it runs no write-lock statement first, so {@code work}'s first statement
   * must be a write: on SQLite that statement takes the database's write lock (waiting for it
   * under the busy timeout) before it reads anything, so everything after it reads under the
   * lock, as after {@link Dialect#writeLock()}.
   */
  public <T> T txJdbc(ConnectionWork<T> work) {
    return retrying(() -> {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        T result;
        try {
          result = work.run(c);
          c.commit();
        } catch (SQLException | RuntimeException | Error e) {
          // Undone, and the connection handed back in autocommit as it came; a failure of
          // either is kept beside the write's own failure, never in its place.
          try {
            c.rollback();
            c.setAutoCommit(true);
          } catch (SQLException cleanup) {
            e.addSuppressed(cleanup);
          }
          throw e;
        }
        c.setAutoCommit(true);
        return result;
      } catch (SQLException e) {
        throw new StatementException(e);
      }
    }, true);
  }

  /**
   * Runs an insert whose only expected failure is a unique violation: that becomes
   * {@link WriteOutcome#DUPLICATE_URL}, unless one of the new ids was already taken, which is a
   * broken id generator and no duplicate URL.
   */
  public WriteOutcome insert(Supplier<WriteOutcome> insert, String vaultId,
      List<String> credentialIds) {
    try {
      return insert.get();
    } catch (JdbiException e) {
      if (!uniqueViolation(e)) {
        throw e;
      }
      boolean taken = read(h -> (vaultId != null
          && h.createQuery(Statements.COUNT_VAULT_ID).bind("id", vaultId).mapTo(Long.class).one() > 0)
          || (!credentialIds.isEmpty() && h.createQuery(Statements.COUNT_CREDENTIAL_IDS)
              .bindList("ids", credentialIds).mapTo(Long.class).one() > 0));
      if (taken) {
        throw new IllegalStateException("a record with this id already exists");
      }
      return WriteOutcome.DUPLICATE_URL;
    }
  }

  /** True when {@code e} reports a duplicate key. */
  public boolean uniqueViolation(JdbiException e) {
    SQLException sql = Sql.cause(e);
    return sql != null && dialect.isUniqueViolation(sql);
  }

  /** Runs {@code work} under the embedded H2 writer lock, if this store is on one. */
  public <T> T embeddedWrite(Supplier<T> work) {
    if (embedded == null) {
      return work.get();
    }
    embedded.writers().lock();
    try {
      return work.get();
    } finally {
      embedded.writers().unlock();
    }
  }

  private <T> T retrying(Supplier<T> work, boolean counted) {
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return work.get();
        } catch (JdbiException e) {
          SQLException sql = Sql.cause(e);
          if (attempt < TX_ATTEMPTS && sql != null && dialect.isRetryable(sql)) {
            continue; // lost a deadlock: nothing was written, run it again
          }
          throw busyOr(e);
        }
      }
    } finally {
      if (embedded != null && counted) {
        embedded.changed(); // done or failed: a spurious change only costs a reader a re-read
      }
    }
  }

  private RuntimeException busyOr(JdbiException e) {
    SQLException sql = Sql.cause(e);
    if (sql != null && dialect.isBusy(sql)) {
      return VaultException.api(busyMessage, null);
    }
    return e;
  }
}
