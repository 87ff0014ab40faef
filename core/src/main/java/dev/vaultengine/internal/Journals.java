package dev.vaultengine.internal;

import dev.vaultengine.AuditMode;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.crypto.AuditKey;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Builds the {@link Journal} of each operation: the events it emits when it changes something and
 * its audit entry whatever its outcome. Whether events and audit are written at all, and whether a
 * change must fail without its audit entry, are engine options; with both off a journal is empty
 * and a store appends nothing (and takes no log lock).
 */
final class Journals {
  private static final System.Logger LOG = System.getLogger(Journals.class.getName());

  private final IdGenerator eventIds;
  private final boolean events;
  private final AuditMode mode;
  private volatile AuditKey auditKey;
  private final AtomicLong auditFailures = new AtomicLong();

  /**
   * @param eventIds ids for events, apart from the engine's record ids so that turning events on
   *     or off never changes which ids records get
   */
  Journals(IdGenerator eventIds, boolean events, AuditMode mode) {
    this.eventIds = eventIds;
    this.events = events;
    this.mode = mode;
  }

  /** Set once the audit key is open; until then (engine start) nothing is audited. */
  void auditKey(AuditKey key) {
    this.auditKey = key;
  }

  AuditKey auditKey() {
    return auditKey;
  }

  boolean auditing() {
    return mode != AuditMode.OFF && auditKey != null;
  }

  boolean failClosed() {
    return mode == AuditMode.FAIL_CLOSED;
  }

  /** How many audit entries could not be written in best-effort mode since the engine opened. */
  long auditFailures() {
    return auditFailures.get();
  }

  /** Counts and logs an audit entry that could not be written (best-effort mode). */
  void auditFailed(String operation, RuntimeException cause) {
    notWritten(operation, cause, "the operation went ahead");
  }

  /** As {@link #auditFailed}, for the entry of an operation that was refused anyway. */
  void refusalNotRecorded(String operation, RuntimeException cause) {
    notWritten(operation, cause, "the operation was refused all the same");
  }

  private void notWritten(String operation, RuntimeException cause, String outcome) {
    auditFailures.incrementAndGet();
    // A VaultException's message is the engine's own (such as a locked database), never a
    // secret; any other cause is named by its type only.
    String why = cause instanceof VaultException v ? v.getMessage()
        : cause.getClass().getSimpleName();
    LOG.log(System.Logger.Level.WARNING, "audit entry for " + operation
        + " could not be written (" + why + "); " + outcome + " (best-effort audit)");
  }

  /** An operation to journal: who, what, on which records. */
  Op op(String accountId, String actor, String operation, String vaultId, String credentialId) {
    return new Op(accountId, actor, operation, vaultId, credentialId);
  }

  /** A new event (its sequence is given by the store). */
  EventRow event(String type, String accountId, String vaultId, String credentialId, Instant at) {
    return new EventRow(0, Ids.EVENT.format(eventIds.next()), type, accountId, vaultId,
        credentialId, at);
  }

  /** The secrets an operation wrote, as {@code field=HMAC} pairs; null when none or not auditing. */
  String secretHashes(String[] fields, Secret[] secrets) {
    return secretHashes("", fields, secrets);
  }

  /**
   * As {@link #secretHashes(String[], Secret[])}, each field name after {@code prefix} (a vault
   * create names each credential's secrets {@code <credential id>.<field>}).
   */
  String secretHashes(String prefix, String[] fields, Secret[] secrets) {
    AuditKey key = auditKey;
    if (!auditing() || key == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < fields.length; i++) {
      if (secrets[i] != null) {
        if (b == null) {
          b = new StringBuilder(96);
        } else {
          b.append(',');
        }
        b.append(prefix).append(fields[i]).append('=').append(key.hash(secrets[i]));
      }
    }
    return b == null ? null : b.toString();
  }

  /** One operation's journal under construction. */
  final class Op {
    private final String accountId;
    private final String actor;
    private final String operation;
    private final String vaultId;
    private final String credentialId;
    private String secrets;
    private String detail;
    private Instant at;
    private Function<List<String>, List<EventRow>> onOk = cascaded -> List.of();
    private boolean reached;
    private String okOutcome = "ok";

    private Op(String accountId, String actor, String operation, String vaultId,
        String credentialId) {
      this.accountId = accountId;
      this.actor = actor;
      this.operation = operation;
      this.vaultId = vaultId;
      this.credentialId = credentialId;
    }

    /** The operation's name, as its audit entry gives it. */
    String operation() {
      return operation;
    }

    /** Marks that a store write with this operation's journal was made (it records its own end). */
    void reached() {
      reached = true;
    }

    /** Whether a store write carried this operation's journal. */
    boolean reachedStore() {
      return reached;
    }

    /** The secrets written, as {@link #secretHashes} gives them. */
    Op secrets(String hashes) {
      this.secrets = hashes;
      return this;
    }

    /** What the audit entry says when the write succeeds, instead of {@code ok}. */
    Op outcome(String text) {
      this.okOutcome = text;
      return this;
    }

    /** A detail without secrets. */
    Op detail(String text) {
      this.detail = text;
      return this;
    }

    /** When the operation happened (its change's time). */
    Op at(Instant time) {
      this.at = time;
      return this;
    }

    /** The events the operation emits when it changes something, given the cascaded ids. */
    Op onOk(Function<List<String>, List<EventRow>> events) {
      this.onOk = events;
      return this;
    }

    /** One event of {@code type} on this operation's records when it succeeds. */
    Op emits(String type) {
      return onOk(cascaded -> List.of(event(type, accountId, vaultId, credentialId, at)));
    }

    /** The audit entry of an operation refused before it reached the store. */
    Journal refused(String errorType) {
      return build(errorType);
    }

    /** The journal to pass to the store. */
    Journal journal() {
      return build(null);
    }

    private Journal build(String refusedAs) {
      if (at == null) {
        at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      }
      AuditKey key = auditing() ? auditKey : null;
      if (!events && key == null) {
        return Journal.NONE;
      }
      boolean required = failClosed();
      return new Journal() {
        @Override
        public Entries entries(WriteOutcome outcome, List<String> cascaded) {
          String result;
          if (refusedAs != null) {
            result = refusedAs;
          } else {
            switch (outcome) {
              case OK -> result = okOutcome;
              case STALE -> {
                return Entries.EMPTY; // the engine reads again and retries; nothing happened
              }
              case NOT_FOUND -> result = "not_found_error";
              default -> result = "conflict_error"; // ARCHIVED, DUPLICATE_URL
            }
          }
          // A refused write stored no secret: its entry names none.
          boolean changed = refusedAs == null && outcome == WriteOutcome.OK;
          List<EventRow> emitted = events && changed ? onOk.apply(cascaded) : List.of();
          AuditRow audit = key == null ? null : new AuditRow(0, at, accountId, actor, operation,
              vaultId, credentialId, result, changed ? secrets : null, detail, null);
          return new Entries(emitted, audit);
        }

        @Override
        public byte[] seal(byte[] previousMac, AuditRow entry) {
          return key.seal(previousMac, entry);
        }

        @Override
        public boolean auditRequired() {
          return required;
        }

        @Override
        public void auditNotWritten(RuntimeException cause) {
          if (refusedAs != null) {
            refusalNotRecorded(operation, cause);
          } else {
            auditFailed(operation, cause);
          }
        }

        @Override
        public String toString() {
          return "Journal[" + operation + "]";
        }
      };
    }
  }
}
