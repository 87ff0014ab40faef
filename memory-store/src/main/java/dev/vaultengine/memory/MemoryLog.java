package dev.vaultengine.memory;

import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The in-memory store's log: events (purged from the front), audit entries (both in
 * {@link Chunks}), the chain
 * head and durable subscribers' positions. Not thread-safe: the store calls it under its write
 * lock (reads under its read lock).
 */
final class MemoryLog {
  private final Chunks<StoredEvent> events = new Chunks<>();
  private final Chunks<StoredAudit> audit = new Chunks<>();
  private final Map<String, Long> positions = new HashMap<>();
  private AuditHead head = new AuditHead(0, new byte[0]);

  /**
   * Builds and seals the journal's entries for {@code outcome}, then applies {@code change} (null:
   * none) and appends the entries. Everything that can fail runs before the change: a fail-closed
   * audit entry that cannot be sealed leaves the store as it was.
   */
  void commit(Journal journal, WriteOutcome outcome, List<String> cascaded, Runnable change) {
    Journal.Entries entries = journal.entries(outcome, cascaded);
    AuditRow numbered = null;
    byte[] mac = null; // kept apart from the entry: no sealed copy of the row is made
    if (entries.audit() != null) {
      try {
        numbered = entries.audit().numbered(head.sequence() + 1);
        mac = journal.seal(head.mac(), numbered);
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
      events.add(StoredEvent.of(e)); // sequence: its place in events, from 1
    }
    if (mac != null) {
      audit.add(StoredAudit.of(numbered, mac));
      head = new AuditHead(numbered.sequence(), mac);
    }
  }

  List<EventRow> events(long after, int limit) {
    List<EventRow> out = new ArrayList<>(Math.min(limit, 64));
    // Event n (from 1) is entry n - 1: sequences are consecutive, so go straight to the position.
    for (long i = Math.max(after, events.first()); i < events.end() && out.size() < limit; i++) {
      out.add(events.get(i).row(i + 1));
    }
    return out;
  }

  long lastEventSequence() {
    return events.end();
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
    while (!events.isEmpty() && events.get(events.first()).at().isBefore(before)
        && events.first() + 1 <= acknowledged) {
      events.dropFirst();
      purged++;
    }
    return purged;
  }

  List<AuditRow> audit(long after, int limit) {
    List<AuditRow> out = new ArrayList<>(Math.min(limit, 64));
    for (long i = Math.max(after, 0); i < audit.end() && out.size() < limit; i++) {
      out.add(audit.get(i).row(i + 1));
    }
    return List.copyOf(out);
  }

  AuditHead head() {
    return new AuditHead(head.sequence(), head.mac().clone());
  }

  /**
   * An event as this log keeps it: its {@code evt_} id as the two halves of its UUID, its
   * sequence as its place in {@link #events}. A log that keeps every change holds one of these
   * per change: an {@link EventRow} with its id string is three objects and 128 bytes, this one
   * object and 64 (the create benchmark's collector time grows with what creates keep). An id of
   * another shape is kept as it is.
   */
  private record StoredEvent(long idHigh, long idLow, String otherId, String type,
      String accountId, String vaultId, String credentialId, Instant at) {
    private static final String PREFIX = "evt_";
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The event as kept: an id of {@code evt_} and 32 lowercase hex digits (what {@link #row}
     * rebuilds exactly) as two longs, checked and parsed in one pass (an event is stored at every
     * change); any other id as it is.
     */
    static StoredEvent of(EventRow e) {
      String id = e.id();
      if (id.length() == 36 && id.startsWith(PREFIX)) {
        long high = 0;
        long low = 0;
        int i = 4;
        for (; i < 36; i++) {
          int d = digit(id.charAt(i));
          if (d < 0) {
            break;
          }
          if (i < 20) {
            high = high << 4 | d;
          } else {
            low = low << 4 | d;
          }
        }
        if (i == 36) {
          return new StoredEvent(high, low, null, e.type(), e.accountId(), e.vaultId(),
              e.credentialId(), e.at());
        }
      }
      return new StoredEvent(0, 0, id, e.type(), e.accountId(), e.vaultId(), e.credentialId(),
          e.at());
    }

    EventRow row(long sequence) {
      String id = otherId != null ? otherId
          : PREFIX + HEX.toHexDigits(idHigh) + HEX.toHexDigits(idLow);
      return new EventRow(sequence, id, type, accountId, vaultId, credentialId, at);
    }

    /** A lowercase hex digit's value, or -1. */
    private static int digit(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
  }

  /**
   * An audit entry as this log keeps it: the chain MAC and the secrets' HMACs in one array
   * ({@code [mac length, 2 bytes][mac][1 if secrets][secrets as UTF-8]}) instead of a byte array and a
   * string of their own, and the sequence as its place in {@link #audit}: the in-memory store
   * keeps every entry for its lifetime.
   */
  private record StoredAudit(Instant at, String accountId, String actor, String operation,
      String vaultId, String credentialId, String outcome, String detail, byte[] packed) {

    static StoredAudit of(AuditRow e, byte[] mac) {
      byte[] secrets = e.secrets() == null ? null
          : e.secrets().getBytes(StandardCharsets.UTF_8);
      if (mac.length > 0xffff) {
        throw new IllegalArgumentException("a chain MAC of " + mac.length + " bytes");
      }
      byte[] packed = new byte[3 + mac.length + (secrets == null ? 0 : secrets.length)];
      packed[0] = (byte) (mac.length >>> 8);
      packed[1] = (byte) mac.length;
      System.arraycopy(mac, 0, packed, 2, mac.length);
      if (secrets != null) {
        packed[2 + mac.length] = 1;
        System.arraycopy(secrets, 0, packed, 3 + mac.length, secrets.length);
      }
      return new StoredAudit(e.at(), e.accountId(), e.actor(), e.operation(), e.vaultId(),
          e.credentialId(), e.outcome(), e.detail(), packed);
    }

    AuditRow row(long sequence) {
      int macLength = (packed[0] & 0xff) << 8 | packed[1] & 0xff;
      byte[] mac = Arrays.copyOfRange(packed, 2, 2 + macLength);
      String secrets = packed[2 + macLength] == 0 ? null
          : new String(packed, 3 + macLength, packed.length - 3 - macLength,
              StandardCharsets.UTF_8);
      return new AuditRow(sequence, at, accountId, actor, operation, vaultId, credentialId,
          outcome, secrets, detail, mac);
    }
  }
}
