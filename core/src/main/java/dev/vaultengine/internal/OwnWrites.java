package dev.vaultengine.internal;

import dev.vaultengine.spi.VaultStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The store changes this engine knows the extent of: writes it made itself that were the store's
 * only change at the time (the store says its change count moved by exactly one change across the
 * write), with the one credential each touched, or none for a write no resolve reads (a refresh
 * lease). Consecutive such writes form a chain; a session whose remembered answer is from a count
 * in the chain, while the store is still at the chain's end, keeps it if no write since touched its
 * credential. So an OAuth refresh of one credential leaves every other session's answers warm,
 * however long they were idle.
 *
 * <p>A change by anyone else (another thread's write overlapping ours, another process) breaks the
 * chain, and an answer from before the break is read again: always the safe side. Reads take no
 * lock but the chain's monitor, and only when the count moved.
 */
final class OwnWrites {
  /** Counts remembered in one chain; a longer chain starts over (answers then read again). */
  private static final int MAX_CHAIN = 100_000;

  private final VaultStore store;
  /** Each count of the current chain, with its position (a number that only grows). */
  private final Map<Long, Long> positions = new HashMap<>();
  /** The position of the last own write that touched each credential. */
  private final Map<String, Long> touched = new HashMap<>();
  private long end = -1;
  private long nextPosition;

  OwnWrites(VaultStore store) {
    this.store = store;
  }

  /**
   * Runs {@code write} between two readings of the store's change count, and records it when it
   * committed a change ({@code wrote}, from its result) and the store says one change separates
   * the two readings: then that one change was this write. A write that changed nothing (a lease
   * another host holds, an update that found its row changed) is never recorded, since the one
   * change between the readings would be someone else's.
   */
  <T> T run(String credentialId, Supplier<T> write, Predicate<T> wrote) {
    long before = store.changeCount();
    T result = write.get();
    long after = store.changeCount();
    if (before >= 0 && after >= 0 && before != after && wrote.test(result)
        && store.oneChangeBetween(before, after)) {
      synchronized (this) {
        if (end != before || positions.size() >= MAX_CHAIN) {
          positions.clear(); // a change we do not know of came in between: a new chain
          positions.put(before, nextPosition++);
        }
        long position = nextPosition++;
        positions.put(after, position);
        end = after;
        if (credentialId != null) {
          touched.put(credentialId, position);
        }
      }
    }
    return result;
  }

  /**
   * True when the store went from {@code from} to {@code to} by own writes only and none of them
   * touched {@code credentialId} (null: an answer with no credential, which no write of one
   * existing credential can change).
   */
  synchronized boolean untouched(long from, long to, String credentialId) {
    Long start = positions.get(from);
    if (to != end || start == null) {
      return false;
    }
    Long last = credentialId == null ? null : touched.get(credentialId);
    return last == null || last <= start;
  }
}
