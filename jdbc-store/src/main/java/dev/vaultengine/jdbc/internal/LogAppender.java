package dev.vaultengine.jdbc.internal;

import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

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
 */
public final class LogAppender {
  private static final String SAVEPOINT = "vault_audit_entry";

  private final Dialect dialect;
  /** The PostgreSQL NOTIFY channel of this store's tables, or null on other databases. */
  private final String notifyChannel;

  /**
   * @param notifyChannel the channel to notify when events are appended (PostgreSQL), or null
   */
  public LogAppender(Dialect dialect, String notifyChannel) {
    this.dialect = dialect;
    this.notifyChannel = notifyChannel;
  }

  /** The head of the log as locked: the last event's and audit entry's sequences and MAC. */
  private record Head(long events, long audit, byte[] mac) {}

  /**
   * Appends what {@code journal} gives for {@code outcome}, on {@code h}'s open transaction.
   *
   * @param cascaded the credentials the write changed besides the one it names, ascending
   */
  public void append(Handle h, Journal journal, WriteOutcome outcome, List<String> cascaded) {
    if (journal == Journal.NONE) {
      return;
    }
    Journal.Entries entries = journal.entries(outcome, cascaded);
    if (entries.isEmpty()) {
      return;
    }
    // The head lock: the last step of the transaction (see the class comment).
    Head head = h.createQuery(Statements.LOCK_LOG_HEAD)
        .map((rs, ctx) -> {
          byte[] mac = rs.getBytes(3);
          return new Head(rs.getLong(1), rs.getLong(2), mac == null ? new byte[0] : mac);
        })
        .findOne()
        .orElseThrow(() -> new IllegalStateException("the log head row is missing"));
    long events = head.events();
    List<EventRow> emitted = entries.events();
    if (!emitted.isEmpty()) {
      try {
        PreparedBatch batch = h.prepareBatch(Statements.INSERT_EVENT);
        for (EventRow e : emitted) {
          batch.bind("sequence", ++events).bind("id", e.id()).bind("type", e.type())
              .bind("account", e.accountId()).bind("vault", e.vaultId())
              .bind("credential", e.credentialId()).bind("at", Sql.micros(e.at())).add();
        }
        batch.execute();
      } catch (JdbiException e) {
        throw behindHead(e);
      }
    }
    long audit = head.audit();
    byte[] mac = head.mac();
    if (entries.audit() != null) {
      AuditRow sealed = journal.auditRequired()
          ? insertRequired(h, journal, entries.audit(), audit + 1, mac)
          : insertBestEffort(h, journal, entries.audit(), audit + 1, mac);
      if (sealed != null) {
        audit = sealed.sequence();
        mac = sealed.mac();
      }
    }
    if (events == head.events() && audit == head.audit()) {
      return; // only a best-effort audit entry, and it was not written: the head stays
    }
    h.createUpdate(Statements.UPDATE_LOG_HEAD).bind("events", events).bind("audit", audit)
        .bind("mac", audit == 0 ? null : mac).execute();
    if (notifyChannel != null && events > head.events()) {
      // Delivered at commit, and never if the transaction rolls back: other hosts' LISTEN
      // connections wake their event delivery (PgEventWatch).
      h.createQuery("SELECT pg_notify(:channel, '')").bind("channel", notifyChannel)
          .map((rs, ctx) -> Boolean.TRUE).one();
    }
  }

  /** Fail-closed: any failure to seal or insert the entry fails the whole transaction. */
  private AuditRow insertRequired(Handle h, Journal journal, AuditRow entry, long sequence,
      byte[] previousMac) {
    AuditRow numbered = entry.numbered(sequence);
    AuditRow sealed = numbered.sealed(journal.seal(previousMac, numbered));
    try {
      insert(h, sealed);
    } catch (JdbiException e) {
      throw behindHead(e);
    }
    return sealed;
  }

  /**
   * Best-effort: a savepoint before the entry, so an insert that fails (a full disk, a table an
   * operator made unwritable) is rolled back alone, and the change and its events commit without
   * it; the journal is told. A lost deadlock or a busy database is not the entry's fault and
   * fails the transaction as usual, so it is retried whole.
   */
  private AuditRow insertBestEffort(Handle h, Journal journal, AuditRow entry, long sequence,
      byte[] previousMac) {
    AuditRow sealed;
    try {
      AuditRow numbered = entry.numbered(sequence);
      sealed = numbered.sealed(journal.seal(previousMac, numbered));
    } catch (RuntimeException e) {
      journal.auditNotWritten(e);
      return null;
    }
    h.savepoint(SAVEPOINT);
    try {
      insert(h, sealed);
      return sealed;
    } catch (JdbiException e) {
      SQLException sql = Sql.cause(e);
      if (sql != null && (dialect.isRetryable(sql) || dialect.isBusy(sql))) {
        throw e;
      }
      h.rollbackToSavepoint(SAVEPOINT);
      journal.auditNotWritten(e);
      return null;
    }
  }

  private static void insert(Handle h, AuditRow a) {
    h.createUpdate(Statements.INSERT_AUDIT).bind("sequence", a.sequence())
        .bind("at", Sql.micros(a.at())).bind("account", a.accountId()).bind("actor", a.actor())
        .bind("operation", a.operation()).bind("vault", a.vaultId())
        .bind("credential", a.credentialId()).bind("outcome", a.outcome())
        .bind("secrets", a.secrets()).bind("detail", a.detail()).bind("mac", a.mac())
        .execute();
  }

  /**
   * A duplicate sequence means the head was moved back below its entries (by hand): reported as
   * such, so that no caller mistakes it for the duplicate URL a record insert's unique violation
   * means.
   */
  private RuntimeException behindHead(JdbiException e) {
    SQLException sql = Sql.cause(e);
    if (sql != null && dialect.isUniqueViolation(sql)) {
      return new IllegalStateException("the log head is behind the stored log entries "
          + "(SQLState " + sql.getSQLState() + ")");
    }
    return e;
  }
}
