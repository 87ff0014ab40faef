package dev.vaultengine.memory;

import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The in-memory store's log: events (in a deque, purged from the front), audit entries, the chain
 * head and durable subscribers' positions. Not thread-safe: the store calls it under its write
 * lock (reads under its read lock).
 */
final class MemoryLog {
  private final ArrayDeque<EventRow> events = new ArrayDeque<>();
  private final List<AuditRow> audit = new ArrayList<>();
  private final Map<String, Long> positions = new HashMap<>();
  private long lastEvent;
  private AuditHead head = new AuditHead(0, new byte[0]);

  /**
   * Builds and seals the journal's entries for {@code outcome}, then applies {@code change} (null:
   * none) and appends the entries. Everything that can fail runs before the change: a fail-closed
   * audit entry that cannot be sealed leaves the store as it was.
   */
  void commit(Journal journal, WriteOutcome outcome, List<String> cascaded, Runnable change) {
    Journal.Entries entries = journal.entries(outcome, cascaded);
    AuditRow sealed = null;
    if (entries.audit() != null) {
      try {
        AuditRow numbered = entries.audit().numbered(head.sequence() + 1);
        sealed = numbered.sealed(journal.seal(head.mac(), numbered));
      } catch (RuntimeException e) {
        if (journal.auditRequired()) {
          throw e;
        }
        journal.auditNotWritten(e);
      }
    }
    if (change != null) {
      change.run();
    }
    for (EventRow e : entries.events()) {
      events.addLast(e.numbered(++lastEvent));
    }
    if (sealed != null) {
      audit.add(sealed);
      head = new AuditHead(sealed.sequence(), sealed.mac());
    }
  }

  List<EventRow> events(long after, int limit) {
    List<EventRow> out = new ArrayList<>(Math.min(limit, 64));
    if (events.isEmpty() || after >= lastEvent) {
      return out;
    }
    // Sequences are consecutive from the first kept event: skip straight to the position.
    long first = events.peekFirst().sequence();
    int skip = (int) Math.max(0, after - first + 1);
    int i = 0;
    for (EventRow e : events) {
      if (i++ < skip) {
        continue;
      }
      out.add(e);
      if (out.size() == limit) {
        break;
      }
    }
    return out;
  }

  long lastEventSequence() {
    return lastEvent;
  }

  OptionalLong position(String name) {
    Long p = positions.get(name);
    return p == null ? OptionalLong.empty() : OptionalLong.of(p);
  }

  void savePosition(String name, long position) {
    positions.put(name, position);
  }

  boolean deleteSubscriber(String name) {
    return positions.remove(name) != null;
  }

  int purge(Instant before) {
    long acknowledged = positions.values().stream().mapToLong(Long::longValue).min()
        .orElse(Long.MAX_VALUE);
    int purged = 0;
    while (!events.isEmpty() && events.peekFirst().at().isBefore(before)
        && events.peekFirst().sequence() <= acknowledged) {
      events.removeFirst();
      purged++;
    }
    return purged;
  }

  List<AuditRow> audit(long after, int limit) {
    int from = (int) Math.min(Math.max(after, 0), audit.size());
    return List.copyOf(audit.subList(from, Math.min(audit.size(), from + limit)));
  }

  AuditHead head() {
    return new AuditHead(head.sequence(), head.mac().clone());
  }
}
