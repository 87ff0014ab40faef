package dev.vaultengine.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL push for the event log: a dedicated connection runs {@code LISTEN} on the store's
 * channel and a daemon thread waits for notifications on it, calling {@code wake} for each batch.
 * Writers that append events run {@code pg_notify} in their transaction, which PostgreSQL delivers
 * at commit. After a failure (the server restarted, the connection broke) it connects again after
 * a pause, and wakes delivery once connected, since notifications sent meanwhile are lost: the
 * engine's polling covers what the watch misses.
 *
 * <p>The only class of the store that touches the PostgreSQL driver's own API, and it is loaded
 * only when the store's dialect is PostgreSQL, so a host on another database needs no PostgreSQL
 * jar (the driver is an optional dependency).
 */
public final class PgEventWatch implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PgEventWatch.class.getName());
  /** How long one wait for notifications blocks: also how soon a close is noticed. */
  private static final int WAIT_MILLIS = 250;
  private static final long RECONNECT_PAUSE_MILLIS = 1_000;

  private final DataSource dataSource;
  private final String channel;
  private final Runnable wake;
  private final Thread thread;
  private volatile boolean closed;

  private PgEventWatch(DataSource dataSource, String channel, Runnable wake) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.wake = wake;
    this.thread = new Thread(this::run, "vault-engine-pg-listen");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching {@code channel}, a lower-case identifier the store derived from its table
   * prefix (letters, digits and underscores only, so it is safe in a {@code LISTEN} statement).
   */
  public static AutoCloseable start(DataSource dataSource, String channel, Runnable wake) {
    if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a safe channel name");
    }
    PgEventWatch watch = new PgEventWatch(dataSource, channel, wake);
    watch.thread.start();
    return watch;
  }

  private void run() {
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        try {
          listen(c);
        } finally {
          unlisten(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        // The class only: a driver message may quote connection details.
        LOG.log(System.Logger.Level.WARNING, "the PostgreSQL event watch lost its connection; "
            + "reconnecting (events are polled meanwhile): " + e.getClass().getSimpleName());
      }
      pause();
    }
  }

  private void listen(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true); // LISTEN takes effect at commit: autocommit makes it immediate
    }
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + channel);
    }
    PGConnection pg = c.unwrap(PGConnection.class);
    wake.run(); // notifications sent before LISTEN was in force are lost: look once
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
      if (notifications != null && notifications.length > 0) {
        wake.run();
      }
    }
  }

  /** A pooled connection goes back to its pool listening to nothing. */
  private static void unlisten(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN *");
    } catch (SQLException | RuntimeException e) {
      // the connection is broken: the pool will find out
    }
  }

  private void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(RECONNECT_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops the watch and waits briefly for its thread, which returns its connection. */
  @Override
  public void close() {
    closed = true;
    if (Thread.currentThread() != thread) {
      try {
        thread.join(WAIT_MILLIS * 4L + RECONNECT_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "PgEventWatch[" + channel + "]";
  }
}
