package dev.vaultengine.spi;

import java.util.List;
import java.util.Objects;

/**
 * What one store write records besides its change: the events it emits and its audit entry. The
 * store appends them in the same transaction as the change, so a committed change always has its
 * entries and a rolled-back one has none. The engine builds one per call; a store only persists
 * what it is given, numbering events and audit entries in commit order and chaining the audit
 * entries with {@link #seal}.
 *
 * <p>Numbering in commit order across processes: a store that shares its database takes one lock
 * (the log head) as the last step of every transaction that appends entries, and keeps it until
 * commit; sequences come from that locked row, so they are gapless and commit-ordered.
 */
public interface Journal {

  /** A journal that records nothing: for copies and repairs that are not operations. */
  Journal NONE = new Journal() {
    @Override
    public Entries entries(WriteOutcome outcome, List<String> cascaded) {
      return Entries.EMPTY;
    }

    @Override
    public byte[] seal(byte[] previousMac, AuditRow entry) {
      throw new IllegalStateException("Journal.NONE has no audit entries to seal");
    }
  };

  /**
   * The entries of this write, once the store knows its outcome. Called inside the write's
   * transaction, possibly more than once when the store retries the transaction; it has no side
   * effects.
   *
   * @param outcome the write's outcome; for a delete, {@code OK} when a row was deleted and
   *     {@code NOT_FOUND} otherwise; for a keyset replacement, {@code OK} or {@code STALE}
   * @param cascaded the ids of the credentials the write changed besides the one it names, in
   *     ascending id order: {@code archiveVault} lists the credentials it archived,
   *     {@code deleteVault} every credential it deleted; empty for every other write
   */
  Entries entries(WriteOutcome outcome, List<String> cascaded);

  /**
   * The chain MAC of {@code entry}, which has its sequence set: a MAC over the previous entry's
   * MAC (empty for the first entry) and this entry's fields. The store stores it with the entry
   * and as the head of the chain.
   */
  byte[] seal(byte[] previousMac, AuditRow entry);

  /**
   * Whether the change must fail, writing nothing, when its audit entry cannot be written
   * (fail-closed audit). When false the store commits the change without the entry (for SQL, by
   * rolling back to a savepoint taken before the entry) and calls {@link #auditNotWritten}.
   */
  default boolean auditRequired() {
    return false;
  }

  /** Told when a store committed the change without its audit entry (best-effort audit). */
  default void auditNotWritten(RuntimeException cause) {}

  /**
   * The entries one write appends.
   *
   * @param events the events, sequence 0, in the order they are to be numbered
   * @param audit the audit entry, sequence 0 and no MAC, or null for none (an internal retry)
   */
  record Entries(List<EventRow> events, AuditRow audit) {
    /** Nothing to append. */
    public static final Entries EMPTY = new Entries(List.of(), null);

    /** Copies the list. */
    public Entries {
      events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    /** True when there is nothing to append. */
    public boolean isEmpty() {
      return events.isEmpty() && audit == null;
    }
  }
}
