package dev.vaultengine.jdbc.internal;

import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Appends a write's journal (its events and audit entry) inside the write's own transaction, once
 * the write knows its outcome, so a committed change always has its entries and a rolled-back one
 * has none.
 *
 * <p>The log head row is locked as the <em>last</em> step of the transaction and held until
 * commit: that serializes every appender of every process sharing the database, so the sequences
 * read from the head are gapless and in commit order (a reader that sees sequence n committed has
 * seen every sequence below it). Taking it last keeps the time it is held short (only the log's
 * own statements run under it) and gives one lock order everywhere (record rows, then the head),
 * so it adds no deadlock. A journal with nothing to append ({@link Journal#NONE}, or a stale
 * write) takes no lock and runs no statement.
 *
 * <p>Its statements are plain JDBC on the transaction's connection, rendered once per store: they
 * run in every journaled write, and Jdbi's per-statement work (template rendering, statement
 * context, binding by name) was most of what the log added to a create.
 */
public final class LogAppender {
  private final Dialect dialect;
  /** The PostgreSQL NOTIFY channel of this store's tables, or null on other databases. */
  private final String notifyChannel;
  private final String lockHead;
  private final String insertEvent;
  private final String insertAudit;
  private final String updateHead;
  /** On SQLite, the log's statements prepared once per connection; else null. */
  private final PreparedCache prepared;

  /**
   * @param prefix the store's table prefix
   * @param notifyChannel the channel to notify when events are appended (PostgreSQL), or null
   */
  public LogAppender(Dialect dialect, String prefix, String notifyChannel) {
    this.dialect = dialect;
    this.notifyChannel = notifyChannel;
    this.lockHead = render(Statements.LOCK_LOG_HEAD, prefix, dialect);
    this.insertEvent = render("INSERT INTO <prefix>events (" + Statements.EVENT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?)", prefix, dialect);
    this.insertAudit = render("INSERT INTO <prefix>audit (" + Statements.AUDIT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", prefix, dialect);
    this.updateHead = render("UPDATE <prefix>log_head SET event_sequence = ?, "
        + "audit_sequence = ?, audit_mac = ? WHERE id = 1", prefix, dialect);
    this.prepared = dialect == Dialect.SQLITE ? new PreparedCache() : null;
  }

  private PreparedCache.Lease prepare(Connection c, String sql) throws SQLException {
    return PreparedCache.lease(prepared, c, sql);
  }

  private static String render(String sql, String prefix, Dialect dialect) {
    return Statements.rendered(sql, prefix).replace("<for_update>", dialect.forUpdate());
  }

  /** The head of the log as locked: the last event's and audit entry's sequences and MAC. */
  private record Head(long events, long audit, byte[] mac) {}


  /**
   * Appends what {@code journal} gives for {@code outcome}, on {@code h}'s open transaction.
   *
   * @param cascaded the credentials the write changed besides the one it names, ascending
   */
  public void append(Handle h, Journal journal, WriteOutcome outcome, List<String> cascaded) {
    try {
      append(h.getConnection(), journal, outcome, cascaded);
    } catch (SQLException e) {
      throw new StatementException(e);
    }
  }

  /**
   * {@link #append(Handle, Journal, WriteOutcome, List)} on a plain JDBC connection whose
   * transaction is open.
   */
  public void append(Connection c, Journal journal, WriteOutcome outcome, List<String> cascaded)
      throws SQLException {
    if (journal == Journal.NONE) {
      return;
    }
    Journal.Entries entries = journal.entries(outcome, cascaded);
    if (!entries.isEmpty()) {
      append(c, journal, entries);
    }
  }

  private void append(Connection c, Journal journal, Journal.Entries entries)
      throws SQLException {
    // The head lock: the last step of the transaction (see the class comment).
    Head head;
    try (PreparedCache.Lease st = prepare(c, lockHead); ResultSet rs = st.ps().executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("the log head row is missing");
      }
      byte[] mac = rs.getBytes(3);
      head = new Head(rs.getLong(1), rs.getLong(2), mac == null ? new byte[0] : mac);
    }
    long events = head.events();
    List<EventRow> emitted = entries.events();
    if (!emitted.isEmpty()) {
      try (PreparedCache.Lease st = prepare(c, insertEvent)) {
        PreparedStatement ps = st.ps();
        for (EventRow e : emitted) {
          ps.setLong(1, ++events);
          ps.setString(2, e.id());
          ps.setString(3, e.type());
          text(ps, 4, e.accountId());
          text(ps, 5, e.vaultId());
          text(ps, 6, e.credentialId());
          ps.setLong(7, Sql.micros(e.at()));
          if (emitted.size() == 1) {
            ps.executeUpdate();
          } else {
            ps.addBatch();
          }
        }
        if (emitted.size() > 1) {
          ps.executeBatch();
        }
      } catch (SQLException e) {
        throw behindHead(e);
      }
    }
    long audit = head.audit();
    byte[] mac = head.mac();
    if (entries.audit() != null) {
      AuditRow sealed = journal.auditRequired()
          ? insertRequired(c, journal, entries.audit(), audit + 1, mac)
          : insertBestEffort(c, journal, entries.audit(), audit + 1, mac);
      if (sealed != null) {
        audit = sealed.sequence();
        mac = sealed.mac();
      }
    }
    if (events == head.events() && audit == head.audit()) {
      return; // only a best-effort audit entry, and it was not written: the head stays
    }
    try (PreparedCache.Lease st = prepare(c, updateHead)) {
      PreparedStatement ps = st.ps();
      ps.setLong(1, events);
      ps.setLong(2, audit);
      bytes(ps, 3, audit == 0 ? null : mac);
      ps.executeUpdate();
    }
    if (notifyChannel != null && events > head.events()) {
      // Delivered at commit, and never if the transaction rolls back: other hosts' LISTEN
      // connections wake their event delivery (PgEventWatch).
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
        ps.setString(1, notifyChannel);
        ps.executeQuery().close();
      }
    }
  }

  /** Fail-closed: any failure to seal or insert the entry fails the whole transaction. */
  private AuditRow insertRequired(Connection c, Journal journal, AuditRow entry, long sequence,
      byte[] previousMac) throws SQLException {
    AuditRow numbered = entry.numbered(sequence);
    AuditRow sealed = numbered.sealed(journal.seal(previousMac, numbered));
    try {
      insert(c, sealed);
    } catch (SQLException e) {
      throw behindHead(e);
    }
    return sealed;
  }

  /**
   * Best-effort: on PostgreSQL a savepoint before the entry, so an insert that fails (a full disk, a table an
   * operator made unwritable) is rolled back alone, and the change and its events commit without
   * it; the journal is told. A lost deadlock or a busy database is not the entry's fault and
   * fails the transaction as usual, so it is retried whole.
   */
  private AuditRow insertBestEffort(Connection c, Journal journal, AuditRow entry, long sequence,
      byte[] previousMac) throws SQLException {
    AuditRow sealed;
    try {
      AuditRow numbered = entry.numbered(sequence);
      sealed = numbered.sealed(journal.seal(previousMac, numbered));
    } catch (RuntimeException e) {
      journal.auditNotWritten(e);
      return null;
    }
    // Only PostgreSQL aborts the whole transaction at a failed statement; SQLite, H2 and MariaDB
    // undo the failed statement alone, so a savepoint there would cost two statements for nothing.
    Savepoint savepoint = dialect == Dialect.POSTGRESQL ? c.setSavepoint() : null;
    try {
      insert(c, sealed);
      return sealed;
    } catch (SQLException e) {
      if (dialect.isRetryable(e) || dialect.isBusy(e)) {
        throw e;
      }
      if (savepoint != null) {
        c.rollback(savepoint);
      }
      journal.auditNotWritten(new StatementException(e));
      return null;
    }
  }

  private void insert(Connection c, AuditRow a) throws SQLException {
    try (PreparedCache.Lease st = prepare(c, insertAudit)) {
      PreparedStatement ps = st.ps();
      ps.setLong(1, a.sequence());
      ps.setLong(2, Sql.micros(a.at()));
      text(ps, 3, a.accountId());
      text(ps, 4, a.actor());
      ps.setString(5, a.operation());
      text(ps, 6, a.vaultId());
      text(ps, 7, a.credentialId());
      ps.setString(8, a.outcome());
      text(ps, 9, a.secrets());
      text(ps, 10, a.detail());
      bytes(ps, 11, a.mac());
      ps.executeUpdate();
    }
  }

  private static void text(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  private static void bytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARBINARY);
    } else {
      ps.setBytes(index, value);
    }
  }

  /**
   * A duplicate sequence means the head was moved back below its entries (by hand): reported as
   * such, so that no caller mistakes it for the duplicate URL a record insert's unique violation
   * means.
   */
  private SQLException behindHead(SQLException e) {
    if (dialect.isUniqueViolation(e)) {
      throw new IllegalStateException("the log head is behind the stored log entries "
          + "(SQLState " + e.getSQLState() + ")");
    }
    return e;
  }
}
