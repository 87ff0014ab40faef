package dev.vaultengine.jdbc.internal;

import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The log tables as a copy (vault copy) reads and writes them: events and audit entries with
 * their sequences, MACs and times exactly as stored, the log head, and durable subscribers'
 * positions. Nothing is renumbered or sealed again, so the copied audit trail verifies on the
 * target under the copied audit key.
 */
public final class CopyLog {
  private CopyLog() {}

  /** A durable subscriber as stored. */
  public record Subscriber(String name, long position, long updatedAt) {}

  /** The log head as stored. */
  public record Head(long events, long audit, byte[] mac) {}

  /** The target's events with sequences in {@code [from, to]}, by sequence. */
  public static Map<Long, EventRow> events(Handle h, long from, long to) {
    Map<Long, EventRow> out = new HashMap<>();
    h.createQuery("SELECT " + Statements.EVENT_COLUMNS + " FROM <prefix>events "
            + "WHERE sequence >= :from AND sequence <= :to")
        .bind("from", from).bind("to", to).map((rs, ctx) -> Rows.event(rs))
        .forEach(e -> out.put(e.sequence(), e));
    return out;
  }

  /** The target's audit entries with sequences in {@code [from, to]}, by sequence. */
  public static Map<Long, AuditRow> audit(Handle h, long from, long to) {
    Map<Long, AuditRow> out = new HashMap<>();
    h.createQuery("SELECT " + Statements.AUDIT_COLUMNS + " FROM <prefix>audit "
            + "WHERE sequence >= :from AND sequence <= :to")
        .bind("from", from).bind("to", to).map((rs, ctx) -> Rows.audit(rs))
        .forEach(a -> out.put(a.sequence(), a));
    return out;
  }

  /**
   * The highest event sequence the table holds, 0 for none. Not the head: an interrupted copy
   * leaves events above the head, which is set last.
   */
  public static long lastEvent(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(sequence), 0) FROM <prefix>events")
        .mapTo(Long.class).one();
  }

  /** The highest audit sequence the table holds, 0 for none (see {@link #lastEvent}). */
  public static long lastAudit(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(sequence), 0) FROM <prefix>audit")
        .mapTo(Long.class).one();
  }

  /** Inserts events with their own sequences. */
  public static void insertEvents(Handle h, List<EventRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    var batch = h.prepareBatch(Statements.INSERT_EVENT);
    for (EventRow e : rows) {
      batch.bind("sequence", e.sequence()).bind("id", e.id()).bind("type", e.type())
          .bindByType("account", e.accountId(), String.class)
          .bindByType("vault", e.vaultId(), String.class)
          .bindByType("credential", e.credentialId(), String.class)
          .bind("at", Sql.micros(e.at())).add();
    }
    batch.execute();
  }

  /** Inserts audit entries with their own sequences and MACs. */
  public static void insertAudit(Handle h, List<AuditRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    var batch = h.prepareBatch(Statements.INSERT_AUDIT);
    for (AuditRow a : rows) {
      batch.bind("sequence", a.sequence()).bind("at", Sql.micros(a.at()))
          .bindByType("account", a.accountId(), String.class)
          .bindByType("actor", a.actor(), String.class)
          .bind("operation", a.operation())
          .bindByType("vault", a.vaultId(), String.class)
          .bindByType("credential", a.credentialId(), String.class)
          .bind("outcome", a.outcome())
          .bindByType("secrets", a.secrets(), String.class)
          .bindByType("detail", a.detail(), String.class)
          .bindByType("mac", a.mac(), byte[].class).add();
    }
    batch.execute();
  }

  /** True when two audit entries are the same, MAC included. */
  public static boolean same(AuditRow a, AuditRow b) {
    return a.sequence() == b.sequence() && a.at().equals(b.at())
        && Objects.equals(a.accountId(), b.accountId()) && Objects.equals(a.actor(), b.actor())
        && a.operation().equals(b.operation()) && Objects.equals(a.vaultId(), b.vaultId())
        && Objects.equals(a.credentialId(), b.credentialId()) && a.outcome().equals(b.outcome())
        && Objects.equals(a.secrets(), b.secrets()) && Objects.equals(a.detail(), b.detail())
        && Arrays.equals(a.mac(), b.mac());
  }

  /** The log head, locked for the rest of the transaction. */
  public static Head lockHead(Handle h) {
    return h.createQuery(Statements.LOCK_LOG_HEAD).map((rs, ctx) -> {
      byte[] mac = rs.getBytes(3);
      return new Head(rs.getLong(1), rs.getLong(2), mac == null ? new byte[0] : mac);
    }).one();
  }

  /** Sets the log head to the source's. */
  public static void setHead(Handle h, long events, AuditHead audit) {
    h.createUpdate(Statements.UPDATE_LOG_HEAD).bind("events", events)
        .bind("audit", audit.sequence())
        .bindByType("mac", audit.sequence() == 0 ? null : audit.mac(), byte[].class).execute();
  }

  /** Every durable subscriber, by name. */
  public static List<Subscriber> subscribers(Handle h) {
    return h.createQuery("SELECT name, position, updated_at FROM <prefix>subscribers "
            + "ORDER BY name")
        .map((rs, ctx) -> new Subscriber(rs.getString(1), rs.getLong(2), rs.getLong(3))).list();
  }

  /** Writes a subscriber's position as the source has it. */
  public static void saveSubscriber(Handle h, Subscriber s) {
    int n = h.createUpdate(Statements.UPDATE_SUBSCRIBER).bind("name", s.name())
        .bind("position", s.position()).bind("now", s.updatedAt()).execute();
    if (n == 0) {
      h.createUpdate(Statements.INSERT_SUBSCRIBER).bind("name", s.name())
          .bind("position", s.position()).bind("now", s.updatedAt()).execute();
    }
  }
}
